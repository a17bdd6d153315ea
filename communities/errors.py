"""Domain exceptions of the communities app, split by whose fault they are."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["NotAllowed", "StateError", "ValidationError"]


class NotAllowed(PermissionDenied):
    """The person may not do this (the caller's fault)."""


class StateError(ValidationError):
    """The thing is in the wrong step of its workflow for this action."""
