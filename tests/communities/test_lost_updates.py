"""Meeting notes keep their earlier versions, and a save from an outdated form is refused
with both texts shown: nobody's newer notes are overwritten without a trace."""

import pytest
from django.urls import reverse

from communities.circles.services.circles import save_meeting_notes
from communities.core.errors import EditConflict
from communities.core.models.communities import Role
from communities.models import CircleMeeting, MeetingNotesRevision
from tests.communities.factories import CommunityFactory, make_circle, make_member

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def meeting():
    community = CommunityFactory()
    circle = make_circle(community, members=5, capacity=6)
    return circle.meetings.select_related("circle__community").order_by("sequence").first()


def notes_url(meeting, name="meeting-notes"):
    return reverse(
        f"communities:{name}",
        kwargs={
            "slug": meeting.circle.community.slug,
            "circle_slug": meeting.circle.slug,
            "sequence": meeting.sequence,
        },
    )


def test_each_save_keeps_the_earlier_notes(meeting):
    writer = meeting.note_taker
    save_meeting_notes(actor=writer, meeting=meeting, notes="First draft", base_version=0)
    save_meeting_notes(actor=writer, meeting=meeting, notes="Second draft", base_version=1)
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.notes_version) == ("Second draft", 2)
    kept = MeetingNotesRevision.objects.filter(meeting=meeting)
    assert list(kept.values_list("notes", "editor_id")) == [("First draft", writer.pk)]


def test_a_save_from_an_outdated_version_is_refused_and_overwrites_nothing(meeting):
    moderator = make_member(meeting.circle.community, role=Role.MODERATOR)
    save_meeting_notes(actor=meeting.note_taker, meeting=meeting, notes="Newer", base_version=0)
    with pytest.raises(EditConflict) as caught:
        save_meeting_notes(actor=moderator, meeting=meeting, notes="Stale", base_version=0)
    assert (caught.value.current, caught.value.submitted) == ("Newer", "Stale")
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.notes_version) == ("Newer", 1)


def test_the_page_shows_both_texts_and_keeps_the_newer(client, meeting):
    community = meeting.circle.community
    moderator = make_member(community, role=Role.MODERATOR)
    # Both open the page: the form carries the version they started from.
    client.force_login(moderator)
    page = client.get(notes_url(meeting, "meeting-detail")).content.decode()
    assert 'name="base_version" value="0"' in page
    client.force_login(meeting.note_taker)
    assert client.post(notes_url(meeting), {"notes": "Decided: pairs.", "base_version": "0"})[
        "Location"
    ].endswith(notes_url(meeting, "meeting-detail"))
    client.force_login(moderator)
    response = client.post(notes_url(meeting), {"notes": "Typo fixed.", "base_version": "0"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "saved a newer version" in text
    assert "Decided: pairs." in text
    assert "Typo fixed." in text
    # Saving again from the page it answered with (now at the newer version) works.
    assert 'name="base_version" value="1"' in text
    meeting = CircleMeeting.objects.get(pk=meeting.pk)
    assert meeting.notes == "Decided: pairs."
    response = client.post(notes_url(meeting), {"notes": "Both merged.", "base_version": "1"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Both merged."
    assert list(
        MeetingNotesRevision.objects.filter(meeting=meeting).values_list("notes", flat=True)
    ) == ["Decided: pairs."]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_version_at_once_keep_one_and_refuse_the_other():
    import threading

    from django.db import connection

    community = CommunityFactory()
    circle = make_circle(community, members=5, capacity=6)
    meeting = circle.meetings.select_related("circle__community").order_by("sequence").first()
    moderator = make_member(community, role=Role.MODERATOR)
    barrier = threading.Barrier(2)
    saved, refused = [], []

    def save(actor, text):
        try:
            barrier.wait()
            save_meeting_notes(actor=actor, meeting=meeting, notes=text, base_version=0)
            saved.append(text)
        except EditConflict as conflict:
            refused.append((conflict.current, conflict.submitted))
        finally:
            connection.close()

    workers = [
        threading.Thread(target=save, args=(meeting.note_taker, "From the note-taker")),
        threading.Thread(target=save, args=(moderator, "From the moderator")),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(saved) == len(refused) == 1
    assert refused[0][0] == saved[0]
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.notes_version) == (saved[0], 1)
