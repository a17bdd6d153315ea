import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities.discussions.models.threads import BODY_MAX_LENGTH
from communities.discussions.services.posts import edit_post
from communities.models import Post, PostRevision, Thread
from tests.communities.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(cast):
    return make_thread(author=cast.member, community=cast.community)


def test_a_reply_moves_the_thread_up_the_activity_list(cast, thread):
    post = make_reply(author=cast.other_member, thread=thread)
    thread.refresh_from_db()
    assert thread.last_activity_at == post.created_at


def test_replies_nest_one_level_only(cast, thread):
    answer = make_reply(author=cast.other_member, thread=thread)
    child = make_reply(author=cast.member, thread=thread, parent=answer)
    grandchild = make_reply(author=cast.other_member, thread=thread, parent=child)
    assert child.parent == answer
    assert grandchild.parent == answer


@pytest.mark.parametrize("flag", ["is_locked", "is_hidden"])
def test_locked_and_hidden_threads_take_no_replies(cast, thread, flag):
    Thread.objects.filter(pk=thread.pk).update(**{flag: True})
    with pytest.raises(ValidationError) as error:
        make_reply(author=cast.other_member, thread=thread)
    assert "locked" in str(error.value) or "hidden" in str(error.value)
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [("  ", "Your reply is empty"), ("x" * (BODY_MAX_LENGTH + 1), "keep it under 20,000")],
)
def test_empty_and_oversized_replies_are_refused(cast, thread, body, message):
    with pytest.raises(ValidationError) as error:
        make_reply(author=cast.other_member, thread=thread, body=body)
    assert message in " ".join(error.value.message_dict["body"])
    assert not Post.objects.exists()


def test_outsiders_cannot_reply(cast, thread):
    with pytest.raises(PermissionDenied):
        make_reply(author=cast.outsider, thread=thread)
    assert not Post.objects.exists()


def test_editing_a_reply_keeps_the_earlier_version_and_shows_edited(client, cast, thread):
    post = make_reply(author=cast.other_member, thread=thread, body="First words")
    edit_post(actor=cast.other_member, post=post, body="Second words")
    post.refresh_from_db()
    assert post.body == "Second words"
    assert post.edited_at
    assert PostRevision.objects.get(post=post).body == "First words"
    client.force_login(cast.member)
    page = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    assert 'class="edited"' in page
    client.force_login(cast.moderator)
    history = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/history/").content.decode()
    assert "First words" in history
    client.force_login(cast.member)
    assert client.get(f"/c/{cast.community.slug}/t/{thread.pk}/history/").status_code == 404


def test_only_the_author_edits_a_reply(cast, thread):
    post = make_reply(author=cast.other_member, thread=thread, body="First words")
    with pytest.raises(PermissionDenied):
        edit_post(actor=cast.moderator, post=post, body="Changed")
    with pytest.raises(ValidationError):
        edit_post(actor=cast.other_member, post=post, body="")
    post.refresh_from_db()
    assert post.body == "First words"
    assert post.edited_at is None


def test_replying_on_a_locked_thread_in_the_browser_shows_a_message(client, cast, thread):
    client.force_login(cast.other_member)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = client.post(url, {"body": "Late answer"})
    assert response.status_code == 400
    assert "This thread is locked" in response.content.decode()
    assert not Post.objects.exists()


def test_an_oversized_reply_in_the_browser_is_a_form_error(client, cast, thread):
    client.force_login(cast.other_member)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    response = client.post(url, {"body": "x" * (BODY_MAX_LENGTH + 5)})
    assert "keep it under 20,000" in response.content.decode()
    assert not Post.objects.exists()


def test_markdown_preview_is_sanitised(client, cast):
    client.force_login(cast.member)
    response = client.post(
        "/preview/markdown/",
        {"body": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_tag_suggestions_list_existing_tags_by_prefix(client, cast):
    make_thread(author=cast.member, community=cast.community, tag_names=["facilitation", "fun"])
    assert client.get("/tags/suggest/?q=fa").json() == {"tags": ["facilitation"]}
    fragment = client.get("/tags/suggest/?q=f", headers={"HX-Request": "true"}).content.decode()
    assert '<option value="facilitation">' in fragment
    assert '<option value="fun">' in fragment
