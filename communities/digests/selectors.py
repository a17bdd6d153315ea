"""What goes into a digest, read for a whole batch of members at once.

A batch reads each kind of data once for all its members (their memberships, circles,
follows, expertise) and once per community (its most active threads, its unanswered
questions, its circles' meetings), then picks each member's share in Python. So the number
of queries of a batch does not depend on how many members it holds.

Only communities and circles the member belongs to *now* count, hidden threads and replies
never do, an anonymous asker is never named, and a Chatham House community's items carry
no names at all. Every thread in a digest is one `communities.public.visible_threads`
would show the member.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Count, F, Max, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from communities import hooks
from communities.circles.times import SHORT_DAY, meeting_when
from communities.digests.models import (
    DeliveryStatus,
    DigestDelivery,
    DigestKind,
    DigestSettings,
)
from communities.digests.schedule import PERIOD_LENGTH, member_zone
from communities.models import (
    CircleMeeting,
    CircleMembership,
    Community,
    Follow,
    Membership,
    Notification,
    Thread,
    User,
)
from communities.public import MembershipStatus, shown_author

logger = logging.getLogger(__name__)

TOP_THREADS_PER_COMMUNITY = 5
TOP_THREADS_PER_DIGEST = 8
HELP_QUESTIONS_PER_COMMUNITY = 30
HELP_QUESTIONS_PER_DIGEST = 3
HELP_QUESTION_MAX_AGE = datetime.timedelta(days=14)
ANSWERS_PER_DIGEST = 5
MEETINGS_PER_DIGEST = 5
EXCERPT_LENGTH = 180
QUESTION = "question"
ACCEPTED_EVENTS = ("answer_accepted", "answer_verified")  # communities' NotificationKind values
ANONYMOUS_NAME = "Anonymous member"


class SkipReason:
    INACTIVE = "inactive"
    UNCONFIRMED = "unconfirmed"
    BOUNCING = "bouncing"
    VISITED = "visited"
    EMPTY = "empty"
    NOT_SUBSCRIBED = "not_subscribed"

    EXPLAINED = {
        INACTIVE: "the account is inactive",
        UNCONFIRMED: "the email address is not confirmed",
        BOUNCING: "emails to this address bounce",
        VISITED: "they visited Trellis since the period began",
        EMPTY: "there is nothing new for them",
        NOT_SUBSCRIBED: "they chose a different digest frequency",
    }


def site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def excerpt(markdown_text: str, length: int = EXCERPT_LENGTH) -> str:
    """Plain text for an email: Markdown punctuation and whitespace runs dropped, cut at a
    word. The template escapes it."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", markdown_text or "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[#*_`>~|]+", "", text)
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


