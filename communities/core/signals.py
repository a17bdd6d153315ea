"""Signals the core layer sends inside its own transactions, for the layers above it.

`communities.hooks` holds what other apps hear after a commit; these are for the packages of
communities that must change rows in the same transaction as core (a membership ends, so the
circles layer frees that person's seats before the transaction commits). Receivers connect
in `CommunitiesConfig.ready()`.

- `membership_ending(sender=Membership, community=..., user=...)`: sent inside the transaction
  that makes someone leave, or be removed or banned from, a community.
- `join_requested(sender=JoinRequest, join_request=...)`: sent inside the transaction that
  records a request to join; the managers' inbox notices are written in it.
- `invitation_accepted(sender=Invitation, invitation=..., user=...)`: sent inside the
  transaction in which someone joined through an invitation.
"""

from django.dispatch import Signal

membership_ending = Signal()
join_requested = Signal()
invitation_accepted = Signal()
