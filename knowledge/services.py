"""Every write to the knowledge base: harvesting, reader feedback, follows and curation."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.coreutils import find_available_slug
from wagtail.rich_text import RichText

from communities.models import Membership, Thread, User
from communities.public import (
    MembershipStatus,
    NotAllowed,
    Role,
    notify,
    render_markdown,
    shown_author,
    thread_detail,
)
from knowledge import permissions, selectors
from knowledge.blocks import TEXT_FEATURES
from knowledge.errors import HarvestRefused
from knowledge.models import (
    ArticleCredit,
    ArticleFeedback,
    ArticleKind,
    ArticlePage,
    ArticleSource,
    Audience,
    Authority,
    CreditPreference,
    KnowledgeFollow,
    TopicPage,
    review_due_on,
)
from knowledge.models.engagement import NOTE_MAX_LENGTH

# Besides the accepted and verified answers, the best-voted answers a harvest quotes.
BEST_ANSWERS = 2
GENERAL_TOPIC_SLUG = "general"


def clean_rich_text(html: str) -> str:
    """HTML reduced to what Wagtail's rich text editor accepts, in its database format: the
    same sanitising a draft gets when an editor saves it."""
    converter = ContentstateConverter(features=TEXT_FEATURES)
    return converter.to_database_format(converter.from_database_format(str(html)))


def _excerpt(*, role: str, markdown: str, author, chatham: bool, link: str) -> tuple:
    return (
        "excerpt",
        {
            "role": role,
            "text": RichText(clean_rich_text(render_markdown(markdown))),
            "author_name": "" if (author is None or chatham) else author.public_name,
            "link": link,
        },
    )


def visible_reply_count(answers) -> int:
    """Replies a reader sees: answers and their nested replies that are not hidden."""
    return sum(
        (not post.is_hidden) + sum(not child.is_hidden for child in post.replies)
        for post in answers
    )


def _topic_for(thread=None) -> TopicPage:
    home = selectors.knowledge_home()
    if home is None:
        raise HarvestRefused("The knowledge base isn't set up yet; ask an administrator.")
    tag_ids = [tag.pk for tag in thread.tags.all()] if thread is not None else []
    topic = (
        TopicPage.objects.child_of(home).filter(tag_id__in=tag_ids).order_by("path").first()
        if tag_ids
        else None
    )
    if topic is None:
        topic = TopicPage.objects.child_of(home).filter(slug=GENERAL_TOPIC_SLUG).first()
    if topic is None:
        topic = TopicPage(title="General", slug=GENERAL_TOPIC_SLUG)
        home.add_child(instance=topic)
        topic.save_revision().publish()
    return topic


def harvest_thread(thread: Thread, *, by) -> ArticlePage:
    """Create a draft article from `thread`: its question, accepted, verified and best-voted
    answers as "from the conversation" blocks linking back, its tags, community and credits.

    Refuses (HarvestRefused, a message for `by`) people who may not harvest and threads they
    can't see. Hidden posts are never copied. Nobody is named or credited for an anonymous
    question, nor anyone at all under the Chatham House rule. A second call while the first
    draft is still unpublished returns that draft (one draft for a double click)."""
    try:
        with transaction.atomic(durable=True):
            return _harvest(thread, by=by)
    except Http404:
        raise HarvestRefused("That thread isn't there, or you can't see it.") from None


def _harvest(thread: Thread, *, by) -> ArticlePage:
    page = thread_detail(viewer=by, thread_id=thread.pk)
    thread = page.thread
    if refusal := permissions.harvest_refusal(by, thread):
        raise HarvestRefused(refusal)
    # One harvest of a thread at a time: a double click waits here, then finds the draft.
    Thread.objects.select_for_update().filter(pk=thread.pk).values_list("pk").first()
    if existing := selectors.pending_draft_for(thread):
        return existing

    community = thread.community
    chatham = community.is_chatham_house
    nobody = AnonymousUser()
    thread_url = reverse("communities:thread-detail", args=[community.slug, thread.pk])
    declined = selectors.declined_credit(
        [thread.author_id, *(post.author_id for post in page.answers)]
    )

    def consenting(author):
        # Named and credited only with their consent (`CreditPreference`).
        return None if author is None or author.pk in declined else author

    asker = consenting(
        shown_author(nobody, thread=thread, author_id=thread.author_id, author=thread.author)
    )
    blocks = [
        _excerpt(
            role="question", markdown=thread.body, author=asker, chatham=chatham, link=thread_url
        )
    ]
    credited = [asker] if asker is not None else []
    answers = [post for post in page.answers if not post.is_hidden]
    chosen = [post for post in answers if post.is_accepted or post.is_verified]
    others = [post for post in answers if post not in chosen and post.vote_count > 0]
    chosen += sorted(others, key=lambda post: -post.vote_count)[:BEST_ANSWERS]
    for post in chosen:
        author = consenting(
            shown_author(nobody, thread=thread, author_id=post.author_id, author=post.author)
        )
        role = "accepted" if post.is_accepted else "verified" if post.is_verified else "answer"
        blocks.append(
            _excerpt(
                role=role,
                markdown=post.body,
                author=author,
                chatham=chatham,
                link=f"{thread_url}#post-{post.pk}",
            )
        )
        if author is not None:
            credited.append(author)

    kind = ArticleKind.FAQ if thread.is_question else ArticleKind.LESSON_LEARNED
    topic = _topic_for(thread)
    article = ArticlePage(
        title=thread.title[:255],
        slug=find_available_slug(topic, slugify(thread.title)[:70] or f"thread-{thread.pk}"),
        kind=kind,
        summary="",
        body=blocks,
        source_community=community,
        authority=Authority.VERIFIED if thread.verified_answer_id else Authority.COMMUNITY,
        audience=Audience.SOURCE_COMMUNITY,
        review_on=review_due_on(kind),
        owner=by,
        live=False,
    )
    article.tags.set(list(thread.tags.all()))
    article.sources.add(
        ArticleSource(
            thread=thread,
            harvested_by=by,
            accepted_answer_at_harvest=thread.accepted_answer_id,
            verified_answer_at_harvest=thread.verified_answer_id,
            replies_at_harvest=visible_reply_count(page.answers),
        )
    )
    if not chatham:
        seen = set()
        for person in credited:
            if person.pk not in seen:
                seen.add(person.pk)
                article.credits.add(ArticleCredit(user=person))
    topic.add_child(instance=article)
    article.save_revision(user=by, log_action=True)
    _tell_reviewers(article, community=community, by=by)
    return article


def reviewers_of_harvest(community) -> list[User]:
    """Who acts on a harvested draft: the knowledge editors (they publish) and the source
    community's managers (they edit it and submit it to the editors), one query."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            models.Q(groups__name=permissions.EDITORS_GROUP)
            | models.Q(
                pk__in=Membership.objects.filter(
                    community_id=community.pk,
                    status=MembershipStatus.ACTIVE,
                    role=Role.MANAGER,
                ).values("user_id")
            )
        )
        .distinct()
    )


