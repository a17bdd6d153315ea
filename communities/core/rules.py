"""Who may do what: the rules of the core layer and the one registry every layer adds to.

Role rules are django-guardian object permissions granted by the role services; the rest are
plain rules. Each package keeps its rules in its own `rules.py` and registers them here
(`register`), so `can`/`require` answer for every action while core imports nothing above
it. Views call `require`; templates use the `can` tag.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet
from django.http import Http404
from guardian.models import GroupObjectPermission, UserObjectPermission

from communities.core.compiled import compiled
from communities.core.errors import NotAllowed
from communities.core.mfa import MFA_REQUIRED_MESSAGE, refuses_for_mfa
from communities.core.models.communities import Membership, MembershipStatus, Visibility

Rule = Callable[[Any, Any], bool]


def _has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def can_create_community(user, _obj=None) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if settings.TRELLIS_COMMUNITY_CREATORS == "staff":
        return False
    return _has_verified_email(user)


# Within one request ----------------------------------------------------------------------

_MEMO = "_trellis_rules_memo"


@contextmanager
def remembering(user) -> Iterator[None]:
    """While a page is built for `user`, read each of their memberships and their role
    permissions once, however many rules ask (the thread page asks a dozen). Outside this
    block every rule reads the database afresh."""
    setattr(user, _MEMO, {})
    try:
        yield
    finally:
        delattr(user, _MEMO)


def _memo(user) -> dict | None:
    return getattr(user, _MEMO, None)


def remembered(user, key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()` once per request for `user` and `key` (every time outside `remembering`)."""
    memo = _memo(user)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def recall(user, key: tuple, default: Any = None) -> Any:
    """What this request remembered for `user` under `key`, without computing it."""
    memo = _memo(user)
    return default if memo is None else memo.get(key, default)


def _object_perms(user, community) -> set[str]:
    """The codenames of `user`'s object permissions on `community`, given to them or to one of
    their groups (the admin may do either), in one query where guardian's checker takes two."""
    content_type = ContentType.objects.get_for_model(community)
    values = (user.pk, content_type.pk, str(community.pk))
    return set(compiled(("object-perms",), _object_perms_query, *values))


def _object_perms_query(user_id, content_type_id, object_pk) -> QuerySet:
    where = {"content_type_id": content_type_id, "object_pk": object_pk}
    given = UserObjectPermission.objects.filter(user_id=user_id, **where)
    via_groups = GroupObjectPermission.objects.filter(group__user=user_id, **where)
    codename = "permission__codename"
    return given.values_list(codename, flat=True).union(via_groups.values_list(codename, flat=True))


def _has_role_perm(user, perm: str, community) -> bool:
    memo = _memo(user)
    if memo is None:
        return user.has_perm(perm, community)
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    key = ("object-perms", community.pk)
    if key not in memo:
        memo[key] = _object_perms(user, community)
    return perm.split(".", 1)[1] in memo[key]


def can_approve_held_community(user, _obj=None) -> bool:
    """Staff only: a community's own managers are the people it was started by."""
    return user.is_authenticated and user.is_staff


def can_manage_community(user, community) -> bool:
    return user.is_authenticated and (
        user.is_staff or _has_role_perm(user, "communities.manage_community", community)
    )


def can_moderate_community(user, community) -> bool:
    return user.is_authenticated and (
        user.is_staff or _has_role_perm(user, "communities.moderate_community", community)
    )


def _active_membership_query(user_id, community_id) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            user_id=user_id, community_id=community_id, status=MembershipStatus.ACTIVE
        )
        .annotate(is_current=Q(agreed_guidelines_version=F("community__guidelines_version")))  # type: ignore[no-redef]
        .order_by()[:1]
    )


def active_membership(user, community) -> Membership | None:
    """The viewer's active membership of `community`, carrying `is_current`: whether they
    agreed to the guidelines as they stand in the database now (not as a possibly stale
    `community` object says)."""
    if not user.is_authenticated:
        return None
    memo = _memo(user)
    key = ("membership", community.pk)
    if memo is not None and key in memo:
        return memo[key]
    rows = compiled(("active-membership",), _active_membership_query, user.pk, community.pk)
    membership = rows[0] if rows else None
    if memo is not None:
        memo[key] = membership
    return membership


def is_active_member(user, community) -> bool:
    return active_membership(user, community) is not None


def _agreement_is_current(user, community) -> bool | None:
    """None for non-members; otherwise whether their agreement is current."""
    membership = active_membership(user, community)
    return None if membership is None else bool(membership.is_current)


def has_agreed_to_current_guidelines(user, community) -> bool:
    return _agreement_is_current(user, community) is True


def must_agree_again(user, community) -> bool:
    """An active member whose agreement is to an older version of the guidelines."""
    return _agreement_is_current(user, community) is False


def can_post_in_community(user, community) -> bool:
    """Active members who agreed to the current version of the guidelines post; staff too."""
    if not user.is_authenticated:
        return False
    return user.is_staff or has_agreed_to_current_guidelines(user, community)


def can_edit_profile(user, person) -> bool:
    """People edit their own profile only."""
    return user.is_authenticated and user.pk == person.pk


def can_manage_member(user, membership) -> bool:
    """Change the role of, remove or ban someone else: the community's managers (and staff).
    Nobody does it to themselves from the member list; they leave instead."""
    return membership.user_id != user.pk and can_manage_community(user, membership.community)


def can_see_community_content(user, community) -> bool:
    """Members-only content (member directory, circles): open communities show it to anyone,
    the others to their active members. Staff see all."""
    if user.is_authenticated and user.is_staff:
        return True
    return community.visibility == Visibility.OPEN or is_active_member(user, community)


RULES: dict[str, Rule] = {}


def register(rules: dict[str, Rule]) -> None:
    """Add a package's rules to the registry (the same rule twice is harmless)."""
    for action, rule in rules.items():
        if RULES.get(action, rule) is not rule:
            raise ValueError(f"Two rules for {action!r}")
        RULES[action] = rule


register(
    {
        "create_community": can_create_community,
        "approve_held_community": can_approve_held_community,
        "edit_profile": can_edit_profile,
        "manage_member": can_manage_member,
        "manage_community": can_manage_community,
        "moderate_community": can_moderate_community,
        "post_in_community": can_post_in_community,
        "see_community_content": can_see_community_content,
    }
)


def can(user, action: str, obj=None) -> bool:
    return RULES[action](user, obj) and not refuses_for_mfa(user, action)


def require(user, action: str, obj=None, *, hide: bool = False) -> None:
    """Raise when the person may not act; `hide` answers 404 so nothing private is revealed."""
    if can(user, action, obj):
        return
    if refuses_for_mfa(user, action) and RULES[action](user, obj):  # allowed but for MFA
        raise NotAllowed(MFA_REQUIRED_MESSAGE)
    if hide:
        raise Http404
    community = _community_of(action, obj)
    if community is not None and must_agree_again(user, community):
        raise NotAllowed(
            f"The guidelines of {community.name} have changed: read them and agree to them "
            "on the community page before you post again."
        )
    raise NotAllowed("You don't have permission to do that.")


POSTING_ACTIONS = {"post_in_community", "post_in_circle", "reply_to_thread"}


def _community_of(action: str, obj):
    if action not in POSTING_ACTIONS or obj is None:
        return None
    return getattr(obj, "community", obj)
