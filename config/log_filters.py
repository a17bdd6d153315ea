"""Logging filters wired in `settings.LOGGING`."""

import logging


class QuietRefusals(logging.Filter):
    """A 403 is an expected refusal (PermissionDenied, NotAllowed), not a fault: keep its
    one-line warning and drop the traceback Django attaches to it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
