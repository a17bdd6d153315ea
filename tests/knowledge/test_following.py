"""Followers hear of what they follow, each event once: a new article in a followed topic, a
followed article updated (republished) or marked obsolete; never of what they may not read."""

import pytest
from django.core import mail

from communities.public import Visibility
from knowledge import following
from knowledge.models import ArticlePage, FollowNotice
from knowledge.services import mark_obsolete, set_following
from tests.communities.factories import UserFactory, add_member, new_community
from tests.knowledge.factories import article, make_editor, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    community = new_community(visibility=Visibility.OPEN)
    return community, add_member(community), topic("Facilitation")


def sent_to(person) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [person.email]]


def test_a_new_article_in_a_followed_topic_is_announced_once(
    world, django_capture_on_commit_callbacks
):
    community, reader, facilitation = world
    set_following(facilitation, by=reader, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        page = article(facilitation, title="Silent rounds", source_community=community)
    assert sent_to(reader) == ["New in Facilitation: Silent rounds"]
    assert page.url in mail.outbox[0].body
    # The job running again sends nothing more.
    following.notify_followers(article_id=page.pk, event="published")
    assert len(mail.outbox) == 1


def test_a_followed_article_republished_or_obsoleted_tells_its_followers_once(
    world, django_capture_on_commit_callbacks
):
    community, reader, facilitation = world
    page = article(facilitation, title="Silent rounds", source_community=community)
    set_following(page, by=reader, following=True)
    topic_follower = UserFactory()
    set_following(facilitation, by=topic_follower, following=True)

    with django_capture_on_commit_callbacks(execute=True):
        page = ArticlePage.objects.get(pk=page.pk)
        page.summary = "Now with pairs."
        revision = page.save_revision()
        revision.publish()
    assert sent_to(reader) == ["Updated: Silent rounds"]
    assert sent_to(topic_follower) == []  # not new: the topic's followers heard of it before
    following.notify_followers(article_id=page.pk, event="published", revision_id=revision.pk)
    assert len(mail.outbox) == 1

    editor = make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        mark_obsolete(page, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        mark_obsolete(page, by=editor)
    assert sent_to(reader) == ["Updated: Silent rounds", "Marked obsolete: Silent rounds"]
    assert FollowNotice.objects.filter(user=reader).count() == 2


def test_followers_who_may_not_read_the_article_hear_nothing(
    world, django_capture_on_commit_callbacks
):
    _, reader, facilitation = world
    restricted = new_community(visibility=Visibility.RESTRICTED)
    insider = add_member(restricted)
    for person in (reader, insider):
        set_following(facilitation, by=person, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        article(facilitation, title="Members only", source_community=restricted)
    assert sent_to(insider) == ["New in Facilitation: Members only"]
    assert sent_to(reader) == []


def test_a_failed_send_is_retried_by_the_next_run(world, monkeypatch):
    community, reader, facilitation = world
    set_following(facilitation, by=reader, following=True)
    page = article(facilitation, title="Silent rounds", source_community=community)

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(following, "send_member_email", broken)
    with pytest.raises(ConnectionError):
        following.notify_followers(article_id=page.pk, event="published")
    assert FollowNotice.objects.get().emailed_at is None
    monkeypatch.undo()
    assert following.notify_followers(article_id=page.pk, event="published") == 1
    assert len(mail.outbox) == 1
