"""`reverse()` remembered per process: the same name and arguments always give the same URL
(for one URLconf and script prefix), and a page reverses twenty-odd of them at about a tenth
of a millisecond each."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Only these argument types: their equality is their URL's (a model instance's is its pk).
_PLAIN = (str, int)


def remembered_reverse(view_name: str, args=(), kwargs=None, current_app=None) -> str:
    """`reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)`."""
    kwargs = kwargs or {}
    values = (*args, *kwargs.values())
    if type(view_name) is not str or not all(type(value) in _PLAIN for value in values):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _reverse(
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


@lru_cache(maxsize=8192)
def _reverse(view_name, args, kwargs, current_app, urlconf, script_prefix) -> str:
    # A URL that does not reverse raises NoReverseMatch, which lru_cache does not keep.
    return reverse(view_name, urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)
