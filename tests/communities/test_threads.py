import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities.discussions.models.threads import BODY_MAX_LENGTH
from communities.discussions.services.threads import edit_thread
from communities.models import Tag, Thread, ThreadRevision
from tests.communities.factories import UserFactory, make_circle_of, make_thread

pytestmark = pytest.mark.django_db


def test_a_member_starts_a_tagged_question(cast):
    thread = make_thread(
        author=cast.member, community=cast.community, tag_names=["Remote-Work", "remote-work"]
    )
    assert thread.author == cast.member
    assert [tag.name for tag in thread.tags.all()] == ["remote-work"]
    assert thread.last_activity_at == thread.created_at


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "   "}, "title", "Give your thread a title."),
        ({"body": ""}, "body", "The body is empty"),
        ({"body": "x" * (BODY_MAX_LENGTH + 1)}, "body", "keep it under 20,000"),
        ({"tag_names": ["Not a tag!"]}, "tags", "is not a valid tag"),
        ({"tag_names": [f"t{n}" for n in range(6)]}, "tags", "at most 5 tags"),
        ({"kind": "discussion", "is_anonymous": True}, "is_anonymous", "Only questions"),
        ({"kind": "poll"}, "kind", "Choose what kind"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    cast, change, field, message
):
    with pytest.raises(ValidationError) as error:
        make_thread(author=cast.member, community=cast.community, **change)
    assert message in " ".join(error.value.message_dict[field])
    assert not Thread.objects.exists()
    assert not Tag.objects.exists()


def test_outsiders_and_members_who_have_not_agreed_to_new_guidelines_cannot_post(cast):
    with pytest.raises(PermissionDenied):
        make_thread(author=cast.outsider, community=cast.community)
    cast.community.guidelines_version = 2
    cast.community.save(update_fields=["guidelines_version"])
    with pytest.raises(PermissionDenied):
        make_thread(author=cast.member, community=cast.community)
    assert not Thread.objects.exists()


def test_circle_threads_need_active_circle_membership(cast):
    circle = make_circle_of(cast.community, cast.member)
    thread = make_thread(author=cast.member, community=cast.community, circle=circle)
    assert thread.circle == circle
    with pytest.raises(PermissionDenied):
        make_thread(author=cast.other_member, community=cast.community, circle=circle)


def test_editing_keeps_the_earlier_version_and_marks_the_thread_edited(cast):
    thread = make_thread(author=cast.member, community=cast.community, title="First title")
    edit_thread(
        actor=cast.member, thread=thread, title="Better title", body="New body", tag_names=["x"]
    )
    thread.refresh_from_db()
    assert (thread.title, thread.body) == ("Better title", "New body")
    assert thread.edited_at is not None
    revision = ThreadRevision.objects.get(thread=thread)
    assert revision.title == "First title"


def test_only_the_author_edits_and_bad_edits_change_nothing(cast):
    thread = make_thread(author=cast.member, community=cast.community, title="First title")
    with pytest.raises(PermissionDenied):
        edit_thread(actor=cast.moderator, thread=thread, title="X", body="Y", tag_names=[])
    with pytest.raises(ValidationError):
        edit_thread(actor=cast.member, thread=thread, title="", body="Y", tag_names=[])
    thread.refresh_from_db()
    assert thread.title == "First title"
    assert thread.edited_at is None
    assert not ThreadRevision.objects.exists()


def test_the_form_shows_service_errors_on_the_fields(client, cast):
    client.force_login(cast.member)
    response = client.post(
        f"/c/{cast.community.slug}/t/new/",
        {"kind": "question", "title": "", "body": "text", "tag_names": "Bad Tag"},
    )
    assert response.status_code == 200
    assert "Give your thread a title." in response.content.decode()
    assert not Thread.objects.exists()
    response = client.post(
        f"/c/{cast.community.slug}/t/new/",
        {"kind": "question", "title": "Hi", "body": "text", "tag_names": "bad tag!"},
    )
    assert "is not a valid tag" in response.content.decode()


def test_starting_a_thread_in_the_browser_form_redirects_to_it(client, cast):
    client.force_login(cast.member)
    response = client.post(
        f"/c/{cast.community.slug}/t/new/",
        {
            "kind": "discussion",
            "title": "Show your boards",
            "body": "Mine **first**",
            "tag_names": "",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/c/{cast.community.slug}/t/{thread.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "<strong>first</strong>" in page


def test_non_members_see_why_they_cannot_start_a_thread(client, cast):
    client.force_login(UserFactory())
    response = client.get(f"/c/{cast.community.slug}/t/new/")
    assert "Only members who agreed" in response.content.decode()


def test_list_filters_by_kind_tag_and_status_and_shows_the_status(client, cast):
    question = make_thread(author=cast.member, community=cast.community, title="Q one")
    make_thread(
        author=cast.member, community=cast.community, kind="showcase", title="My board",
        tag_names=["boards"],
    )  # fmt: skip
    url = f"/c/{cast.community.slug}/t/"
    page = client.get(url).content.decode()
    assert "Unanswered" in page
    assert "My board" in page
    assert "My board" not in client.get(url + "?kind=question").content.decode()
    assert "Q one" not in client.get(url + "?tag=boards").content.decode()
    assert "Q one" in client.get(url + "?status=unanswered").content.decode()
    assert "Q one" not in client.get(url + "?status=answered").content.decode()
    assert question.kind == "question"


def test_sorts_by_newest_and_most_votes(cast):
    from communities.discussions.selectors.threads import threads_for_community
    from communities.discussions.services.votes import vote
    from tests.communities.factories import make_reply

    old = make_thread(author=cast.member, community=cast.community, title="Old")
    new = make_thread(author=cast.member, community=cast.community, title="New")
    vote(voter=cast.other_member, post=make_reply(author=cast.member, thread=old))
    newest = threads_for_community(viewer=cast.member, community=cast.community, sort="newest")
    assert list(newest) == [new, old]
    votes = threads_for_community(viewer=cast.member, community=cast.community, sort="votes")
    assert list(votes) == [old, new]


def test_demo_threads_cover_every_kind_and_run_once(cast):
    from communities.demo.discussions import seed_discussions

    members = [cast.member, cast.other_member]
    assert seed_discussions(community=cast.community, members=members, moderator=cast.moderator)
    assert not seed_discussions(community=cast.community, members=members, moderator=cast.moderator)
    threads = Thread.objects.filter(community=cast.community)
    assert {t.kind for t in threads} == {
        "question", "discussion", "prompt", "showcase", "retrospective"
    }  # fmt: skip
    assert threads.filter(is_anonymous=True).exists()
    assert threads.filter(accepted_answer__isnull=False, verified_answer__isnull=False).exists()


def test_locked_threads_cannot_be_edited(cast):
    thread = make_thread(author=cast.member, community=cast.community, title="First title")
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    with pytest.raises(ValidationError, match="locked"):
        edit_thread(actor=cast.member, thread=thread, title="New", body="New", tag_names=[])
    assert Thread.objects.get(pk=thread.pk).title == "First title"
