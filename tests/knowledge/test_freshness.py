"""Keeping articles current: review dates, "source changed", the queue's actions, the
owners' weekly emails and scheduled publishing."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from communities.public import Visibility
from knowledge import freshness, tasks
from knowledge.models import REVIEW_MONTHS, ArticleKind, ArticlePage, ReviewReminder
from knowledge.services import harvest_thread, mark_obsolete, record_feedback, verify_article
from tests.communities.factories import add_member, make_reply, manager_of, new_community
from tests.knowledge.factories import (
    article,
    make_editor,
    publish,
    solved_thread,
    topic,
)

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.timedelta(days=1)


@pytest.fixture
def community():
    return new_community(visibility=Visibility.OPEN)


def queue(user):
    from knowledge.selectors import articles_needing_review

    return list(articles_needing_review(user=user))


def test_the_review_date_defaults_by_kind():
    howto = article(topic(), kind=ArticleKind.HOW_TO)
    case = article(topic("Cases"), kind=ArticleKind.CASE_STUDY, title="A case")
    today = timezone.localdate()
    assert REVIEW_MONTHS[ArticleKind.HOW_TO] == 6
    assert (howto.review_on - today).days == 180
    assert (case.review_on - today).days == 720


def test_a_stale_article_shows_a_notice_and_enters_the_queue_until_verified(client):
    owner = make_editor()
    page = article(topic(), owner=owner)
    assert "due for review" not in client.get(page.url).content.decode()
    ArticlePage.objects.filter(pk=page.pk).update(review_on=timezone.localdate() - YESTERDAY)
    assert "due for review" in client.get(page.url).content.decode()
    assert queue(owner) == [page]

    verify_article(page, by=owner)

    page.refresh_from_db()
    assert page.review_on > timezone.localdate()
    assert page.reviewed_at is not None
    assert queue(owner) == []
    assert "due for review" not in client.get(page.url).content.decode()


def test_obsolete_articles_are_labelled_kept_and_dropped_from_search(client):
    owner = make_editor()
    page = article(topic(), owner=owner, title="Retrospective timers")
    assert page.url in client.get("/kb/?q=timers").content.decode()
    mark_obsolete(page, by=owner)
    response = client.get(page.url)
    assert response.status_code == 200
    assert "obsolete" in response.content.decode()
    assert page.url not in client.get("/kb/?q=timers").content.decode()
    assert page.url not in client.get("/search/?q=timers").content.decode()


def test_only_editors_and_the_owner_curate(community):
    from communities.public import NotAllowed

    page = article(topic(), owner=make_editor())
    with pytest.raises(NotAllowed):
        verify_article(page, by=add_member(community))
    with pytest.raises(NotAllowed):
        mark_obsolete(page, by=add_member(community))
    page.refresh_from_db()
    assert not page.is_obsolete
    assert page.reviewed_at is None


def test_a_new_accepted_answer_or_several_new_replies_mark_the_source_changed(community):
    manager = manager_of(community)
    thread = solved_thread(community)
    page = publish(harvest_thread(thread, by=manager))
    assert freshness.mark_changed_sources() == 0
    for _ in range(freshness.SUBSTANTIAL_NEW_REPLIES - 1):
        make_reply(author=add_member(community), thread=thread, body="Me too.")
    assert freshness.mark_changed_sources() == 0
    make_reply(author=add_member(community), thread=thread, body="A new way: dot voting.")
    assert tasks.mark_changed_sources() == 1
    page.refresh_from_db()
    assert page.source_changed_at is not None
    assert queue(manager) == [page]
    # Running again changes nothing; verifying clears it.
    assert freshness.mark_changed_sources() == 0
    verify_article(page, by=manager)
    page.refresh_from_db()
    assert page.source_changed_at is None


def test_a_newly_accepted_answer_marks_the_source_changed(community):
    from communities.discussions.services.threads import accept_answer

    asker = add_member(community)
    thread = solved_thread(community, asker=asker)
    page = publish(harvest_thread(thread, by=manager_of(community)))
    better = make_reply(author=add_member(community), thread=thread, body="Better answer.")
    accept_answer(actor=asker, thread=thread, post=better)
    assert freshness.mark_changed_sources() == 1
    page.refresh_from_db()
    assert page.source_changed_at is not None


def test_several_unhelpful_answers_put_an_article_in_the_queue(community):
    owner = make_editor()
    page = article(topic(), owner=owner, source_community=community)
    for _ in range(2):
        record_feedback(page, by=add_member(community), is_helpful=False, note="Out of date.")
    assert queue(owner) == []
    record_feedback(page, by=add_member(community), is_helpful=False)
    assert queue(owner) == [page]


def test_owners_get_one_email_per_article_per_week(
    community, django_capture_on_commit_callbacks, settings
):
    owner, other_owner = make_editor(), make_editor()
    stale = timezone.localdate() - YESTERDAY
    mine = [article(topic(), owner=owner, title=f"Mine {i}") for i in range(2)]
    theirs = article(topic("Other"), owner=other_owner, title="Theirs")
    fresh = article(topic("Fresh"), owner=owner, title="Fresh one")
    ArticlePage.objects.exclude(pk=fresh.pk).update(review_on=stale)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_review_reminders() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [owner.email, other_owner.email]
    )
    body = next(message.body for message in mail.outbox if message.to == [owner.email])
    assert all(page.title in body for page in mine)
    assert "Fresh one" not in body
    assert "Theirs" not in body

    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_review_reminders()
        tasks.send_owner_review_email(owner.pk)
    assert len(mail.outbox) == 2
    assert ReviewReminder.objects.count() == 3
    assert theirs.pk in set(ReviewReminder.objects.values_list("article_id", flat=True))


def test_next_week_brings_a_new_reminder(django_capture_on_commit_callbacks):
    owner = make_editor()
    page = article(topic(), owner=owner)
    ArticlePage.objects.filter(pk=page.pk).update(review_on=timezone.localdate() - YESTERDAY)
    today = timezone.localdate()
    next_week = today + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        for day in (today, next_week):
            for owner_id in freshness.claim_review_reminders(today=day):
                freshness.send_review_email(owner_id=owner_id, today=day)
    assert len(mail.outbox) == 2


def test_scheduled_go_live_happens_through_the_celery_task():
    page = article(topic(), publish_it=False, title="Scheduled")
    page = ArticlePage.objects.get(pk=page.pk)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    # An hour later: the go-live time has passed.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    tasks.publish_scheduled_pages()
    page.refresh_from_db()
    assert page.live


def test_the_beat_schedule_runs_the_knowledge_jobs():
    from config.celery import app

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {
        "knowledge.tasks.publish_scheduled_pages",
        "knowledge.tasks.mark_changed_sources",
        "knowledge.tasks.send_review_reminders",
    } <= scheduled
