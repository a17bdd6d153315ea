import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import permissions
from communities.core.models.communities import MembershipStatus, Role
from communities.core.services.membership import ban_member
from communities.models import Flag, Membership, MemberWarning, ModerationNotice, Post, Thread
from communities.moderation.models import FlagStatus
from communities.moderation.services import actions
from tests.communities.factories import (
    CommunityFactory,
    flag,
    make_member,
    make_reply,
    make_thread,
)


@pytest.fixture
def thread(cast):
    return make_thread(author=cast.member, community=cast.community)


@pytest.fixture
def post(cast, thread):
    return make_reply(author=cast.other_member, thread=thread, body="Distinctive offending text")


def _queue(client, cast):
    return client.get(f"/c/{cast.community.slug}/moderation/")


def _act(client, cast, thread, post=None, **data):
    payload = {"thread": thread.pk, "post": post.pk if post else "", **data}
    return client.post(f"/c/{cast.community.slug}/moderation/act/", payload)


def test_the_queue_groups_open_flags_by_item_with_the_content(client, cast, thread, post):
    flag(cast.member, thread, post, reason="spam", note="an advert")
    flag(cast.champion, thread, post, reason="off_topic")
    client.force_login(cast.moderator)
    html = _queue(client, cast).content.decode()
    assert html.count('class="card moderation-item"') == 1
    assert "Distinctive offending text" in html
    assert "2 flags" in html
    assert "an advert" in html


def test_hiding_from_the_queue_upholds_flags_and_tells_everyone(
    client, cast, thread, post, mailoutbox, django_capture_on_commit_callbacks
):
    flag(cast.member, thread, post)
    client.force_login(cast.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, cast, thread, post, action="hide", reason="Advertising.")
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).is_hidden
    assert Flag.objects.get().status == FlagStatus.UPHELD
    assert ModerationNotice.objects.get(recipient=cast.member).subject == "Your flag was upheld"
    assert "Advertising." in ModerationNotice.objects.get(recipient=cast.other_member).body
    assert {mail.to[0] for mail in mailoutbox} == {cast.member.email, cast.other_member.email}
    assert "Nothing is waiting" in _queue(client, cast).content.decode()


def test_restoring_dismisses_the_flags(cast, thread, post):
    cast.community.flag_hide_threshold = 0.1
    cast.community.save(update_fields=["flag_hide_threshold"])
    flag(cast.member, thread, post)
    assert Post.objects.get(pk=post.pk).is_hidden
    assert actions.restore_content(actor=cast.moderator, thread=thread, post=post, reason="Fine.")
    assert not Post.objects.get(pk=post.pk).is_hidden
    assert Flag.objects.get().status == FlagStatus.DISMISSED
    notice = ModerationNotice.objects.filter(recipient=cast.member).latest("pk")
    assert "leave it as it is" in notice.body


def test_an_action_without_a_reason_is_refused_on_the_page(client, cast, thread, post):
    flag(cast.member, thread, post)
    client.force_login(cast.moderator)
    response = _act(client, cast, thread, post, action="hide", reason="  ")
    assert response.status_code == 400
    assert "Say why you hide it" in response.content.decode()
    assert not Post.objects.get(pk=post.pk).is_hidden
    assert Flag.objects.get().status == FlagStatus.OPEN


def test_lock_and_unlock(cast, thread):
    assert actions.set_thread_locked(actor=cast.moderator, thread=thread, locked=True, reason="x")
    assert Thread.objects.get(pk=thread.pk).is_locked
    assert not actions.set_thread_locked(
        actor=cast.moderator, thread=thread, locked=True, reason="x"
    )
    actions.set_thread_locked(actor=cast.moderator, thread=thread, locked=False, reason="y")
    assert not Thread.objects.get(pk=thread.pk).is_locked


