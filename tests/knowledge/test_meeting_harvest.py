"""A circle meeting's notes harvested into a "lesson learned": the circle's alone until its
facilitator records that the circle agreed to share it with the community."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communities.public import NotAllowed, Visibility
from knowledge.errors import HarvestRefused
from knowledge.models import ArticleCredit, ArticleKind, ArticlePage, Audience, CreditPreference
from knowledge.selectors import readable_articles
from knowledge.services import (
    harvest_meeting,
    open_to_everyone,
    share_lesson_with_community,
)
from tests.communities.factories import UserFactory, add_member, new_community
from tests.knowledge.factories import circle_lesson, circle_meeting, make_editor, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return new_community(visibility=Visibility.OPEN)


def test_a_circle_member_harvests_the_notes_into_a_lesson_for_the_circle_only(community):
    facilitator, note_taker = add_member(community), add_member(community)
    meeting = circle_meeting(community, facilitator, note_taker, notes="Keep it **short**.")

    lesson = harvest_meeting(meeting, by=facilitator)

    lesson = ArticlePage.objects.get(pk=lesson.pk)
    assert not lesson.live
    assert lesson.kind == ArticleKind.LESSON_LEARNED
    assert lesson.audience == Audience.SOURCE_CIRCLE
    assert (lesson.source_circle, lesson.source_meeting) == (meeting.circle, meeting)
    assert lesson.source_community == community
    (notes,) = [block.value for block in lesson.body]
    assert notes["role"] == "notes"
    assert "<b>short</b>" in notes["text"].source
    assert notes["author_name"] == note_taker.public_name
    assert notes["link"].endswith(f"/meetings/{meeting.sequence}/")
    assert [c.user for c in ArticleCredit.objects.filter(page=lesson)] == [note_taker]
    # A double click makes one draft.
    assert harvest_meeting(meeting, by=note_taker).pk == lesson.pk
    assert ArticlePage.objects.filter(source_meeting=meeting).count() == 1


def test_only_circle_members_read_the_published_lesson(community, client):
    facilitator, other = add_member(community), add_member(community)
    lesson = circle_lesson(community, facilitator, other)
    outsider_member = add_member(community)
    for person, reads in (
        (facilitator, True),
        (other, True),
        (outsider_member, False),
        (UserFactory(), False),
    ):
        assert readable_articles(person).filter(pk=lesson.pk).exists() is reads
        client.force_login(person)
        assert client.get(lesson.url).status_code == (200 if reads else 404)
        found = client.get("/search/", {"q": "retrospective"}).content.decode()
        assert (lesson.url in found) is reads
    client.logout()
    assert client.get(lesson.url).status_code == 404
    assert lesson.url not in client.get(reverse("knowledge:feed")).content.decode()


def test_the_facilitators_recorded_choice_shares_it_with_the_community(community, client):
    facilitator, other = add_member(community), add_member(community)
    lesson = circle_lesson(community, facilitator, other)
    reader = add_member(community)
    with pytest.raises(NotAllowed):
        share_lesson_with_community(lesson, by=other, confirmed=True)
    with pytest.raises(ValidationError):
        share_lesson_with_community(lesson, by=facilitator, confirmed=False)
    # Editors may not open it to everyone before the circle agreed.
    with pytest.raises(ValidationError):
        open_to_everyone(lesson, by=make_editor(), confirmed=True)
    assert not readable_articles(reader).filter(pk=lesson.pk).exists()

    client.force_login(facilitator)
    response = client.post(
        reverse("knowledge:share-lesson", args=[lesson.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 302

    lesson.refresh_from_db()
    assert lesson.audience == Audience.SOURCE_COMMUNITY
    assert lesson.circle_agreed_by == facilitator
    assert lesson.circle_agreed_at is not None
    assert readable_articles(reader).filter(pk=lesson.pk).exists()
    # The choice survives publishing an older revision.
    publish(lesson)
    assert ArticlePage.objects.get(pk=lesson.pk).audience == Audience.SOURCE_COMMUNITY


def test_who_may_harvest_a_meeting(community, client):
    member, other = add_member(community), add_member(community)
    meeting = circle_meeting(community, member, other)
    for person in (add_member(community), UserFactory(), make_editor()):
        with pytest.raises(HarvestRefused, match="can't see it"):
            harvest_meeting(meeting, by=person)
    client.force_login(add_member(community))
    assert client.post(reverse("knowledge:harvest-meeting", args=[meeting.pk])).status_code == 404
    assert not ArticlePage.objects.exists()

    empty = circle_meeting(new_community(), *(lambda c: (add_member(c),))(new_community()))
    empty.notes = ""
    empty.save(update_fields=["notes"])
    with pytest.raises(HarvestRefused, match="no notes"):
        harvest_meeting(empty, by=empty.facilitator)


def test_the_meeting_page_offers_the_harvest_to_circle_members(community, client):
    facilitator, other = add_member(community), add_member(community)
    meeting = circle_meeting(community, facilitator, other)
    circle = meeting.circle
    url = reverse(
        "communities:meeting-detail", args=[community.slug, circle.slug, meeting.sequence]
    )
    client.force_login(other)
    assert "Harvest a lesson learned" in client.get(url).content.decode()
    response = client.post(reverse("knowledge:harvest-meeting", args=[meeting.pk]))
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "is waiting for editors" in page
    assert "Record the circle" not in page  # only the facilitator records the agreement
    client.force_login(facilitator)
    assert "Record the circle" in client.get(url).content.decode()


def test_the_note_taker_who_declined_credit_is_neither_named_nor_credited(community):
    facilitator, note_taker = add_member(community), add_member(community)
    CreditPreference.objects.create(user=note_taker, wants_credit=False)
    lesson = circle_lesson(community, facilitator, note_taker, published=False)
    (notes,) = [block.value for block in lesson.body]
    assert notes["author_name"] == ""
    assert not ArticleCredit.objects.filter(page=lesson).exists()


def test_no_names_under_the_chatham_house_rule():
    community = new_community(is_chatham_house=True)
    facilitator, note_taker = add_member(community), add_member(community)
    lesson = circle_lesson(community, facilitator, note_taker, published=False)
    (notes,) = [block.value for block in lesson.body]
    assert notes["author_name"] == ""
    assert not ArticleCredit.objects.filter(page=lesson).exists()


def test_only_the_facilitator_may_record_the_agreement_through_the_url(community, client):
    facilitator, other = add_member(community), add_member(community)
    lesson = circle_lesson(community, facilitator, other)
    url = reverse("knowledge:share-lesson", args=[lesson.pk])
    for person in (other, add_member(community), UserFactory(), make_editor()):
        client.force_login(person)
        assert client.post(url, {"confirmed": "yes"}).status_code == 404
    client.logout()
    assert client.post(url, {"confirmed": "yes"}).status_code == 302  # to sign in
    client.force_login(facilitator)
    client.post(url, {})  # no tick: nothing changes, a message says why
    assert ArticlePage.objects.get(pk=lesson.pk).audience == Audience.SOURCE_CIRCLE
