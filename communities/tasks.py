"""Every task of communities, imported so Celery's autodiscovery and `communities.core.jobs`
find them. Each task keeps the name it was registered under (`communities.tasks.<name>`), so
the beat schedule in `config/celery.py` and queued messages stay valid."""

from communities.circles.tasks import (
    generate_meetings_for_circles,
    generate_upcoming_meetings,
    release_held_of_established_accounts,
    send_meeting_reminders,
    send_reminders_for_meeting,
)
from communities.core.tasks import (
    forget_old_form_submissions,
    refresh_all_member_counts,
    refresh_member_count,
    send_invitation,
    send_join_decision,
)
from communities.discussions.tasks import (
    publish_due_prompts,
    roll_up_all_contributions,
    roll_up_contributions,
    send_notification_email,
)
from communities.moderation.tasks import send_moderation_notice

__all__ = [
    "forget_old_form_submissions",
    "generate_meetings_for_circles",
    "generate_upcoming_meetings",
    "publish_due_prompts",
    "refresh_all_member_counts",
    "refresh_member_count",
    "release_held_of_established_accounts",
    "roll_up_all_contributions",
    "roll_up_contributions",
    "send_invitation",
    "send_join_decision",
    "send_meeting_reminders",
    "send_moderation_notice",
    "send_notification_email",
    "send_reminders_for_meeting",
]