def _tell_reviewers(article: ArticlePage, *, community, by) -> None:
    """A notice to each reviewer but the harvester, in the harvest's transaction, once per
    draft. It names nobody: the draft's title and its community, which every recipient may
    already read in the editors' admin."""
    message = Truncator(
        f"A harvested draft from {community.name} waits for review: “{article.title}”."
    ).chars(200)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    for person in reviewers_of_harvest(community):
        if person.pk != by.pk:
            notify(
                person,
                event=f"knowledge:harvest:{article.pk}",
                message=message,
                url=url,
            )


def harvest_meeting(meeting, *, by) -> ArticlePage:
    """Create a "lesson learned" draft from a circle meeting's notes, readable only by the
    circle's members (`Audience.SOURCE_CIRCLE`) until the meeting's facilitator records that
    the circle agreed to share it (`share_lesson_with_community`).

    Refuses (HarvestRefused) anyone but the circle's active members, cancelled meetings and
    meetings without notes. The note taker is credited with their consent, nobody under the
    Chatham House rule. A second call while the draft is unpublished returns it."""
    from communities.models import CircleMeeting

    with transaction.atomic(durable=True):
        meeting = (
            CircleMeeting.objects.select_for_update(of=("self",))
            .select_related("circle__community", "note_taker")
            .filter(pk=meeting.pk)
            .first()
        )
        if meeting is None:
            raise HarvestRefused("That meeting isn't there, or you can't see it.")
        if refusal := permissions.meeting_harvest_refusal(by, meeting):
            raise HarvestRefused(refusal)
        if existing := selectors.pending_draft_for_meeting(meeting):
            return existing
        circle = meeting.circle
        community = circle.community
        chatham = community.is_chatham_house
        note_taker = meeting.note_taker
        if note_taker is not None and note_taker.pk in selectors.declined_credit([note_taker.pk]):
            note_taker = None
        link = reverse(
            "communities:meeting-detail", args=[community.slug, circle.slug, meeting.sequence]
        )
        title = f"Lesson learned: {circle.name}, meeting {meeting.sequence}"
        kind = ArticleKind.LESSON_LEARNED
        topic = _topic_for()
        article = ArticlePage(
            title=title[:255],
            slug=find_available_slug(
                topic, slugify(f"{circle.name}-lesson-{meeting.sequence}")[:70] or "lesson"
            ),
            kind=kind,
            summary="",
            body=[
                _excerpt(
                    role="notes",
                    markdown=meeting.notes,
                    author=note_taker,
                    chatham=chatham,
                    link=link,
                )
            ],
            source_community=community,
            source_circle=circle,
            source_meeting=meeting,
            authority=Authority.COMMUNITY,
            audience=Audience.SOURCE_CIRCLE,
            review_on=review_due_on(kind),
            owner=by,
            live=False,
        )
        if note_taker is not None and not chatham:
            article.credits.add(ArticleCredit(user=note_taker))
        topic.add_child(instance=article)
        article.save_revision(user=by, log_action=True)
        return article


