"""Two-factor sign-in for the powerful: staff, managers and moderators set up MFA first.

With `TRELLIS_MFA_REQUIRED_FOR_POWERS` on, a person who holds powers (staff, or a manager or
moderator role in a community) and has no authenticator may not use those powers: the
permission rules refuse the privileged actions and `RequireMFAForPowersMiddleware` sends them
from privileged pages to the MFA setup page with a message saying why.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from communities.core.models.communities import Membership, MembershipStatus, Role

PRIVILEGED_ACTIONS = frozenset(
    {
        "manage_community",
        "moderate_community",
        "manage_prompts",
        "reveal_anonymous_author",
        "view_revisions",
    }
)

MFA_REQUIRED_MESSAGE = (
    "You hold moderation or management powers: set up two-factor sign-in "
    "(an authenticator app) before you use them."
)

# Wagtail admin, Django admin, and the community pages only managers and moderators open.
PRIVILEGED_PATHS = re.compile(
    r"^/(cms|django-admin)/"
    r"|^/c/[-\w]+/(edit|stage|audit|requests|invitations|moderation)/"
    r"|^/c/[-\w]+/members/[^/]+/(role|remove)/"
)


def holds_powers(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(
        user_id=user.pk,
        status=MembershipStatus.ACTIVE,
        role__in=[Role.MANAGER, Role.MODERATOR],
    ).exists()


def has_authenticator(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


def must_set_up_mfa(user) -> bool:
    """This person holds powers and has no authenticator (only when the setting is on)."""
    if not settings.TRELLIS_MFA_REQUIRED_FOR_POWERS or not user.is_authenticated:
        return False
    cached = getattr(user, "_trellis_must_set_up_mfa", None)
    if cached is None:
        cached = holds_powers(user) and not has_authenticator(user)
        user._trellis_must_set_up_mfa = cached
    return cached


def refuses_for_mfa(user, action: str) -> bool:
    return action in PRIVILEGED_ACTIONS and must_set_up_mfa(user)


class RequireMFAForPowersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.TRELLIS_MFA_REQUIRED_FOR_POWERS
            and PRIVILEGED_PATHS.match(request.path_info)
            and must_set_up_mfa(request.user)
        ):
            messages.warning(request, MFA_REQUIRED_MESSAGE)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