ITEM_HTML = (
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
    'style="margin: 0 0 10px 0; border-left: 3px solid #d9e4dc;"><tr>'
    '<td style="padding: 4px 0 4px 12px;">'
    '<a href="{url}" style="font-size: 15px; font-weight: bold; color: #1d5a8a; '
    'text-decoration: underline;">{title}</a>'
    '<p style="margin: 2px 0 0 0; font-size: 13px; color: #5b6660;">{byline}</p>{summary}'
    "</td></tr></table>"
)
SUMMARY_HTML = '<p style="margin: 4px 0 0 0; font-size: 14px; color: #1f2a24;">{}</p>'


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest. Items are shared by the members of a batch who get the same
    one, so each is rendered once per batch, not once per member."""

    title: str
    url: str
    community: str
    summary: str = ""
    author: str = ""  # empty when nobody may be named
    meta: str = ""

    @property
    def byline(self) -> str:
        return " · ".join(part for part in (self.community, self.author, self.meta) if part)

    @cached_property
    def html(self) -> str:
        summary = format_html(SUMMARY_HTML, self.summary) if self.summary else ""
        return format_html(
            ITEM_HTML, url=self.url, title=self.title, byline=self.byline, summary=summary
        )

    @cached_property
    def text(self) -> str:
        lines = [f"* {self.title}", f"  {self.byline}"]
        if self.summary:
            lines.append(f"  {self.summary}")
        lines.append(f"  {self.url}")
        return "\n".join(lines)


class _Memo:
    """Per-batch memory: each thread's URL and excerpt, and each distinct item, made once."""

    def __init__(self, slugs: dict[int, str]):
        self.slugs = slugs
        self._urls: dict[int, str] = {}
        self._excerpts: dict[tuple[int, str], str] = {}
        self._items: dict[tuple, DigestItem] = {}
        self._sections: dict[tuple, DigestSection] = {}
        self._meeting_urls: dict[int, str] = {}

    def url(self, thread: Thread) -> str:
        if thread.pk not in self._urls:
            self._urls[thread.pk] = _thread_url(thread, self.slugs)
        return self._urls[thread.pk]

    def excerpt(self, key: tuple[int, str], text: str) -> str:
        if key not in self._excerpts:
            self._excerpts[key] = excerpt(text)
        return self._excerpts[key]

    def item(self, **fields) -> DigestItem:
        key = tuple(sorted(fields.items()))
        if key not in self._items:
            self._items[key] = DigestItem(**fields)
        return self._items[key]

    def section(self, *, key: str, title: str, items: tuple, note: str = "") -> DigestSection:
        """Members who get the same items share one section, so it is rendered once."""
        memo_key = (key, title, note, tuple(id(item) for item in items))
        if memo_key not in self._sections:
            self._sections[memo_key] = DigestSection(key, title, list(items), note)
        return self._sections[memo_key]

    def meeting_url(self, meeting: CircleMeeting) -> str:
        if meeting.pk not in self._meeting_urls:
            circle = meeting.circle
            self._meeting_urls[meeting.pk] = site_url(
                reverse(
                    "communities:meeting-detail",
                    args=[self.slugs[circle.community_id], circle.slug, meeting.sequence],
                )
            )
        return self._meeting_urls[meeting.pk]


SECTION_HTML = (
    '<tr><td style="padding: 8px 24px;">'
    '<h2 style="margin: 12px 0 4px 0; font-size: 17px; color: #2f6b4f;">{title}</h2>'
    "{note}{items}</td></tr>"
)
NOTE_HTML = '<p style="margin: 0 0 8px 0; font-size: 13px; color: #5b6660;">{}</p>'


@dataclass(eq=False)
class DigestSection:
    """A titled list of items; its HTML and text are made once however many members of the
    batch get the same section."""

    key: str
    title: str
    items: list[DigestItem]
    note: str = ""

    @cached_property
    def html(self) -> str:
        return format_html(
            SECTION_HTML,
            title=self.title,
            note=format_html(NOTE_HTML, self.note) if self.note else "",
            items=mark_safe("".join(item.html for item in self.items)),  # noqa: S308 (escaped parts)
        )

    @cached_property
    def text(self) -> str:
        lines = [f"== {self.title} =="]
        if self.note:
            lines.append(self.note)
        for item in self.items:
            lines += ["", item.text]
        return "\n".join(lines)


@dataclass
class Digest:
    member: User
    kind: str
    since: datetime.datetime
    until: datetime.datetime
    sections: list[DigestSection] = field(default_factory=list)
    skip_reason: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(section.items for section in self.sections)

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)


# --- what each member gets ---------------------------------------------------------------


@dataclass
class _Member:
    user: User
    communities: set[int] = field(default_factory=set)
    circles: set[int] = field(default_factory=set)
    expertise: set[int] = field(default_factory=set)
    followed: set[int] = field(default_factory=set)
    since: datetime.datetime | None = None

    def may_read(self, thread: Thread) -> bool:
        """The digest's reading rule, a subset of `visible_threads`: a community they are an
        active member of now, a circle they sit in, never a hidden thread."""
        return (
            not thread.is_hidden
            and thread.community_id in self.communities
            and (thread.circle_id is None or thread.circle_id in self.circles)
        )


