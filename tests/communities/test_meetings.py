"""A member's side of a meeting: RSVP, attendance, notes, commitment, reflection, agenda."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.circles.models import Rsvp
from communities.circles.selectors import meeting_agenda
from communities.circles.services.circles import (
    leave_reflection,
    mark_attendance,
    save_meeting_notes,
    set_commitment,
    set_rsvp,
)
from communities.core.models.communities import MembershipStatus, Role
from communities.models import CircleMeeting, MeetingParticipation
from tests.communities.factories import CommunityFactory, make_circle, make_member

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def circle(community):
    return make_circle(community, members=5, capacity=6)


def first_meeting(circle) -> CircleMeeting:
    return circle.meetings.select_related("circle__community").order_by("sequence").first()


def move_to_past(meeting, hours=3):
    CircleMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=hours)
    )
    return CircleMeeting.objects.select_related("circle__community").get(pk=meeting.pk)


def url(name, meeting):
    return reverse(
        f"communities:{name}",
        kwargs={
            "slug": meeting.circle.community.slug,
            "circle_slug": meeting.circle.slug,
            "sequence": meeting.sequence,
        },
    )


def test_a_role_holder_who_says_no_hands_the_role_to_someone_who_comes(circle):
    meeting = first_meeting(circle)
    facilitator, timekeeper_id = meeting.facilitator, meeting.timekeeper_id
    set_rsvp(user=facilitator, meeting=meeting, rsvp=Rsvp.NO)
    meeting.refresh_from_db()
    holders = {meeting.facilitator_id, meeting.timekeeper_id, meeting.note_taker_id}
    assert facilitator.pk not in holders
    assert len(holders) == 3
    assert None not in holders
    # The timekeeper, who still comes, keeps the role.
    assert meeting.timekeeper_id == timekeeper_id


def test_rsvp_refuses_bad_answers_outsiders_and_started_meetings(circle, community):
    meeting = first_meeting(circle)
    member = meeting.facilitator
    with pytest.raises(ValidationError, match="yes or no"):
        set_rsvp(user=member, meeting=meeting, rsvp="maybe")
    with pytest.raises(ValidationError, match="Only members of this circle"):
        set_rsvp(user=make_member(community), meeting=meeting, rsvp=Rsvp.YES)
    with pytest.raises(ValidationError, match="already started"):
        set_rsvp(user=member, meeting=move_to_past(meeting), rsvp=Rsvp.YES)
    assert not MeetingParticipation.objects.exists()


def test_a_banned_member_is_no_longer_treated_as_in_the_circle(circle):
    meeting = first_meeting(circle)
    member = meeting.timekeeper
    member.memberships.update(status=MembershipStatus.BANNED)
    with pytest.raises(ValidationError):
        set_rsvp(user=member, meeting=meeting, rsvp=Rsvp.YES)


def test_attendance_is_marked_by_members_themselves_once_the_meeting_started(circle):
    meeting = first_meeting(circle)
    member = meeting.note_taker
    with pytest.raises(ValidationError, match="once the meeting has started"):
        mark_attendance(user=member, meeting=meeting, attended=True)
    participation = mark_attendance(user=member, meeting=move_to_past(meeting), attended=True)
    assert participation.attended is True


def test_notes_are_written_by_the_note_taker_and_moderators_only(circle, community):
    meeting = first_meeting(circle)
    save_meeting_notes(actor=meeting.note_taker, meeting=meeting, notes="We tried **fishbowl**.")
    with pytest.raises(PermissionDenied):
        save_meeting_notes(actor=meeting.facilitator, meeting=meeting, notes="Mine now")
    moderator = make_member(community, role=Role.MODERATOR)
    save_meeting_notes(actor=moderator, meeting=meeting, notes="Fixed a typo.")
    meeting.refresh_from_db()
    assert meeting.notes == "Fixed a typo."
    with pytest.raises(ValidationError, match="up to 20000"):
        save_meeting_notes(actor=moderator, meeting=meeting, notes="x" * 20001)
    meeting.refresh_from_db()
    assert meeting.notes == "Fixed a typo."


def test_commitments_come_back_on_the_next_agenda(circle):
    first, second = list(circle.meetings.order_by("sequence")[:2])
    member = first.facilitator
    set_commitment(user=member, meeting=first, text="Run one retro with the new format.")
    agenda = {row["member"].pk: row["commitment"] for row in meeting_agenda(second)}
    assert agenda[member.pk] == "Run one retro with the new format."
    assert len(agenda) == 5
    with pytest.raises(ValidationError, match="under 1000"):
        set_commitment(user=member, meeting=first, text="x" * 1001)


def test_reflections_are_for_attendees_after_the_meeting_with_a_rating_1_to_5(circle):
    meeting = first_meeting(circle)
    member = meeting.timekeeper
    with pytest.raises(ValidationError, match="once it is over"):
        leave_reflection(user=member, meeting=meeting, reflection="Good", rating=4)
    meeting = move_to_past(meeting)
    with pytest.raises(ValidationError, match="mark your attendance first"):
        leave_reflection(user=member, meeting=meeting, reflection="Good", rating=4)
    mark_attendance(user=member, meeting=meeting, attended=True)
    for bad in (0, 6, "five", None):
        with pytest.raises(ValidationError):
            leave_reflection(user=member, meeting=meeting, reflection="Good", rating=bad)
    leave_reflection(user=member, meeting=meeting, reflection="Focused and kind.", rating=5)
    participation = MeetingParticipation.objects.get(meeting=meeting, user=member)
    assert (participation.reflection, participation.rating) == ("Focused and kind.", 5)


def test_the_meeting_page_shows_roles_agenda_and_rsvp(client, circle):
    meeting = first_meeting(circle)
    client.force_login(meeting.facilitator)
    response = client.get(url("meeting-detail", meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert meeting.timekeeper.public_name in page
    assert "Yes, I'll come" in page
    assert f'href="{reverse("communities:community-detail", args=[circle.community.slug])}"' in page
    response = client.post(url("meeting-rsvp", meeting), {"rsvp": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "You said: <strong>Coming</strong>" in response.content.decode()


def test_only_the_facilitator_sees_the_reflections(client, circle):
    meeting = move_to_past(first_meeting(circle))
    author = meeting.timekeeper
    mark_attendance(user=author, meeting=meeting, attended=True)
    leave_reflection(user=author, meeting=meeting, reflection="Secret insight", rating=3)
    client.force_login(meeting.facilitator)
    seen = client.get(url("meeting-detail", meeting)).content.decode()
    assert "Secret insight" in seen
    assert "3/5" in seen
    client.force_login(meeting.note_taker)
    assert "Secret insight" not in client.get(url("meeting-detail", meeting)).content.decode()


def test_a_bad_reflection_is_shown_as_a_form_error(client, circle):
    meeting = move_to_past(first_meeting(circle))
    member = meeting.facilitator
    mark_attendance(user=member, meeting=meeting, attended=True)
    client.force_login(member)
    response = client.post(url("meeting-reflection", meeting), {"reflection": "", "rating": "9"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not MeetingParticipation.objects.filter(rating__isnull=False).exists()


def test_the_next_meeting_page_shows_each_members_commitment_on_its_agenda(client, circle):
    first, second = list(circle.meetings.order_by("sequence")[:2])
    client.force_login(first.timekeeper)
    client.post(url("meeting-commitment", first), {"commitment": "Try silent brainstorming."})
    client.force_login(second.facilitator)
    page = client.get(url("meeting-detail", second)).content.decode()
    agenda = page.split('class="table agenda"')[1].split("</table>")[0]
    assert first.timekeeper.public_name in agenda
    assert "Try silent brainstorming." in agenda


def test_notes_commitment_and_attendance_through_the_page(client, circle):
    meeting = move_to_past(first_meeting(circle))
    client.force_login(meeting.note_taker)
    client.post(url("meeting-notes", meeting), {"notes": "Decided to try pairs."})
    client.post(url("meeting-commitment", meeting), {"commitment": "Pair twice."})
    client.post(url("meeting-attendance", meeting), {"attended": "yes"})
    meeting.refresh_from_db()
    assert meeting.notes == "Decided to try pairs."
    mine = MeetingParticipation.objects.get(meeting=meeting, user=meeting.note_taker)
    assert (mine.commitment, mine.attended) == ("Pair twice.", True)


def _meeting_page_queries(client, community, members: int) -> int:
    circle = make_circle(community, members=members, capacity=8)
    meeting = first_meeting(circle)
    for seat in circle.memberships.select_related("user"):
        set_commitment(user=seat.user, meeting=meeting, text="Something")
    second = circle.meetings.order_by("sequence")[1]
    client.force_login(meeting.facilitator)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("meeting-detail", second)).status_code == 200
    return len(queries)


def test_the_meeting_page_keeps_its_query_count_as_the_circle_grows(client, community):
    # A circle seats at most 8, so 5 and 8 members are the sizes that matter.
    small = _meeting_page_queries(client, community, 5)
    large = _meeting_page_queries(client, community, 8)
    # 13: the rules read the viewer's role once (remember_permissions) since the place form;
    # the session is read from the cache.
    assert small == large == 13  # includes the unread-notification count in the navigation
