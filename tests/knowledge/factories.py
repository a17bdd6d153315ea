"""Knowledge base test data: solved threads, harvested drafts, published articles, editors.

Communities, people and threads come from `tests.communities.factories`; answers are accepted,
voted and hidden through the communities services, as people would.
"""

from django.contrib.auth.models import Group

from communities.discussions.services.threads import accept_answer
from communities.discussions.services.votes import vote
from communities.moderation.services.actions import hide_content
from knowledge.models import ArticlePage, KnowledgeHomePage, TopicPage
from knowledge.permissions import EDITORS_GROUP
from knowledge.services import harvest_thread
from tests.communities.factories import (
    UserFactory,
    add_member,
    make_reply,
    make_thread,
    manager_of,
)


def make_editor(**kwargs):
    editor = UserFactory(**kwargs)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return editor


def solved_thread(community, *, asker=None, answerer=None, anonymous=False, **thread_kwargs):
    """A question with an accepted answer, asked and answered by members of `community`."""
    asker = asker or add_member(community)
    answerer = answerer or add_member(community)
    thread = make_thread(author=asker, community=community, is_anonymous=anonymous, **thread_kwargs)
    answer = make_reply(author=answerer, thread=thread, body="Start with a **silent** round.")
    thread = accept_answer(actor=asker, thread=thread, post=answer)
    return thread


def vote_for(post, voters):
    for voter in voters:
        vote(voter=voter, post=post)


def hide(post, *, by):
    hide_content(actor=by, thread=post.thread, post=post, reason="Off topic.")


def publish(article: ArticlePage) -> ArticlePage:
    article = ArticlePage.objects.get(pk=article.pk)
    article.get_latest_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def harvested_article(community, *, by=None, published=True, **thread_kwargs) -> ArticlePage:
    """A solved thread of `community` harvested by its manager (and published)."""
    by = by or manager_of(community)
    thread = solved_thread(community, **thread_kwargs)
    article = harvest_thread(thread, by=by)
    return publish(article) if published else article


def topic(title="Facilitation", tag=None) -> TopicPage:
    home = KnowledgeHomePage.objects.get()
    page = TopicPage(title=title, tag=tag)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def article(parent: TopicPage, *, title="Running retrospectives", publish_it=True, **fields):
    """An article written in the admin (no harvest), published unless told otherwise."""
    page = ArticlePage(title=title, summary=fields.pop("summary", "How we run them."), **fields)
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish_it:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def circle_meeting(community, *members, notes="We learned to keep the retrospective short."):
    """A past meeting of a new circle of `members`: the first facilitates, the last took notes."""
    import datetime

    from django.utils import timezone

    from communities.models import CircleMeeting
    from tests.communities.factories import make_circle_of

    circle = make_circle_of(community, *members)
    return CircleMeeting.objects.create(
        circle=circle,
        sequence=1,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        facilitator=members[0],
        note_taker=members[-1],
        notes=notes,
    )


def circle_lesson(community, *members, published=True, **kwargs) -> ArticlePage:
    """A lesson harvested from a circle meeting's notes by its facilitator (and published)."""
    from knowledge.services import harvest_meeting

    meeting = circle_meeting(community, *members, **kwargs)
    lesson = harvest_meeting(meeting, by=members[0])
    return publish(lesson) if published else lesson
