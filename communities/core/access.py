"""The one access policy of community pages, in the order every view checks its visitor:
hidden → 404, anonymous → sign in, not allowed → 403 (or 404 for tools that stay hidden from
those without the right, such as moderation's). Checking in this order never reveals that a
private community exists."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme

from communities.core import rules as permissions
from communities.core.errors import NotAllowed
from communities.core.mfa import refuses_for_mfa
from communities.core.selectors import community_content_for_viewer, community_for_viewer


class SignInFirst(Exception):
    pass


def community_for(
    request,
    slug: str,
    action: str | None = None,
    *,
    signed_in: bool = True,
    hide: bool = False,
    content: bool = False,
    refusal: str | None = None,
):
    """The community `slug` for this visitor, checked in the order above. Raises Http404,
    `SignInFirst` (which `signin_redirect` turns into the login page) or NotAllowed; with
    `hide`, someone who may not do `action` gets Http404 instead of NotAllowed. With
    `content` the page shows members-only content (threads, circles): a community whose
    content the visitor may not read is 404 too. `refusal` is the 403 message to show
    instead of the generic one."""
    find = community_content_for_viewer if content else community_for_viewer
    community = find(request.user, slug)
    if signed_in and not request.user.is_authenticated:
        raise SignInFirst
    if action is not None:
        if not request.user.is_authenticated:
            raise SignInFirst
        try:
            permissions.require(request.user, action, community, hide=hide)
        except NotAllowed:
            if refusal is None or refuses_for_mfa(request.user, action):
                raise
            raise NotAllowed(refusal) from None
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


# Services name a list of tags `tags`; forms where people type them call the field `tag_names`.
FORM_FIELD_FOR = {"tags": "tag_names"}


def add_service_error(form, error: ValidationError) -> None:
    """The one way a view shows a service's ValidationError on its form: on the field it
    names when the form has it, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            if field not in form.fields:
                field = FORM_FIELD_FOR.get(field, field)
            form.add_error(field if field in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def safe_next(request, default: str) -> str:
    """The one safe-redirect helper: the `next` the form posted when it stays on this site,
    `default` otherwise."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def remember_permissions(view):
    """Build the whole page (rendering included) with the viewer's memberships and role
    permissions read once (see `rules.remembering`)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with permissions.remembering(request.user):
            return view(request, *args, **kwargs)

    return wrapper