def test_moving_only_to_a_community_the_moderator_also_moderates(cast, thread, post):
    flag(cast.member, thread, post)
    elsewhere = CommunityFactory()
    with pytest.raises(PermissionDenied):
        actions.move_thread(actor=cast.moderator, thread=thread, to_community=elsewhere, reason="x")
    assert Thread.objects.get(pk=thread.pk).community == cast.community
    make_member(elsewhere, cast.moderator, role=Role.MODERATOR)
    actions.move_thread(
        actor=cast.moderator, thread=thread, to_community=elsewhere, reason="Belongs there."
    )
    assert Thread.objects.get(pk=thread.pk).community == elsewhere
    assert Flag.objects.get().community == elsewhere


def test_warning_a_member_privately(
    client, cast, thread, post, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, cast, thread, post, action="warn", reason="Please keep it on topic.")
    warning = MemberWarning.objects.get()
    assert warning.member == cast.other_member
    assert mailoutbox[-1].to == [cast.other_member.email]
    client.force_login(cast.other_member)
    assert "Please keep it on topic." in client.get("/moderation/outcomes/").content.decode()
    client.force_login(cast.member)
    assert "Please keep it on topic." not in client.get("/moderation/outcomes/").content.decode()


def test_banning_the_author(cast, thread, post):
    actions.ban_author(actor=cast.moderator, thread=thread, post=post, reason="Spammer.")
    membership = Membership.objects.get(user=cast.other_member, community=cast.community)
    assert membership.status == MembershipStatus.BANNED
    assert not permissions.can(cast.other_member, "post_in_community", cast.community)


def test_a_moderator_cannot_ban_a_manager(cast):
    with pytest.raises(PermissionDenied):
        ban_member(actor=cast.moderator, community=cast.community, member=cast.manager, reason="x")
    membership = Membership.objects.get(user=cast.manager, community=cast.community)
    assert membership.status == MembershipStatus.ACTIVE


def test_anonymous_authors_stay_anonymous_in_the_queue(client, cast):
    question = make_thread(
        author=cast.member, community=cast.community, is_anonymous=True, title="Anon question"
    )
    flag(cast.other_member, question)
    client.force_login(cast.moderator)
    html = _queue(client, cast).content.decode()
    assert "Anonymous member" in html
    assert cast.member.username not in html
    assert cast.member.public_name not in html
    assert 'value="warn"' not in html
    with pytest.raises(ValidationError, match="anonymously"):
        actions.warn_member(actor=cast.moderator, thread=question, message="x")


def _queue_queries(client, cast, rows: int) -> int:
    thread = make_thread(author=cast.member, community=cast.community)
    existing = Flag.objects.count()
    for n in range(rows - existing):
        post = make_reply(author=cast.other_member, thread=thread, body=f"reply {n}")
        flag(cast.member, thread, post)
    client.force_login(cast.moderator)
    with CaptureQueriesContext(connection) as queries:
        response = _queue(client, cast)
    assert response.status_code == 200
    assert response.content.decode().count('class="card moderation-item"') == rows
    return len(queries)


def test_the_queue_keeps_a_constant_number_of_queries(client, cast, settings):
    settings.TRELLIS_NEW_MEMBER_POSTS = 0
    cast.community.flag_hide_threshold = 1000
    cast.community.save(update_fields=["flag_hide_threshold"])
    small, large = _queue_queries(client, cast, 5), _queue_queries(client, cast, 50)
    assert small == large


def test_my_flags_never_name_a_thread_moved_where_i_cannot_follow(client, cast, thread, post):
    from communities.core.models.communities import Visibility

    flag(cast.member, thread, post)
    hideaway = CommunityFactory(name="Hideaway Council", visibility=Visibility.PRIVATE)
    make_member(hideaway, cast.moderator, role=Role.MODERATOR)
    actions.move_thread(actor=cast.moderator, thread=thread, to_community=hideaway, reason="Fits")
    client.force_login(cast.member)
    html = client.get("/moderation/outcomes/").content.decode()
    assert "no longer yours to see" in html
    assert thread.title not in html
    assert "Hideaway Council" not in html
