"""The one access policy of community pages, in the order every view checks its visitor:
hidden → 404, anonymous → sign in, not allowed → 403 (or 404 for tools that stay hidden from
those without the right, such as moderation's). Checking in this order never reveals that a
private community exists."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError

from communities.core import rules as permissions
from communities.core.selectors import community_for_viewer


class SignInFirst(Exception):
    pass


def community_for(
    request, slug: str, action: str | None = None, *, signed_in: bool = True, hide: bool = False
):
    """The community `slug` for this visitor, checked in the order above. Raises Http404,
    `SignInFirst` (which `signin_redirect` turns into the login page) or NotAllowed; with
    `hide`, someone who may not do `action` gets Http404 instead of NotAllowed."""
    community = community_for_viewer(request.user, slug)
    if signed_in and not request.user.is_authenticated:
        raise SignInFirst
    if action is not None:
        if not request.user.is_authenticated:
            raise SignInFirst
        permissions.require(request.user, action, community, hide=hide)
    return community


def signin_redirect(view):
    """Send anonymous visitors of a visible community to the login page and back."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SignInFirst:
            return redirect_to_login(request.get_full_path())

    return wrapper


def add_service_error(form, error) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)