def share_lesson_with_community(article: ArticlePage, *, by, confirmed: bool) -> None:
    """The facilitator records that the circle agreed to let its community read the lesson
    harvested from their meeting (who and when are kept); the circle alone reads it before."""
    if not permissions.can_share_lesson(by, article):
        raise NotAllowed("Only the facilitator of the meeting can record the circle's agreement.")
    if not confirmed:
        raise ValidationError(
            "Tick the box to confirm that the circle agreed to share this lesson with the "
            "whole community."
        )
    with transaction.atomic(durable=True):
        ArticlePage.objects.filter(pk=article.pk, audience=Audience.SOURCE_CIRCLE).update(
            audience=Audience.SOURCE_COMMUNITY, circle_agreed_by=by, circle_agreed_at=timezone.now()
        )


def _readable_article(user, article: ArticlePage) -> ArticlePage:
    if not selectors.may_read(user, article):
        raise Http404
    return article


def record_feedback(
    article: ArticlePage, *, by, is_helpful: bool, note: str = ""
) -> ArticleFeedback:
    """A reader says whether the article helped, with an optional note for the owner;
    answering again changes their answer. The counters move in the same transaction."""
    if not by.is_authenticated:
        raise NotAllowed("Sign in to say whether this helped.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            f"Keep the note under {NOTE_MAX_LENGTH:,} characters; it is {len(note):,} long."
        )
    with transaction.atomic(durable=True):
        _readable_article(by, article)
        feedback = (
            ArticleFeedback.objects.select_for_update()
            .filter(article=article, user_id=by.pk)
            .first()
        )
        previous = None if feedback is None else feedback.is_helpful
        if feedback is None:
            feedback = ArticleFeedback.objects.create(
                article=article, user=by, is_helpful=is_helpful, note=note
            )
        else:
            feedback.is_helpful = is_helpful
            feedback.note = note
            feedback.updated_at = timezone.now()
            feedback.save(update_fields=["is_helpful", "note", "updated_at"])
        changes = {}
        if previous is not is_helpful:
            if is_helpful:
                changes["helpful_count"] = F("helpful_count") + 1
            else:
                changes["unhelpful_count"] = F("unhelpful_count") + 1
                changes["unhelpful_since_review"] = F("unhelpful_since_review") + 1
            if previous is True:
                changes["helpful_count"] = F("helpful_count") - 1
            elif previous is False:
                changes["unhelpful_count"] = F("unhelpful_count") - 1
        if changes:
            ArticlePage.objects.filter(pk=article.pk).update(**changes)
    return feedback


