import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from communities.models import AuditEntry, Flag, ModerationNotice, Post
from communities.moderation.models import FlagStatus
from communities.moderation.services.actions import resolve_flags
from communities.moderation.services.flags import flag_content, flag_weight
from tests.communities.factories import Cast, flag, make_reply, make_seasoned, make_thread


@pytest.fixture
def thread(cast):
    return make_thread(author=cast.member, community=cast.community)


@pytest.fixture
def post(cast, thread):
    return make_reply(author=cast.other_member, thread=thread, body="Buy cheap watches now")


def test_flagging_twice_keeps_one_open_flag(cast, thread, post):
    first, created = flag_content(flagger=cast.member, thread=thread, post=post, reason="spam")
    again, created_again = flag_content(
        flagger=cast.member, thread=thread, post=post, reason="off_topic"
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert Flag.objects.count() == 1


def test_a_thread_and_its_reply_are_flagged_separately(cast, thread, post):
    flag(cast.other_member, thread)
    flag(cast.member, thread, post)
    assert Flag.objects.filter(post__isnull=True).count() == 1
    assert Flag.objects.filter(post=post).count() == 1


@pytest.mark.parametrize(
    ("reason", "note", "message"),
    [
        ("rude", "", "Choose why"),
        ("other", "", "Tell the moderators"),
        ("spam", "x" * 1001, "under 1,000"),
    ],
)
def test_bad_flags_are_refused_and_nothing_is_written(cast, thread, post, reason, note, message):
    with pytest.raises(ValidationError, match=message):
        flag_content(flagger=cast.member, thread=thread, post=post, reason=reason, note=note)
    assert not Flag.objects.exists()


def test_nobody_flags_their_own_post(cast, thread, post):
    with pytest.raises(ValidationError, match="your own"):
        flag(cast.other_member, thread, post)
    assert not Flag.objects.exists()


def test_outsiders_cannot_flag(cast, thread, post):
    with pytest.raises(PermissionDenied):
        flag(cast.outsider, thread, post)


def test_weights_follow_the_flaggers_record(cast, thread, post, settings):
    settings.TRELLIS_NEW_MEMBER_POSTS = 0
    community = cast.community
    assert flag_weight(cast.moderator, community) == 3.0
    assert flag_weight(cast.member, community) == 0.5  # joined today: a new member
    make_seasoned(cast.member, community)
    assert flag_weight(cast.member, community) == 1.0  # no record yet
    flag(cast.member, thread, post)
    resolve_flags(actor=cast.moderator, thread=thread, post=post, uphold=True, reason="spam")
    assert flag_weight(cast.member, community) == 2.0  # every past flag upheld
    other = make_reply(author=cast.champion, thread=thread, body="fine")
    flag(cast.member, thread, other)
    resolve_flags(actor=cast.moderator, thread=thread, post=other, uphold=False, reason="ok")
    assert flag_weight(cast.member, community) == 1.5


def test_enough_weight_hides_the_post_at_once_and_tells_the_author(
    cast, thread, post, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TRELLIS_NEW_MEMBER_POSTS = 0
    for person in (cast.member, cast.champion):
        make_seasoned(person, cast.community)
    flag(cast.member, thread, post, reason="spam")
    assert not Post.objects.get(pk=post.pk).is_hidden
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        flag(cast.champion, thread, post, reason="disrespectful")
    assert len(callbacks) == 0  # under the threshold of 3.0: 1 + 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        flag(cast.manager, thread, post, reason="spam")  # a manager moderates: weight 3
    assert Post.objects.get(pk=post.pk).is_hidden
    entry = AuditEntry.objects.get(action="auto_hide_post")
    assert entry.actor is None
    assert entry.target == post
    assert "pending review" in entry.reason
    notice = ModerationNotice.objects.get(recipient=cast.other_member)
    assert "hid your reply" in notice.subject
    assert [mail.to for mail in mailoutbox] == [[cast.other_member.email]]
    assert "spam" in mailoutbox[0].body
    assert Flag.objects.filter(status=FlagStatus.OPEN).count() == 3  # pending review


def _edit_threshold(client, cast, value):
    community = cast.community
    client.force_login(cast.manager)
    return client.post(
        f"/c/{community.slug}/edit/",
        {
            "name": community.name,
            "purpose": community.purpose,
            "audience": community.audience,
            "guidelines": community.guidelines,
            "kind": community.kind,
            "visibility": community.visibility,
            "tag_names": "",
            "flag_hide_threshold": value,
        },
    )


def test_the_community_sets_its_threshold(client, cast, thread, post):
    assert _edit_threshold(client, cast, "1.0").status_code == 302
    cast.community.refresh_from_db()
    assert cast.community.flag_hide_threshold == 1.0
    # Two new members' flags weigh 0.5 each: enough now, not under the default of 3.
    flag(cast.member, thread, post)
    assert not Post.objects.get(pk=post.pk).is_hidden
    flag(cast.champion, thread, post)
    assert Post.objects.get(pk=post.pk).is_hidden


@pytest.mark.parametrize("value", ["0", "-2", "101", "lots"])
def test_an_impossible_threshold_is_refused_and_nothing_changes(client, cast, value):
    response = _edit_threshold(client, cast, value)
    assert response.status_code == 200
    assert response.context["form"].errors
    cast.community.refresh_from_db()
    assert cast.community.flag_hide_threshold == 3.0


def test_a_flagged_thread_hides_from_members_and_search(cast, thread, client):
    flag(cast.moderator, thread)
    thread.refresh_from_db()
    assert thread.is_hidden
    client.force_login(cast.other_member)
    assert client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").status_code == 404


def test_the_flag_page_records_a_flag(client, cast, thread, post):
    client.force_login(cast.member)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/p/{post.pk}/flag/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "other", "note": ""})
    assert response.status_code == 400
    assert "Tell the moderators" in response.content.decode()
    response = client.post(url, {"reason": "spam", "note": "an advert"}, follow=True)
    assert "the moderators will look at it" in response.content.decode()
    assert Flag.objects.get().note == "an advert"


def test_the_thread_page_offers_flagging_to_members_only(client, cast, thread, post):
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    client.force_login(cast.member)
    assert f"/p/{post.pk}/flag/" in client.get(url).content.decode()
    client.force_login(cast.outsider)
    assert "/flag/" not in client.get(url).content.decode()
    flag_url = f"/c/{cast.community.slug}/t/{thread.pk}/p/{post.pk}/flag/"
    assert client.get(flag_url).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_flags_at_once_by_the_same_person_count_once(settings):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def flag_it():
        try:
            barrier.wait()
            results.append(
                flag_content(flagger=cast.member, thread=thread, post=post, reason="spam")[1]
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=flag_it) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert sorted(results) == [False, True]
    assert Flag.objects.filter(post=post).count() == 1
