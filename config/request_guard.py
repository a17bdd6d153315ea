"""Refuse addresses no page can answer, before any view reads them."""

from functools import cache

from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

NUL = "\x00"
# GET parameters the Wagtail admin passes straight to a query or to reverse() as page ids.
WAGTAIL_ADMIN_ID_PARAMETERS = ("id", "parent_page_id")


@cache
def _wagtail_admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def _is_number(value: str) -> bool:
    return value.isascii() and value.isdigit()


class RefuseHostileAddressesMiddleware:
    """Answer 400 (Django's `SuspiciousOperation`) to:

    - a NUL byte in the path or in a GET parameter: no text a person types holds one,
      PostgreSQL refuses to compare it, and views that passed it to a query answered 500;
    - a page id in the Wagtail admin that isn't a number (its choosers answered 500).

    Other odd values (control characters, invalid UTF-8, very long text) reach the views,
    which treat them as text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise SuspiciousOperation("A NUL byte in the address.")
        if request.path.startswith(_wagtail_admin_prefix()):
            for name in WAGTAIL_ADMIN_ID_PARAMETERS:
                if not all(_is_number(value) for value in request.GET.getlist(name)):
                    raise SuspiciousOperation(f"“{name}” must be a page number.")
        return self.get_response(request)
