"""@handle mentions notify the people named, if they can read the thread."""

import pytest

from communities.core.models.communities import Visibility
from communities.discussions.mentions import MAX_MENTIONS, parse_mentions
from communities.discussions.models.notifications import NotificationKind
from communities.discussions.services.posts import edit_post
from communities.discussions.services.threads import edit_thread
from communities.models import Notification
from tests.communities.factories import (
    Cast,
    CommunityFactory,
    UserFactory,
    kinds_for,
    make_circle_of,
    make_member,
    make_reply,
    make_thread,
)

# Parsing ---------------------------------------------------------------------------------


def test_parse_finds_handles_in_order_once_and_lower_cased():
    text = "Thanks @Maya and @jon_2! @maya again, and @lee."
    assert parse_mentions(text) == ["maya", "jon_2", "lee"]


@pytest.mark.parametrize(
    "text",
    [
        "write to maya@example.org",
        "see https://social.example/@maya",
        "inline `@maya` code",
        "```\nping @maya\n```",
        "@m is too short",
        "@@maya",
    ],
)
def test_parse_ignores_emails_urls_code_and_non_handles(text):
    assert parse_mentions(text) == []


def test_parse_stops_at_the_limit():
    text = " ".join(f"@person_{n}" for n in range(MAX_MENTIONS + 5))
    assert len(parse_mentions(text)) == MAX_MENTIONS


# Notifying -------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_a_mention_in_a_reply_notifies_that_member():
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(
        author=cast.other_member,
        thread=thread,
        body=f"@{cast.champion.username.upper()} knows this best.",
    )
    notification = Notification.objects.get(recipient=cast.champion)
    assert notification.kind == NotificationKind.MENTION
    assert notification.post == post
    assert notification.actor == cast.other_member


def test_a_mention_in_a_thread_body_notifies_that_member():
    cast = Cast()
    make_thread(
        author=cast.member,
        community=cast.community,
        body=f"What do you think, @{cast.manager.username}?",
    )
    assert kinds_for(cast.manager) == [NotificationKind.MENTION]


def test_mentioning_yourself_or_nobody_notifies_no_one():
    cast = Cast()
    make_thread(
        author=cast.member,
        community=cast.community,
        body=f"Note to self @{cast.member.username}, and to @nobody_by_that_name.",
    )
    assert not Notification.objects.exists()


def test_a_mention_never_reaches_someone_outside_a_private_community():
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    author = make_member(community)
    outsider = UserFactory()
    make_thread(author=author, community=community, body=f"Paging @{outsider.username}")
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_a_circle_thread_mention_never_reaches_non_members_of_the_circle():
    cast = Cast()
    circle = make_circle_of(cast.community, cast.member, cast.other_member)
    thread = make_thread(
        author=cast.member,
        community=cast.community,
        circle=circle,
        body=f"@{cast.other_member.username} and @{cast.champion.username}, thoughts?",
    )
    make_reply(author=cast.other_member, thread=thread, body=f"Ask @{cast.moderator.username}")
    assert kinds_for(cast.other_member) == [NotificationKind.MENTION]
    assert not Notification.objects.filter(recipient__in=[cast.champion, cast.moderator]).exists()


def test_a_mention_added_in_an_edit_notifies_once():
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread, body="First draft.")
    for body in (
        f"Better with @{cast.champion.username}.",
        f"Even better with @{cast.champion.username}!",
    ):
        edit_post(actor=cast.other_member, post=post, body=body)
    edit_thread(
        actor=cast.member,
        thread=thread,
        title=thread.title,
        body=f"{thread.body} cc @{cast.champion.username}",
        tag_names=["facilitation"],
    )
    assert kinds_for(cast.champion) == [NotificationKind.MENTION, NotificationKind.MENTION]


def test_someone_mentioned_at_first_is_not_notified_again_by_an_edit():
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread, body=f"@{cast.champion.username}")
    edit_post(actor=cast.other_member, post=post, body=f"@{cast.champion.username} (edited)")
    assert kinds_for(cast.champion) == [NotificationKind.MENTION]


def test_a_mention_email_goes_out_on_commit_to_those_who_want_email(
    django_capture_on_commit_callbacks, mailoutbox
):
    cast = Cast()
    cast.champion.notify_by_email = False
    cast.champion.save(update_fields=["notify_by_email"])
    thread = make_thread(author=cast.member, community=cast.community)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post = make_reply(
            author=cast.other_member,
            thread=thread,
            body=f"@{cast.manager.username} and @{cast.champion.username}",
        )
    # The asker's reply email and the manager's mention email; the champion wants none.
    assert len(callbacks) == 2
    to_manager = next(mail for mail in mailoutbox if mail.to == [cast.manager.email])
    assert "mentioned you" in to_manager.subject
    assert f"#post-{post.pk}" in to_manager.body
    html, mime = to_manager.alternatives[0]
    assert mime == "text/html"
    assert f"#post-{post.pk}" in html
    assert not [mail for mail in mailoutbox if mail.to == [cast.champion.email]]
