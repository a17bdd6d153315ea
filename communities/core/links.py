"""`reverse()` remembered per process: the same name and arguments always give the same URL
(for one URLconf and script prefix), and a page reverses twenty-odd of them at about a tenth
of a millisecond each."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def _plain(values) -> tuple | None:
    """`values` as plain strs (templates give SafeStrings) and ints, or None when one is
    anything else: only for those is equality the same as giving the same URL (a model
    instance's equality is its pk's)."""
    plain = []
    for value in values:
        if isinstance(value, str):
            plain.append(str.__str__(value))
        elif type(value) is int:
            plain.append(value)
        else:
            return None
    return tuple(plain)


def remembered_reverse(view_name: str, args=(), kwargs=None, current_app=None) -> str:
    """`reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)`."""
    kwargs = kwargs or {}
    plain_args = _plain(args)
    plain_kwargs = _plain(kwargs.values())
    if not isinstance(view_name, str) or plain_args is None or plain_kwargs is None:
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _reverse(
        str.__str__(view_name),
        plain_args,
        tuple(sorted(zip(kwargs, plain_kwargs, strict=True))),
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


@lru_cache(maxsize=8192)
def _reverse(view_name, args, kwargs, current_app, urlconf, script_prefix) -> str:
    # A URL that does not reverse raises NoReverseMatch, which lru_cache does not keep.
    return reverse(view_name, urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)
