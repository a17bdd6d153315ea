"""A member finds moderation news (warnings, outcomes of their flags) from their
notifications, not only from a link in an email or on the flag form."""

import re

import pytest

from communities.moderation.services.actions import warn_member
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_a_warned_member_reaches_the_warning_from_their_notifications(client, settings):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread, body="Off on a tangent")
    warn_member(actor=cast.moderator, thread=thread, post=post, message="Keep it on topic.")
    client.force_login(cast.other_member)
    notifications = client.get("/notifications/").content.decode()
    link = re.search(r'href="([^"]+)">My flags and moderation news<', notifications)
    assert link, "the notification list links to moderation news"
    assert "Keep it on topic." in client.get(link.group(1)).content.decode()