def set_following(page, *, by, following: bool) -> bool:
    """Follow or stop following an article or topic the person may read; idempotent."""
    if not by.is_authenticated:
        raise NotAllowed("Sign in to follow.")
    page = page.specific
    if isinstance(page, ArticlePage):
        _readable_article(by, page)
    elif not (isinstance(page, TopicPage) and page.live):
        raise Http404
    with transaction.atomic(durable=True):
        if following:
            try:
                with transaction.atomic():
                    KnowledgeFollow.objects.get_or_create(user=by, page_id=page.pk)
            except IntegrityError:
                pass
        else:
            KnowledgeFollow.objects.filter(user_id=by.pk, page_id=page.pk).delete()
    return following


def verify_article(article: ArticlePage, *, by) -> None:
    """Still right: a new review date from today, and the queue's reasons cleared."""
    permissions.require_curate(by, article)
    with transaction.atomic(durable=True):
        ArticlePage.objects.filter(pk=article.pk).update(
            review_on=review_due_on(article.kind),
            reviewed_at=timezone.now(),
            source_changed_at=None,
            unhelpful_since_review=0,
        )


def mark_obsolete(article: ArticlePage, *, by) -> None:
    """Kept and readable, but labelled obsolete and dropped from search and the queue."""
    permissions.require_curate(by, article)
    from knowledge import tasks

    with transaction.atomic(durable=True):
        changed = ArticlePage.objects.filter(pk=article.pk, is_obsolete=False).update(
            is_obsolete=True
        )
        if changed:
            tasks.notify_followers.delay_on_commit(article.pk, 0, "obsolete")


def open_to_everyone(article: ArticlePage, *, by, confirmed: bool) -> None:
    """An editor's explicit choice to let everyone read an article from a restricted or
    private community; who chose and when is recorded."""
    permissions.require_editor(by)
    if article.audience == Audience.SOURCE_CIRCLE:
        raise ValidationError(
            "This lesson is still its circle's alone; its meeting's facilitator must first "
            "record that the circle agreed to share it."
        )
    if not confirmed:
        raise ValidationError(
            "Tick the box to confirm that everyone, not only the community's members, may "
            "read this article."
        )
    with transaction.atomic(durable=True):
        ArticlePage.objects.filter(pk=article.pk).update(
            audience=Audience.EVERYONE, opened_by=by, opened_at=timezone.now()
        )


def return_to_community(article: ArticlePage, *, by) -> None:
    """Back to the source community's readers only."""
    permissions.require_editor(by)
    with transaction.atomic(durable=True):
        ArticlePage.objects.filter(pk=article.pk, audience=Audience.EVERYONE).update(
            audience=Audience.SOURCE_COMMUNITY, opened_by=None, opened_at=None
        )


def set_credit_preference(*, by, wants_credit: bool) -> CreditPreference:
    """Whether `by` agrees to be named and credited in articles; articles already harvested
    stop showing them at once (the article page reads the setting)."""
    if not by.is_authenticated:
        raise NotAllowed("Sign in to choose how you are credited.")
    with transaction.atomic(durable=True):
        preference, _ = CreditPreference.objects.update_or_create(
            user=by, defaults={"wants_credit": wants_credit, "updated_at": timezone.now()}
        )
    return preference
