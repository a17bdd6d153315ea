import pytest
from django.core.management import call_command
from django.utils import timezone

from communities.core.models.communities import Visibility
from communities.models import (
    AwardedBadge,
    Circle,
    CircleMeeting,
    Community,
    Flag,
    LifecycleTransition,
    MeetingParticipation,
    Membership,
    Post,
    ScheduledPrompt,
    Thread,
    User,
)

SEEDED = [User, Community, Membership, LifecycleTransition, Circle, CircleMeeting,
          MeetingParticipation, Thread, Post, Flag, ScheduledPrompt, AwardedBadge]  # fmt: skip


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(capsys):
    call_command("seed_demo")
    first = {model: model.objects.count() for model in SEEDED}
    call_command("seed_demo")
    assert {model: model.objects.count() for model in SEEDED} == first
    out = capsys.readouterr().out
    assert "staff@trellis.test" in out


@pytest.mark.django_db
def test_demo_staff_opens_both_admins(client):
    call_command("seed_demo")
    assert client.login(email="staff@trellis.test", password="trellis-demo-2026")
    assert client.get("/cms/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


@pytest.mark.django_db
def test_demo_has_communities_in_several_stages_and_visibilities_and_rotated_circles():
    call_command("seed_demo")
    assert len(set(Community.objects.values_list("stage", flat=True))) >= 3
    assert set(Community.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    assert Circle.objects.filter(status="active").count() == 2
    for circle in Circle.objects.all():
        past = circle.meetings.filter(starts_at__lt=timezone.now())
        upcoming = circle.meetings.filter(starts_at__gte=timezone.now())
        assert past.exists()
        assert upcoming.exists()
        facilitators = set(circle.meetings.values_list("facilitator", flat=True))
        assert len(facilitators) >= 3, "roles rotate between meetings"
    assert User.objects.exclude(motivation="").count() >= 8
    assert User.objects.filter(expertise__isnull=False).distinct().count() >= 8


@pytest.mark.django_db
def test_demo_has_discussions_of_every_kind_a_prompt_open_flags_and_badges():
    call_command("seed_demo")
    assert set(Thread.objects.values_list("kind", flat=True)) == {
        "question", "discussion", "prompt", "showcase", "retrospective"
    }  # fmt: skip
    assert Thread.objects.filter(is_anonymous=True).exists()
    assert Thread.objects.filter(accepted_answer__isnull=False).exists()
    assert Thread.objects.filter(verified_answer__isnull=False).exists()
    assert ScheduledPrompt.objects.filter(status="scheduled").exists()
    assert Flag.objects.filter(status="open").count() >= 2
    assert AwardedBadge.objects.exists()


@pytest.mark.django_db
def test_operators_read_the_records_in_the_django_admin_but_not_threads(client):
    call_command("seed_demo")
    assert client.login(email="staff@trellis.test", password="trellis-demo-2026")
    admin_models = [
        "auditentry", "joinrequest", "invitation", "circle", "circlemeeting",
        "scheduledprompt", "awardedbadge", "community", "membership", "user",
    ]  # fmt: skip
    for model in admin_models:
        assert client.get(f"/django-admin/communities/{model}/").status_code == 200, model
    assert client.get("/django-admin/communities/auditentry/add/").status_code == 403
    # An anonymous asker must not be one click away for staff: no thread admin at all.
    assert client.get("/django-admin/communities/thread/").status_code == 404
