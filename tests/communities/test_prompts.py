"""Managers write prompts from templates; scheduled ones become threads once, on time."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from communities.core.models.communities import Visibility
from communities.discussions.models.prompts import PromptKind, PromptStatus
from communities.discussions.models.threads import ThreadKind
from communities.discussions.services.follows import set_community_follow, set_tag_follow
from communities.discussions.services.prompts import (
    PROMPT_TEMPLATES,
    cancel_prompt,
    create_prompt,
    publish_prompt,
)
from communities.models import Notification, ScheduledPrompt, Thread
from communities.tasks import publish_due_prompts
from config.celery import app
from tests.communities.factories import Cast, CommunityFactory, UserFactory, kinds_for, make_member

pytestmark = pytest.mark.django_db


def _later(minutes: int = 60) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def _schedule(cast, *, minutes: int = 60, **kwargs) -> ScheduledPrompt:
    values = {
        "author": cast.manager,
        "community": cast.community,
        "kind": PromptKind.REFLECTIVE,
        "title": "Looking back on your first month",
        "body": "What surprised you most?",
        "tag_names": ["onboarding"],
        "publish_at": _later(minutes),
    }
    return create_prompt(**{**values, **kwargs})


def _make_due(prompt: ScheduledPrompt) -> None:
    ScheduledPrompt.objects.filter(pk=prompt.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_every_kind_has_a_helpful_starter():
    assert set(PROMPT_TEMPLATES) == set(PromptKind.values)
    for template in PROMPT_TEMPLATES.values():
        assert template["title"]
        assert len(template["body"]) > 40


def test_publishing_at_once_makes_a_prompt_thread(cast):
    prompt = _schedule(cast, publish_at=None)
    assert prompt.status == PromptStatus.PUBLISHED
    thread = prompt.published_thread
    assert thread.kind == ThreadKind.PROMPT
    assert thread.author == cast.manager
    assert [tag.name for tag in thread.tags.all()] == ["onboarding"]


def test_a_scheduled_prompt_waits_for_its_time_and_publishes_once(cast):
    prompt = _schedule(cast)
    assert publish_due_prompts() == 0
    assert not Thread.objects.exists()
    _make_due(prompt)
    assert publish_due_prompts() == 1
    assert publish_due_prompts() == 0
    assert publish_prompt(prompt_id=prompt.pk) is None
    prompt.refresh_from_db()
    assert prompt.status == PromptStatus.PUBLISHED
    assert prompt.published_at is not None
    assert Thread.objects.get() == prompt.published_thread


def test_the_beat_schedule_runs_it_every_minute():
    entry = app.conf.beat_schedule["publish-due-prompts"]
    assert entry["task"] == "communities.tasks.publish_due_prompts"
    assert entry["schedule"] == 60


def test_only_managers_write_prompts(cast):
    for person in (cast.member, cast.moderator, cast.outsider):
        with pytest.raises(PermissionDenied):
            _schedule(cast, author=person)
    assert not ScheduledPrompt.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "  "}, "Give your thread a title"),
        ({"body": ""}, "The body is empty"),
        ({"body": "x" * 20_001}, "keep it under"),
        ({"tag_names": ["Not a tag!"]}, "is not a valid tag"),
        ({"kind": "gossip"}, "six kinds"),
        ({"title": PROMPT_TEMPLATES[PromptKind.REFLECTIVE]["title"]}, "Finish the title"),
        ({"body": PROMPT_TEMPLATES[PromptKind.REFLECTIVE]["body"]}, "with your own words"),
        ({"publish_at": timezone.now() - datetime.timedelta(days=1)}, "That time has passed"),
        ({"publish_at": timezone.now() + datetime.timedelta(days=400)}, "a year ahead"),
    ],
)
def test_bad_prompts_are_refused_with_a_message_and_write_nothing(cast, change, message):
    with pytest.raises(ValidationError, match=message):
        _schedule(cast, **change)
    assert not ScheduledPrompt.objects.exists()
    assert not Thread.objects.exists()


def test_cancelling_stops_publication_and_published_prompts_cannot_be_cancelled(cast):
    prompt = _schedule(cast)
    cancel_prompt(actor=cast.manager, prompt=prompt)
    cancel_prompt(actor=cast.manager, prompt=prompt)
    _make_due(prompt)
    assert publish_due_prompts() == 0
    assert ScheduledPrompt.objects.get().status == PromptStatus.CANCELLED
    published = _schedule(cast, publish_at=None)
    with pytest.raises(ValidationError, match="only scheduled prompts can be cancelled"):
        cancel_prompt(actor=cast.manager, prompt=published)
    with pytest.raises(PermissionDenied):
        cancel_prompt(actor=cast.member, prompt=prompt)


def test_a_prompt_whose_author_left_fails_visibly_instead_of_publishing(cast):
    prompt = _schedule(cast)
    cast.manager.memberships.update(status="left")
    _make_due(prompt)
    assert publish_due_prompts() == 0
    prompt.refresh_from_db()
    assert prompt.status == PromptStatus.FAILED
    assert prompt.failure_reason
    assert not Thread.objects.exists()


def test_a_prompt_in_a_private_community_never_reaches_outsiders(client):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    manager = make_member(community, role="manager")
    member = make_member(community)
    outsider = UserFactory()
    set_tag_follow(user=outsider, tag_name="onboarding", follow=True)
    set_tag_follow(user=member, tag_name="onboarding", follow=True)
    prompt = create_prompt(
        author=manager,
        community=community,
        kind=PromptKind.OPINION,
        title="Where do you stand on cameras-on meetings?",
        body="Say it kindly.",
        tag_names=["onboarding"],
        publish_at=_later(),
    )
    _make_due(prompt)
    publish_due_prompts()
    thread = ScheduledPrompt.objects.get().published_thread
    assert kinds_for(member) == ["followed_tag"]
    assert not Notification.objects.filter(recipient=outsider).exists()
    client.force_login(outsider)
    assert client.get(f"/c/{community.slug}/prompts/").status_code == 404
    assert client.get(f"/c/{community.slug}/t/{thread.pk}/").status_code == 404
    assert thread.title not in client.get("/notifications/").content.decode()
    assert thread.title not in client.get("/search/?q=cameras").content.decode()


def test_followers_of_the_community_hear_of_a_published_prompt(cast):
    set_community_follow(user=cast.member, community=cast.community, follow=True)
    _make_due(_schedule(cast))
    publish_due_prompts()
    assert kinds_for(cast.member) == ["followed_community"]


# Pages -----------------------------------------------------------------------------------


def test_the_prompts_page_is_for_managers_only(client, cast):
    url = f"/c/{cast.community.slug}/prompts/"
    for person in (cast.member, cast.moderator, cast.outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(cast.manager)
    assert client.get(url).status_code == 200


def test_a_manager_schedules_from_a_template_in_their_timezone_and_cancels(client, cast):
    cast.manager.timezone = "Asia/Seoul"
    cast.manager.save(update_fields=["timezone"])
    client.force_login(cast.manager)
    url = f"/c/{cast.community.slug}/prompts/"
    page = client.get(f"{url}?kind=problem").content.decode()
    assert PROMPT_TEMPLATES[PromptKind.PROBLEM_SOLVING]["title"] in page
    when = timezone.now().astimezone(datetime.UTC) + datetime.timedelta(days=2)
    local = when.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    response = client.post(
        url,
        {
            "kind": "problem",
            "title": "How would you run a meeting with no agenda?",
            "body": "Small steps welcome.",
            "tag_names": "facilitation",
            "publish_at": local.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    prompt = ScheduledPrompt.objects.get()
    assert prompt.status == PromptStatus.SCHEDULED
    assert abs(prompt.publish_at - when) < datetime.timedelta(minutes=1)
    page = client.get(url).content.decode()
    assert "How would you run a meeting with no agenda?" in page
    client.post(f"{url}{prompt.pk}/cancel/")
    prompt.refresh_from_db()
    assert prompt.status == PromptStatus.CANCELLED


def test_a_bad_form_shows_the_message_and_keeps_the_text(client, cast):
    client.force_login(cast.manager)
    url = f"/c/{cast.community.slug}/prompts/"
    response = client.post(url, {"kind": "creative", "title": "", "body": "Imagine…"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give your thread a title" in body
    assert "Imagine…" in body
    assert not ScheduledPrompt.objects.exists()


def test_the_manager_sees_a_link_to_prompts_on_the_thread_list(client, cast):
    client.force_login(cast.manager)
    assert (
        f"/c/{cast.community.slug}/prompts/"
        in client.get(f"/c/{cast.community.slug}/t/").content.decode()
    )
    client.force_login(cast.member)
    assert (
        f"/c/{cast.community.slug}/prompts/"
        not in client.get(f"/c/{cast.community.slug}/t/").content.decode()
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_publish_a_prompt_once():
    cast = Cast()
    prompt = _schedule(cast)
    _make_due(prompt)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(publish_due_prompts())
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(results) == [0, 1]
    assert Thread.objects.filter(kind=ThreadKind.PROMPT).count() == 1


def test_the_prompts_page_keeps_a_constant_number_of_queries(client, cast):
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.manager)
    url = f"/c/{cast.community.slug}/prompts/"
    counts = []
    for size in (5, 50):
        while ScheduledPrompt.objects.count() < size:
            n = ScheduledPrompt.objects.count()
            prompt = _schedule(cast, title=f"Prompt {n}", tag_names=[f"tag-{n % 3}"])
            if n % 2:
                _make_due(prompt)
                publish_prompt(prompt_id=prompt.pk)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
