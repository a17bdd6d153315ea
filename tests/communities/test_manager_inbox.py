"""The manager's inbox: join requests, invitations used and flags waiting reach the people who
act on them as notices on /notifications/, once per event, and nobody else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.core.models.communities import Role
from communities.core.services.joining import (
    accept_invitation,
    create_invitation_link,
    request_to_join,
    signed_invitation,
)
from communities.core.services.membership import change_role
from communities.models import JoinRequest, Membership, Notification
from communities.moderation.services.actions import resolve_flags
from tests.communities.factories import (
    Cast,
    UserFactory,
    flag,
    make_member,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db

EVERYONE = ("outsider", "pending", "member", "other_member", "champion", "moderator", "staff")


def _notices(event_prefix: str) -> dict[int, list[Notification]]:
    found: dict[int, list[Notification]] = {}
    for notice in Notification.objects.filter(event__startswith=event_prefix):
        found.setdefault(notice.recipient_id, []).append(notice)
    return found


def _ask(cast: Cast, user=None) -> JoinRequest:
    return request_to_join(
        user=user or UserFactory(),
        community=cast.community,
        message="I run retrospectives every week.",
        agreed_to_guidelines=True,
    )


def test_a_join_request_reaches_the_managers_only_with_a_link_to_decide(restricted_cast):
    cast = restricted_cast
    second_manager = make_member(cast.community, role=Role.MANAGER)
    join_request = _ask(cast)
    notices = _notices(f"join-request:{join_request.pk}")
    assert set(notices) == {cast.manager.pk, second_manager.pk}
    notice = notices[cast.manager.pk][0]
    assert notice.url == f"/c/{cast.community.slug}/requests/#request-{join_request.pk}"
    assert join_request.user.public_name in notice.message
    assert notice.actor_id == join_request.user.pk
    for role in EVERYONE:
        assert cast[role].pk not in notices, role


def test_a_manager_approves_the_request_from_the_notice(client, restricted_cast):
    cast = restricted_cast
    join_request = _ask(cast)
    client.force_login(cast.manager)
    page = client.get("/notifications/").content.decode()
    notice = Notification.objects.get(
        recipient=cast.manager, event=f"join-request:{join_request.pk}"
    )
    assert f'href="{notice.url}"' in page
    request_page = client.get(notice.url).content.decode()
    decide = f"/c/{cast.community.slug}/requests/{join_request.pk}/decide/"
    assert f'id="request-{join_request.pk}"' in request_page
    assert f'action="{decide}"' in request_page
    response = client.post(decide, {"decision": "approve", "message": ""})
    assert response.status_code == 302
    assert Membership.objects.get(user=join_request.user, community=cast.community).is_active


@pytest.mark.parametrize("role", ["anonymous", *EVERYONE])
def test_only_managers_may_open_the_request_the_notice_links_to(client, restricted_cast, role):
    cast = restricted_cast
    join_request = _ask(cast)
    if cast[role] is not None:
        client.force_login(cast[role])
    response = client.get(f"/c/{cast.community.slug}/requests/")
    expected = {"anonymous": 302, "staff": 200}.get(role, 403)
    assert response.status_code == expected
    if expected != 200:
        assert join_request.user.public_name not in response.content.decode()


def test_a_refused_request_leaves_no_notice(restricted_cast):
    cast = restricted_cast
    with pytest.raises(Exception, match="already waiting"):
        _ask(cast, cast.pending)
    assert Notification.objects.filter(
        event__startswith="join-request:", actor=cast.pending
    ).count() == len(JoinRequest.objects.filter(user=cast.pending))


def test_an_invitation_used_reaches_the_managers_and_the_inviter_once(private_cast):
    cast = private_cast
    change_role(actor=cast.manager, community=cast.community, member=cast.moderator, role="manager")
    link = create_invitation_link(
        actor=cast.moderator, community=cast.community, expires_in_days=7, max_uses=5
    )
    newcomer = UserFactory()
    accept_invitation(user=newcomer, token=signed_invitation(link), agreed_to_guidelines=True)
    notices = _notices(f"invitation:{link.pk}:{newcomer.pk}")
    assert set(notices) == {cast.manager.pk, cast.moderator.pk}
    assert all(len(found) == 1 for found in notices.values())
    assert notices[cast.manager.pk][0].url == f"/people/{newcomer.username}/"


def test_a_private_community_is_never_named_to_anyone_else(private_cast):
    cast = private_cast
    link = create_invitation_link(
        actor=cast.manager, community=cast.community, expires_in_days=7, max_uses=5
    )
    accept_invitation(user=UserFactory(), token=signed_invitation(link), agreed_to_guidelines=True)
    thread = make_thread(author=cast.member, community=cast.community)
    flag(cast.other_member, thread)
    stewards = {cast.manager.pk, cast.moderator.pk}
    named = Notification.objects.filter(message__contains=cast.community.name)
    assert named.exists()
    assert set(named.values_list("recipient_id", flat=True)) <= stewards


def test_a_flagged_item_reaches_moderators_and_managers_once_per_round(open_cast):
    cast = open_cast
    thread = make_thread(author=cast.member, community=cast.community)
    reply = make_reply(author=cast.other_member, thread=thread)
    first = flag(cast.champion, thread, reply)
    flag(cast.member, thread, reply)  # the same item, still waiting: no second notice
    notices = _notices("flagged:")
    assert set(notices) == {cast.manager.pk, cast.moderator.pk}
    assert all(len(found) == 1 for found in notices.values())
    notice = notices[cast.moderator.pk][0]
    assert notice.event == f"flagged:{first.pk}"
    assert notice.url == f"/c/{cast.community.slug}/moderation/t/{thread.pk}/p/{reply.pk}/"
    assert notice.actor_id is None  # the flagger is not named
    assert cast.champion.public_name not in notice.message
    assert thread.title not in notice.message
    for role in ("outsider", "member", "other_member", "champion", "staff"):
        assert cast[role].pk not in notices, role
    resolve_flags(actor=cast.moderator, thread=thread, post=reply, uphold=False, reason="Fine.")
    again = flag(cast.champion, thread, reply)
    assert Notification.objects.filter(
        recipient=cast.moderator, event=f"flagged:{again.pk}"
    ).exists()


def test_a_moderator_flagging_is_not_told_of_their_own_flag(open_cast):
    cast = open_cast
    thread = make_thread(author=cast.member, community=cast.community)
    flag(cast.moderator, thread)
    assert set(_notices("flagged:")) == {cast.manager.pk}


@pytest.mark.parametrize("role", ["moderator", "manager"])
def test_the_flag_notice_opens_the_moderation_panel(client, open_cast, role):
    cast = open_cast
    thread = make_thread(author=cast.member, community=cast.community)
    flag(cast.other_member, thread)
    notice = Notification.objects.get(recipient=cast[role], event__startswith="flagged:")
    client.force_login(cast[role])
    assert client.get(notice.url).status_code == 200


def test_the_notifications_page_keeps_constant_queries_with_inbox_notices(client, restricted_cast):
    cast = restricted_cast
    client.force_login(cast.manager)
    counts = []
    for size in (5, 50):
        Notification.objects.filter(recipient=cast.manager).delete()
        for _ in range(size):
            _ask(cast)
        client.get("/notifications/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/notifications/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