def _thread_url(thread: Thread, slugs: dict[int, str]) -> str:
    return site_url(
        reverse("communities:thread-detail", args=[slugs[thread.community_id], thread.pk])
    )


def _top_threads(community_ids: Iterable[int], since: datetime.datetime) -> list[Thread]:
    """The most active, best-voted threads of each community (and each of its circles)
    since `since`, counting visible replies only; one query for the whole batch."""
    visible_posts = Q(posts__is_hidden=False)
    ranked = (
        Thread.objects.filter(
            community_id__in=community_ids, is_hidden=False, last_activity_at__gte=since
        )
        .annotate(
            recent_replies=Count("posts", filter=visible_posts & Q(posts__created_at__gte=since)),
            votes=Coalesce(Sum("posts__vote_count", filter=visible_posts), 0),
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("community_id"), F("circle_id")],
                order_by=[
                    F("recent_replies").desc(),
                    F("votes").desc(),
                    F("last_activity_at").desc(),
                ],
            )
        )
        .filter(rank__lte=TOP_THREADS_PER_COMMUNITY)
        .select_related("author")
        .order_by("-recent_replies", "-votes", "-last_activity_at", "pk")
    )
    return list(ranked)


def _unanswered_questions(community_ids: Iterable[int], now: datetime.datetime) -> list[Thread]:
    """Recent questions with no visible answer, per community and circle, with their tags."""
    answers = Q(posts__is_hidden=False, posts__parent__isnull=True)
    ranked = (
        Thread.objects.filter(
            community_id__in=community_ids,
            kind=QUESTION,
            is_hidden=False,
            accepted_answer__isnull=True,
            created_at__gte=now - HELP_QUESTION_MAX_AGE,
        )
        .annotate(answers=Count("posts", filter=answers))
        .filter(answers=0)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("community_id"), F("circle_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=HELP_QUESTIONS_PER_COMMUNITY)
        .order_by("created_at", "pk")
    )
    return list(ranked)


def _tags_of(thread_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """(tag id, name) of each thread, read as plain rows in one query."""
    tags: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if thread_ids:
        for thread_id, tag_id, name in Thread.tags.through.objects.filter(
            thread_id__in=thread_ids
        ).values_list("thread_id", "tag_id", "tag__name"):
            tags[thread_id].append((tag_id, name))
    return tags


def _answered_followed_threads(
    thread_ids: Iterable[int], since: datetime.datetime
) -> tuple[list[Thread], dict[int, datetime.datetime]]:
    """Followed threads with an accepted or verified answer, and when that last happened."""
    threads = list(
        Thread.objects.filter(pk__in=thread_ids, is_hidden=False)
        .filter(Q(accepted_answer__isnull=False) | Q(verified_answer__isnull=False))
        .select_related("accepted_answer__author", "verified_answer__author")
    )
    events = dict(
        Notification.objects.filter(
            thread_id__in=[thread.pk for thread in threads],
            kind__in=ACCEPTED_EVENTS,
            created_at__gte=since,
        )
        .order_by()
        .values("thread_id")
        .annotate(last=Max("created_at"))
        .values_list("thread_id", "last")
    )
    return threads, events


def _load_members(member_ids: list[int], kind: str, now: datetime.datetime) -> dict[int, _Member]:
    users = User.objects.filter(pk__in=member_ids).select_related("digest_settings")
    members = {user.pk: _Member(user=user) for user in users}
    ids = list(members)
    verified = {
        (user_id, email.lower())
        for user_id, email in EmailAddress.objects.filter(
            user_id__in=ids, verified=True
        ).values_list("user_id", "email")
    }
    for member in members.values():
        user = member.user
        user.has_confirmed_email = (user.pk, user.email.lower()) in verified
    for user_id, community_id in Membership.objects.filter(
        user_id__in=ids, status=MembershipStatus.ACTIVE
    ).values_list("user_id", "community_id"):
        members[user_id].communities.add(community_id)
    for user_id, circle_id in CircleMembership.objects.filter(
        user_id__in=ids, status="active"
    ).values_list("user_id", "circle_id"):
        members[user_id].circles.add(circle_id)
    for user_id, tag_id in User.expertise.through.objects.filter(user_id__in=ids).values_list(
        "user_id", "tag_id"
    ):
        members[user_id].expertise.add(tag_id)
    for user_id, thread_id in Follow.objects.filter(
        user_id__in=ids, thread__isnull=False
    ).values_list("user_id", "thread_id"):
        members[user_id].followed.add(thread_id)
    window_start = now - PERIOD_LENGTH[kind]
    last_sent = dict(
        DigestDelivery.objects.filter(member_id__in=ids, kind=kind, status=DeliveryStatus.SENT)
        .order_by()
        .values("member_id")
        .annotate(last=Max("sent_at"))
        .values_list("member_id", "last")
    )
    for user_id, member in members.items():
        last = last_sent.get(user_id)
        member.since = max(last, window_start) if last else window_start
    return members


def _skip_reason(member: _Member, kind: str) -> str:
    user = member.user
    if not user.is_active:
        return SkipReason.INACTIVE
    if user.digest_frequency != kind:
        return SkipReason.NOT_SUBSCRIBED
    if not user.has_confirmed_email:
        return SkipReason.UNCONFIRMED
    digest_settings = getattr(user, "digest_settings", None)
    if digest_settings is not None and digest_settings.is_bouncing:
        return SkipReason.BOUNCING
    if (
        settings.TRELLIS_DIGESTS_SKIP_IF_VISITED
        and user.last_login is not None
        and user.last_login >= member.since
    ):
        return SkipReason.VISITED
    return ""


def _author_name(member: _Member, thread: Thread, author_id, author, chatham: bool) -> str:
    if chatham:
        return ""
    shown = shown_author(member.user, thread=thread, author_id=author_id, author=author)
    if shown is None:
        return ANONYMOUS_NAME if thread.is_anonymous else ""
    return shown.public_name


def digest_batch(
    *,
    kind: str,
    member_ids: list[int],
    now: datetime.datetime,
    compose_skipped: bool = True,
) -> list[Digest]:
    """The `kind` digest of each member in `member_ids` as of `now`, with `skip_reason` set
    when it must not be sent (sections are left out for those when `compose_skipped` is
    false). A fixed number of queries, whatever the batch's size."""
    members = _load_members(member_ids, kind, now)
    window_start = now - PERIOD_LENGTH[kind]
    community_ids = set().union(*(m.communities for m in members.values())) if members else set()
    communities = {c.pk: c for c in Community.objects.filter(pk__in=community_ids)}
    slugs = {pk: c.slug for pk, c in communities.items()}
    top = _top_threads(community_ids, window_start) if community_ids else []
    questions = _unanswered_questions(community_ids, now) if community_ids else []
    followed_ids = set().union(*(m.followed for m in members.values())) if members else set()
    answered, answer_events = (
        _answered_followed_threads(followed_ids, window_start) if followed_ids else ([], {})
    )
    circle_ids = set().union(*(m.circles for m in members.values())) if members else set()
    meetings = (
        list(
            CircleMeeting.objects.filter(
                circle_id__in=circle_ids,
                is_cancelled=False,
                starts_at__gte=now,
                starts_at__lt=now + PERIOD_LENGTH[kind] + datetime.timedelta(days=1),
            )
            .select_related("circle")
            .order_by("starts_at", "pk")
        )
        if circle_ids
        else []
    )
    users = [m.user for m in members.values()]
    extra_sections: dict[int, list[DigestSection]] = defaultdict(list)
    for section_fn in hooks.registered(hooks.DIGEST_SECTIONS):
        try:
            produced = section_fn(users, window_start, now) or {}
        except Exception:
            logger.exception("A digest section hook failed; the digest goes out without it")
            continue
        for user_id, sections in produced.items():
            for section in sections:
                extra_sections[user_id].append(
                    DigestSection(
                        key=str(section.get("key", "app")),
                        title=str(section["title"]),
                        items=[
                            DigestItem(
                                title=str(item["title"]),
                                url=str(item["url"]),
                                community=str(item.get("community", "")),
                                summary=str(item.get("summary", "")),
                            )
                            for item in section.get("items", ())
                        ],
                    )
                )

    shared = _Shared(
        communities=communities,
        memo=_Memo(slugs),
        top=top,
        questions=questions,
        question_tags=_tags_of([thread.pk for thread in questions]),
        answered=answered,
        answer_events=answer_events,
        meetings=meetings,
    )
    digests = []
    for user_id in member_ids:
        member = members.get(user_id)
        if member is None:
            continue
        digest = Digest(member=member.user, kind=kind, since=member.since, until=now)
        digest.skip_reason = _skip_reason(member, kind)
        if digest.skip_reason and not compose_skipped:
            digests.append(digest)
            continue
        digest.sections = _sections_for(member, shared) + extra_sections.get(user_id, [])
        if not digest.skip_reason and digest.is_empty:
            digest.skip_reason = SkipReason.EMPTY
        digests.append(digest)
    return digests


class _Shared:
    """What a batch read once for all its members, indexed by community, circle and
    thread, so composing one member's digest looks only at their own communities."""

    def __init__(
        self,
        *,
        communities: dict[int, Community],
        memo: _Memo,
        top: list[Thread],
        questions: list[Thread],
        question_tags: dict[int, list[tuple[int, str]]],
        answered: list[Thread],
        answer_events: dict[int, datetime.datetime],
        meetings: list[CircleMeeting],
    ):
        self.communities = communities
        self.memo = memo
        self.chatham = {pk for pk, c in communities.items() if c.is_chatham_house}
        self.top_by_community = _by_community(top)
        self.top_rank = {thread.pk: rank for rank, thread in enumerate(top)}
        self.questions_by_community = _by_community(questions)
        self.question_rank = {thread.pk: rank for rank, thread in enumerate(questions)}
        self.question_tags = question_tags
        self.answered = {thread.pk: thread for thread in answered}
        self.answer_events = answer_events
        self.meetings_by_circle: dict[int, list[CircleMeeting]] = defaultdict(list)
        for meeting in meetings:
            self.meetings_by_circle[meeting.circle_id].append(meeting)
        self.meeting_rank = {meeting.pk: rank for rank, meeting in enumerate(meetings)}

    def of(self, index: dict[int, list[Thread]], rank: dict[int, int], member: _Member):
        """The threads of `index` in the member's communities, in the batch's order."""
        threads = [t for pk in member.communities for t in index.get(pk, ())]
        threads.sort(key=lambda thread: rank[thread.pk])
        return threads


def _by_community(threads: list[Thread]) -> dict[int, list[Thread]]:
    grouped: dict[int, list[Thread]] = defaultdict(list)
    for thread in threads:
        grouped[thread.community_id].append(thread)
    return grouped


def _sections_for(member: _Member, shared: _Shared) -> list[DigestSection]:
    since = member.since
    zone = member_zone(member.user.timezone)
    communities, memo = shared.communities, shared.memo
    sections = []

    active = []
    for thread in shared.of(shared.top_by_community, shared.top_rank, member):
        if not member.may_read(thread) or thread.last_activity_at < since:
            continue
        community = communities[thread.community_id]
        replies = thread.recent_replies
        active.append(
            memo.item(
                title=thread.title,
                url=memo.url(thread),
                community=community.name,
                summary=memo.excerpt((thread.pk, "thread"), thread.body),
                author=_author_name(
                    member, thread, thread.author_id, thread.author, community.is_chatham_house
                ),
                meta=f"{replies} new repl{'y' if replies == 1 else 'ies'}"
                + (
                    f" · {thread.votes} vote{'' if thread.votes == 1 else 's'}"
                    if thread.votes
                    else ""
                ),
            )
        )
        if len(active) == TOP_THREADS_PER_DIGEST:
            break
    if active:
        sections.append(
            memo.section(
                key="active",
                title="Most active threads",
                items=tuple(active),
                note=_chatham_note(active, communities),
            )
        )

    helpable = []
    if member.expertise:
        for thread in shared.of(shared.questions_by_community, shared.question_rank, member):
            if not member.may_read(thread) or thread.author_id == member.user.pk:
                continue
            matching = [
                name
                for tag_id, name in shared.question_tags.get(thread.pk, ())
                if tag_id in member.expertise
            ]
            if not matching:
                continue
            helpable.append(
                memo.item(
                    title=thread.title,
                    url=memo.url(thread),
                    community=communities[thread.community_id].name,
                    summary=memo.excerpt((thread.pk, "thread"), thread.body),
                    meta="Matches your expertise: " + ", ".join(sorted(matching)),
                )
            )
    if helpable:
        sections.append(
            memo.section(
                key="help",
                title="You could help",
                items=tuple(helpable[-HELP_QUESTIONS_PER_DIGEST:][::-1]),
            )
        )

    answers = []
    for thread_id in sorted(member.followed & shared.answered.keys()):
        thread = shared.answered[thread_id]
        if not member.may_read(thread):
            continue
        post = _fresh_answer(thread, since, shared.answer_events)
        if post is None:
            continue
        chatham = thread.community_id in shared.chatham
        verified = post.pk == thread.verified_answer_id
        answers.append(
            memo.item(
                title=thread.title,
                url=memo.url(thread) + f"#post-{post.pk}",
                community=communities[thread.community_id].name,
                summary=memo.excerpt((post.pk, "post"), post.body),
                author=_author_name(member, thread, post.author_id, post.author, chatham),
                meta="Verified answer" if verified else "Accepted answer",
            )
        )
        if len(answers) == ANSWERS_PER_DIGEST:
            break
    if answers:
        sections.append(
            memo.section(key="answers", title="Answers in threads you follow", items=tuple(answers))
        )

    upcoming = []
    meetings = [m for pk in member.circles for m in shared.meetings_by_circle.get(pk, ())]
    meetings.sort(key=lambda meeting: shared.meeting_rank[meeting.pk])
    for meeting in meetings:
        circle = meeting.circle
        if circle.community_id not in member.communities:
            continue
        with timezone.override(zone):
            when = meeting_when(meeting.starts_at, circle.timezone, SHORT_DAY)
        upcoming.append(
            memo.item(
                title=f"{circle.name}: meeting {meeting.sequence}",
                url=memo.meeting_url(meeting),
                community=communities[circle.community_id].name,
                meta=when,
            )
        )
        if len(upcoming) == MEETINGS_PER_DIGEST:
            break
    if upcoming:
        sections.append(
            memo.section(
                key="meetings", title="Your upcoming circle meetings", items=tuple(upcoming)
            )
        )
    return sections


def _fresh_answer(thread: Thread, since, answer_events):
    """The verified (else accepted) answer if it is visible and was chosen, or written,
    since `since`."""
    for post in (thread.verified_answer, thread.accepted_answer):
        if post is None or post.is_hidden:
            continue
        chosen_at = answer_events.get(thread.pk)
        if (chosen_at and chosen_at >= since) or post.created_at >= since:
            return post
    return None


def _chatham_note(items: list[DigestItem], communities: dict[int, Community]) -> str:
    chatham = {c.name for c in communities.values() if c.is_chatham_house}
    if chatham & {item.community for item in items}:
        return (
            "Chatham House rule: what was discussed in "
            + ", ".join(sorted(chatham & {item.community for item in items}))
            + " is shown without names."
        )
    return ""


def digest_for(*, member: User, kind: str | None, now: datetime.datetime) -> Digest:
    """One member's next digest, for the preview page."""
    kind = kind or (
        member.digest_frequency
        if member.digest_frequency in DigestKind.values
        else DigestKind.WEEKLY
    )
    return digest_batch(kind=kind, member_ids=[member.pk], now=now)[0]


def digest_settings_of(user: User) -> DigestSettings:
    return DigestSettings.objects.filter(user=user).first() or DigestSettings(user=user)
