"""Domain exceptions of peer review, split by whose fault they are (as edx-ora2 does)."""

from django.core.exceptions import ValidationError

from communities.public import NotAllowed, StateError

__all__ = ["BadRequest", "NotAllowed", "StateError", "ValidationError"]


class BadRequest(ValidationError):
    """The caller sent something wrong (a missing score, a refused file): they can fix it."""
