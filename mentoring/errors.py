"""Mentoring's domain exceptions, split by whose fault they are (as communities' are)."""

from django.core.exceptions import ValidationError

from communities.public import NotAllowed, StateError

__all__ = ["NotAllowed", "StateError", "ValidationError"]
# NotAllowed: the person may not do this (the caller's fault).
# ValidationError: bad input; the message says what to change.
# StateError: the proposal or relationship is in the wrong step for this action.
