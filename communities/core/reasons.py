"""The one "reason is required" check: every action kept in an audit log or a history says why."""

from django.core.exceptions import ValidationError

REASON_MAX_LENGTH = 2000  # AuditEntry.reason


def require_reason(reason: str | None, *, message: str = "Say why, for the audit log.") -> str:
    """The reason without surrounding space; a ValidationError on `reason` when it is empty
    or longer than the audit log keeps."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"Keep the reason under {REASON_MAX_LENGTH:,} characters."}
        )
    return reason
