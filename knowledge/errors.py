"""Knowledge base errors, by whose fault they are."""

from django.core.exceptions import ValidationError


class HarvestRefused(ValidationError):
    """The person may not harvest this thread, or the thread can't be harvested (their fault
    or the thread's state); the message says which and what to do."""
