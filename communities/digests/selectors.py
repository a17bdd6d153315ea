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
from django.utils.html import format_html

from communities import hooks
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


@dataclass
class DigestSection:
    key: str
    title: str
    items: list[DigestItem]
    note: str = ""


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
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )
    return list(ranked)


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


def digest_batch(*, kind: str, member_ids: list[int], now: datetime.datetime) -> list[Digest]:
    """The `kind` digest of each member in `member_ids` as of `now`, with `skip_reason` set
    when it must not be sent. A fixed number of queries, whatever the batch's size."""
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

    memo = _Memo(slugs)
    digests = []
    for user_id in member_ids:
        member = members.get(user_id)
        if member is None:
            continue
        digest = Digest(member=member.user, kind=kind, since=member.since, until=now)
        digest.skip_reason = _skip_reason(member, kind)
        digest.sections = _sections_for(
            member,
            communities=communities,
            memo=memo,
            top=top,
            questions=questions,
            answered=answered,
            answer_events=answer_events,
            meetings=meetings,
        ) + extra_sections.get(user_id, [])
        if not digest.skip_reason and digest.is_empty:
            digest.skip_reason = SkipReason.EMPTY
        digests.append(digest)
    return digests


def _sections_for(
    member: _Member,
    *,
    communities: dict[int, Community],
    memo: _Memo,
    top: list[Thread],
    questions: list[Thread],
    answered: list[Thread],
    answer_events: dict[int, datetime.datetime],
    meetings: list[CircleMeeting],
) -> list[DigestSection]:
    since = member.since
    zone = member_zone(member.user.timezone)
    sections = []

    active = []
    for thread in top:
        if not member.may_read(thread) or thread.last_activity_at < since:
            continue
        community = communities[thread.community_id]
        chatham = community.is_chatham_house
        replies = thread.recent_replies
        active.append(
            memo.item(
                title=thread.title,
                url=memo.url(thread),
                community=community.name,
                summary=memo.excerpt((thread.pk, "thread"), thread.body),
                author=_author_name(member, thread, thread.author_id, thread.author, chatham),
                meta=f"{replies} new repl{'y' if replies == 1 else 'ies'}"
                + (
                    f" · {thread.votes} vote{'' if thread.votes == 1 else 's'}"
                    if thread.votes
                    else ""
                ),
            )
        )
    if active:
        sections.append(
            DigestSection(
                key="active",
                title="Most active conversations",
                items=active[:TOP_THREADS_PER_DIGEST],
                note=_chatham_note(active, communities),
            )
        )

    helpable = []
    if member.expertise:
        for thread in questions:
            if not member.may_read(thread) or thread.author_id == member.user.pk:
                continue
            matching = [tag.name for tag in thread.tags.all() if tag.pk in member.expertise]
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
            DigestSection(
                key="help",
                title="You could help",
                items=helpable[-HELP_QUESTIONS_PER_DIGEST:][::-1],
            )
        )

    answers = []
    for thread in answered:
        if thread.pk not in member.followed or not member.may_read(thread):
            continue
        post = _fresh_answer(thread, since, answer_events)
        if post is None:
            continue
        chatham = communities[thread.community_id].is_chatham_house
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
    if answers:
        sections.append(
            DigestSection(
                key="answers",
                title="Answers in threads you follow",
                items=answers[:ANSWERS_PER_DIGEST],
            )
        )

    upcoming = []
    for meeting in meetings:
        circle = meeting.circle
        if circle.pk not in member.circles or circle.community_id not in member.communities:
            continue
        local = meeting.starts_at.astimezone(zone)
        upcoming.append(
            memo.item(
                title=f"{circle.name}: meeting {meeting.sequence}",
                url=site_url(
                    reverse(
                        "communities:meeting-detail",
                        args=[memo.slugs[circle.community_id], circle.slug, meeting.sequence],
                    )
                ),
                community=communities[circle.community_id].name,
                meta=f"{local:%A %d %B, %H:%M} ({member.user.timezone or 'UTC'})",
            )
        )
    if upcoming:
        sections.append(
            DigestSection(
                key="meetings",
                title="Your upcoming circle meetings",
                items=upcoming[:MEETINGS_PER_DIGEST],
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
