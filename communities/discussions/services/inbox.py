"""The manager's inbox: what waits for the people who run a community, as notices on their
`/notifications/` page (beside the emails some of these already send).

Each notice is written inside the transaction of the act it reports (a request recorded, an
invitation used, an item flagged into the queue), once per event, and reaches only the
community's active managers (and moderators, for the moderation queue): nobody else hears a
private community's name. Core reaches this module through `core.signals` (it may not import
discussions); moderation calls it directly.
"""

from django.urls import reverse

from communities.core.models.communities import Community, Membership, MembershipStatus, Role
from communities.core.models.joining import Invitation, JoinRequest
from communities.core.models.people import User
from communities.discussions.services.notifications import notify


def stewards_of(community: Community, roles: tuple[str, ...]) -> list[User]:
    """The community's active members holding one of `roles`, in one query."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            community_id=community.pk,
            status=MembershipStatus.ACTIVE,
            role__in=roles,
            user__is_active=True,
        ).select_related("user")
    ]


def _notify_all(
    people: list[User], *, event: str, message: str, url: str, actor=None, skip_id=None
) -> None:
    for person in people:
        if person.pk in (getattr(actor, "pk", None), skip_id):
            continue
        notify(person, event=event, message=message, url=url, actor=actor)


def notify_join_requested(*, join_request: JoinRequest, **_) -> None:
    """The managers hear of a request to join; the notice links to the request itself,
    where they approve or decline it."""
    community = join_request.community
    url = reverse("communities:join-request-list", args=[community.slug])
    _notify_all(
        stewards_of(community, (Role.MANAGER,)),
        event=f"join-request:{join_request.pk}",
        message=f"{join_request.user.public_name} asks to join {community.name}.",
        url=f"{url}#request-{join_request.pk}",
        actor=join_request.user,
    )


def notify_invitation_accepted(*, invitation: Invitation, user: User, **_) -> None:
    """The managers (and the person who invited, if still an active member) hear that
    someone joined through an invitation, so they can welcome them."""
    community = invitation.community
    people = stewards_of(community, (Role.MANAGER,))
    if invitation.created_by_id and all(p.pk != invitation.created_by_id for p in people):
        people += [
            membership.user
            for membership in Membership.objects.filter(
                community_id=community.pk,
                user_id=invitation.created_by_id,
                status=MembershipStatus.ACTIVE,
            ).select_related("user")
        ]
    _notify_all(
        people,
        event=f"invitation:{invitation.pk}:{user.pk}",
        message=f"{user.public_name} joined {community.name} through an invitation.",
        url=reverse("communities:profile-detail", args=[user.username]),
        actor=user,
    )


def notify_flag_waiting(
    *, community: Community, thread_id: int, post_id: int | None, flag_id: int, flagger_id: int
) -> None:
    """The moderators and managers hear that an item entered the moderation queue, once per
    round of flags (the first open flag names the event). The notice names neither the
    flagger nor the thread's title: the queue shows both to those allowed to see them."""
    if post_id is None:
        what = "thread"
        url = reverse("communities:moderation-thread", args=[community.slug, thread_id])
    else:
        what = "reply"
        url = reverse("communities:moderation-post", args=[community.slug, thread_id, post_id])
    _notify_all(
        stewards_of(community, (Role.MODERATOR, Role.MANAGER)),
        event=f"flagged:{flag_id}",
        message=f"A {what} in {community.name} was flagged and waits in the moderation queue.",
        url=url,
        skip_id=flagger_id,  # a moderator who flags needs no notice of it
    )


def notify_stewards(
    community: Community, roles: tuple[str, ...], *, event: str, message: str, url: str
) -> None:
    """A notice to the community's active members holding `roles` (proposals from the upper
    layers, such as the health dashboard's stage proposals), once per event."""
    _notify_all(stewards_of(community, roles), event=event, message=message, url=url)
