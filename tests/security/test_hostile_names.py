"""Finding 6: a newline or control character in a name is stripped at the form and the service,
and a name that already holds one (a row from before) no longer breaks approving a join
request, inviting, warning or circle reminders: every email subject is built safely."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.circles.services.circles import propose_circle
from communities.core.forms.communities import CommunityForm
from communities.core.models.communities import Visibility
from communities.core.services.communities import update_community
from communities.core.services.joining import request_to_join
from communities.core.text import email_subject, single_line
from communities.models import Circle, CircleMeeting, Community, Membership, Tag
from communities.tasks import send_meeting_reminders
from tests.communities.factories import (
    Cast,
    UserFactory,
    circle_fields,
    make_circle,
    make_reply,
    make_thread,
    new_community,
)

pytestmark = pytest.mark.django_db

HOSTILE = "Night\nOwls\r\nBcc: victim@example.org\x07\x1b[31m\u202e"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Night\nOwls", "Night Owls"),
        ("  a\x00b\tc  ", "a b c"),
        ("x\u2028y\u0085z\x7f", "x y z"),
        ("gnirts\u202e reversed", "gnirts reversed"),
        ("👩\u200d💻 coders", "👩\u200d💻 coders"),  # emoji keep their joiner
        (None, ""),
    ],
)
def test_single_line(raw, clean):
    assert single_line(raw) == clean


def test_email_subjects_are_one_safe_line():
    subject = email_subject(f"Welcome to {HOSTILE}")
    for character in "\n\r\x00":
        assert character not in subject
    assert subject.startswith("Welcome to Night Owls Bcc:")
    assert len(email_subject("x" * 1000)) <= 150


def _legacy_name(model, pk):
    """A row written before names were cleaned (PostgreSQL refuses only NUL)."""
    model.objects.filter(pk=pk).update(name=HOSTILE)


def test_the_services_and_forms_strip_control_characters():
    manager = UserFactory()
    community = new_community(manager=manager, name=HOSTILE + "\x00", slug="night-owls")
    assert community.name == single_line(HOSTILE)
    update_community(actor=manager, community=community, name="New\nname\x00")
    assert Community.objects.get(pk=community.pk).name == "New name"
    circle = propose_circle(actor=manager, community=community, **circle_fields(name=HOSTILE))
    assert "\n" not in Circle.objects.get(pk=circle.pk).name
    thread = make_thread(
        author=manager, community=community, title="A\ntitle\x00", tag_names=["ok\n"]
    )
    assert thread.title == "A title"
    assert list(Tag.objects.filter(threads=thread).values_list("name", flat=True)) == ["ok"]
    form = CommunityForm(data={"name": "Bad\nname", "slug": "x", "purpose": "p", "kind": "x"})
    form.is_valid()
    assert form.cleaned_data["name"] == "Bad name"


def test_approving_a_join_request_in_a_community_named_with_a_newline(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    manager = UserFactory()
    community = new_community(manager=manager, visibility=Visibility.RESTRICTED)
    _legacy_name(Community, community.pk)
    asker = UserFactory()
    join_request = request_to_join(
        user=asker, community=community, message="Let me in", agreed_to_guidelines=True
    )
    client.force_login(manager)
    url = reverse("communities:join-request-decide", args=[community.slug, join_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    assert Membership.objects.get(user=asker, community=community).status == "active"
    assert mailoutbox[-1].subject.startswith("Welcome to Night Owls")


@pytest.mark.parametrize("person", ["handle", "email"])
def test_inviting_into_a_community_named_with_a_newline(
    client, mailoutbox, django_capture_on_commit_callbacks, person
):
    manager = UserFactory()
    community = new_community(manager=manager, visibility=Visibility.PRIVATE)
    _legacy_name(Community, community.pk)
    invitee = UserFactory(username="rosa")
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communities:invitation-list", args=[community.slug]),
            {"invite_person": "1", "person": "@rosa" if person == "handle" else invitee.email},
        )
    assert response.status_code == 302
    assert mailoutbox[-1].to == [invitee.email]
    assert "\n" not in mailoutbox[-1].subject


def test_warning_in_a_community_named_with_a_newline(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    cast = Cast()
    _legacy_name(Community, cast.community.pk)
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread)
    client.force_login(cast.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communities:moderation-act", args=[cast.community.slug]),
            {"thread": thread.pk, "post": post.pk, "action": "warn", "reason": "Calm down."},
        )
    assert response.status_code == 302
    assert mailoutbox[-1].to == [cast.other_member.email]
    assert "\n" not in mailoutbox[-1].subject


def test_reminders_for_a_circle_named_with_a_newline(mailoutbox):
    community = new_community()
    circle = make_circle(community, members=4)
    _legacy_name(Circle, circle.pk)
    meeting = circle.meetings.order_by("sequence").first()
    CircleMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + dt.timedelta(hours=3)
    )
    assert send_meeting_reminders() == 1
    assert len(mailoutbox) == 4
    assert all(message.subject.startswith("[Trellis] Night Owls") for message in mailoutbox)


def test_a_knowledge_article_title_is_one_line_for_wagtails_workflow_emails():
    from tests.knowledge.factories import article, topic

    page = article(topic(), title="Retros\nBcc: someone@example.org", publish_it=False)
    page.refresh_from_db()
    assert page.title == "Retros Bcc: someone@example.org"
