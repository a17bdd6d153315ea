"""Every community URL, from every role, in an open, a restricted and a private community.

Each row names a URL (built from the cast), a method and the expected status for the roles in
`ROLES` order: anonymous, outsider, pending, member, moderator, manager, banned, staff.
A private community answers 404 to everyone who is not an active member (or staff); a
visible one answers 302 (to sign in) to anonymous visitors of pages that need an account and
403 to people whose role doesn't allow the page. Add new URLs as new rows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from communities.core.services.joining import create_invitation_link, signed_invitation
from communities.models import JoinRequest
from tests.communities.factories import ROLES, Cast, build_cast

pytestmark = pytest.mark.django_db


def community_url(name: str, *extra: Callable[[Cast], str]) -> Callable[[Cast], str]:
    def build(cast: Cast) -> str:
        return reverse(
            f"communities:{name}", args=[cast.community.slug, *(part(cast) for part in extra)]
        )

    build.__name__ = name
    return build


def member_name(cast: Cast) -> str:
    return cast["member"].username


def pending_request(cast: Cast) -> str:
    return str(JoinRequest.objects.get(community=cast.community, user=cast["pending"]).pk)


def fresh_link(cast: Cast) -> str:
    invitation = create_invitation_link(
        actor=cast["manager"], community=cast.community, expires_in_days=7, max_uses=5
    )
    return str(invitation.pk)


def invitation_url(cast: Cast) -> str:
    invitation = create_invitation_link(
        actor=cast["manager"], community=cast.community, expires_in_days=7, max_uses=5
    )
    return reverse("communities:invitation-accept", args=[signed_invitation(invitation)])


@dataclass
class Row:
    url: Callable[[Cast], str]
    method: str
    open: str
    restricted: str
    private: str
    data: dict = field(default_factory=dict)

    def expected(self, visibility: str) -> dict[str, int]:
        codes = getattr(self, visibility).split()
        assert len(codes) == len(ROLES), f"{self.url.__name__}: one status per role"
        return dict(zip(ROLES, map(int, codes), strict=True))


def fixed(path: str) -> Callable[[Cast], str]:
    def build(cast: Cast) -> str:
        return path

    build.__name__ = path
    return build


#                         anon out pend memb mod  mgr  ban  staff
EVERYONE_SEES = "          200  200  200  200  200  200  200  200"
PRIVATE_PAGE = "           404  404  404  200  200  200  404  200"
MANAGERS_ONLY = "          302  403  403  403  403  200  403  200"
PRIVATE_MANAGERS_ONLY = "  404  404  404  403  403  200  404  200"

MATRIX = [
    Row(fixed("/c/"), "GET", EVERYONE_SEES, EVERYONE_SEES, EVERYONE_SEES),
    Row(
        fixed("/c/new/"),
        "GET",
        open="302 200 200 200 200 200 200 200",
        restricted="302 200 200 200 200 200 200 200",
        private="302 200 200 200 200 200 200 200",
    ),
    Row(community_url("community-detail"), "GET", EVERYONE_SEES, EVERYONE_SEES, PRIVATE_PAGE),
    Row(
        community_url("community-edit"), "GET", MANAGERS_ONLY, MANAGERS_ONLY, PRIVATE_MANAGERS_ONLY
    ),
    Row(
        community_url("community-join"),
        "GET",
        open="302 200 200 302 302 302 403 200",
        restricted="302 200 200 302 302 302 403 200",
        private="404 404 404 302 302 302 404 200",
    ),
    Row(
        community_url("community-join"),
        "POST",
        data={"agreed_to_guidelines": "on", "message": "I facilitate workshops."},
        open="302 302 302 302 302 302 403 302",
        restricted="302 302 200 302 302 302 403 302",
        private="404 404 404 302 302 302 404 200",
    ),
    Row(
        community_url("community-leave"),
        "GET",
        open="302 404 200 200 200 200 404 404",
        restricted="302 404 200 200 200 200 404 404",
        private="404 404 404 200 200 200 404 404",
    ),
    Row(
        community_url("community-leave"),
        "POST",
        # The manager is the last one, so they may not leave.
        open="302 404 302 302 302 400 404 404",
        restricted="302 404 302 302 302 400 404 404",
        private="404 404 404 302 302 400 404 404",
    ),
    Row(
        community_url("community-agree"),
        "POST",
        open="302 302 302 302 302 302 302 302",
        restricted="302 302 302 302 302 302 302 302",
        private="404 404 404 302 302 302 404 302",
    ),
    Row(
        community_url("member-list"),
        "GET",
        open=EVERYONE_SEES,
        restricted="302 403 403 200 200 200 403 200",
        private=PRIVATE_PAGE,
    ),
    Row(
        community_url("member-role", member_name),
        "GET",
        MANAGERS_ONLY,
        MANAGERS_ONLY,
        PRIVATE_MANAGERS_ONLY,
    ),
    Row(
        community_url("member-role", member_name),
        "POST",
        data={"role": "champion"},
        open="302 403 403 403 403 302 403 302",
        restricted="302 403 403 403 403 302 403 302",
        private="404 404 404 403 403 302 404 302",
    ),
    Row(
        community_url("member-remove", member_name),
        "GET",
        MANAGERS_ONLY,
        MANAGERS_ONLY,
        PRIVATE_MANAGERS_ONLY,
    ),
    Row(
        community_url("member-remove", member_name),
        "POST",
        data={"action": "remove", "reason": "Asked to be removed."},
        open="302 403 403 403 403 302 403 302",
        restricted="302 403 403 403 403 302 403 302",
        private="404 404 404 403 403 302 404 302",
    ),
    Row(
        community_url("join-request-list"),
        "GET",
        MANAGERS_ONLY,
        MANAGERS_ONLY,
        PRIVATE_MANAGERS_ONLY,
    ),
    Row(
        community_url("join-request-decide", pending_request),
        "POST",
        data={"decision": "approve"},
        open="302 403 403 403 403 302 403 302",
        restricted="302 403 403 403 403 302 403 302",
        private="404 404 404 403 403 302 404 302",
    ),
    Row(
        community_url("invitation-list"),
        "GET",
        MANAGERS_ONLY,
        MANAGERS_ONLY,
        PRIVATE_MANAGERS_ONLY,
    ),
    Row(
        community_url("invitation-list"),
        "POST",
        data={"create_link": "1", "expires_in_days": "7", "max_uses": "3"},
        open="302 403 403 403 403 302 403 302",
        restricted="302 403 403 403 403 302 403 302",
        private="404 404 404 403 403 302 404 302",
    ),
    Row(
        community_url("invitation-revoke", fresh_link),
        "POST",
        open="302 403 403 403 403 302 403 302",
        restricted="302 403 403 403 403 302 403 302",
        private="404 404 404 403 403 302 404 302",
    ),
    Row(
        invitation_url,
        "GET",
        open="302 200 200 302 302 302 403 200",
        restricted="302 200 200 302 302 302 403 200",
        private="302 200 200 302 302 302 403 200",
    ),
    Row(
        community_url("community-stage"),
        "GET",
        MANAGERS_ONLY,
        MANAGERS_ONLY,
        PRIVATE_MANAGERS_ONLY,
    ),
    Row(
        community_url("community-stage"),
        "POST",
        data={"to_stage": "coalescing", "reason": "Regulars have found each other."},
        open="302 403 403 403 403 302 403 302",
        restricted="302 403 403 403 403 302 403 302",
        private="404 404 404 403 403 302 404 302",
    ),
    # The audit log has one page (moderation's); the older address redirects there for
    # everyone, and the page itself applies the policy.
    Row(
        community_url("community-audit"),
        "GET",
        open="301 301 301 301 301 301 301 301",
        restricted="301 301 301 301 301 301 301 301",
        private="301 301 301 301 301 301 301 301",
    ),
    # Moderation tools stay hidden (404) from everyone without the right, in every community.
    Row(
        community_url("moderation-audit"),
        "GET",
        open="302 404 404 404 200 200 404 200",
        restricted="302 404 404 404 200 200 404 200",
        private="302 404 404 404 200 200 404 200",
    ),
    Row(
        community_url("moderation-queue"),
        "GET",
        open="302 404 404 404 200 200 404 200",
        restricted="302 404 404 404 200 200 404 200",
        private="302 404 404 404 200 200 404 200",
    ),
    Row(
        community_url("moderation-experts"),
        "GET",
        open="302 404 404 404 404 200 404 200",
        restricted="302 404 404 404 404 200 404 200",
        private="302 404 404 404 404 200 404 200",
    ),
]

CELLS = [
    pytest.param(row, visibility, role, id=f"{row.method}-{row.url.__name__}-{visibility}-{role}")
    for row in MATRIX
    for visibility in ("open", "restricted", "private")
    for role in ROLES
]


@pytest.mark.parametrize(("row", "visibility", "role"), CELLS)
def test_access(row: Row, visibility: str, role: str, client):
    cast = build_cast(visibility)
    url = row.url(cast)
    if cast[role] is not None:
        client.force_login(cast[role])
    response = client.get(url) if row.method == "GET" else client.post(url, row.data)
    assert response.status_code == row.expected(visibility)[role], (
        f"{row.method} {url} as {role} in a {visibility} community"
    )
