"""Domain exceptions of the communities app, split by whose fault they are."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["EditConflict", "NotAllowed", "RateLimited", "StateError", "ValidationError"]


class NotAllowed(PermissionDenied):
    """The person may not do this (the caller's fault)."""


class StateError(ValidationError):
    """The thing is in the wrong step of its workflow for this action."""


class RateLimited(ValidationError):
    """A new member reached a posting limit; the message says the limit and when they can
    post again (`retry_at`). Views answer HTTP 429 with the message on the form."""

    def __init__(self, message: str, *, retry_at=None):
        super().__init__(message, code="rate_limited")
        self.retry_at = retry_at


class EditConflict(StateError):
    """Someone saved a newer version since the form was opened; nothing was overwritten.
    Views show both `current` (the saved text) and `submitted`, answering HTTP 409."""

    def __init__(self, message: str, *, current: str, submitted: str, version: int):
        super().__init__(message, code="edit_conflict")
        self.current = current
        self.submitted = submitted
        self.version = version
