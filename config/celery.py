"""The Celery app and the one beat schedule of Trellis."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("trellis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Exactly one beat process runs this schedule; every task it starts is idempotent.
app.conf.beat_schedule = {
    "refresh-community-member-counts": {
        "task": "communities.tasks.refresh_all_member_counts",
        "schedule": 60 * 60,
    },
    "generate-upcoming-circle-meetings": {
        "task": "communities.tasks.generate_upcoming_meetings",
        "schedule": 6 * 60 * 60,
    },
    "send-circle-meeting-reminders": {
        "task": "communities.tasks.send_meeting_reminders",
        "schedule": 15 * 60,
    },
    "publish-due-prompts": {
        "task": "communities.tasks.publish_due_prompts",
        "schedule": 60,
    },
    "send-mentoring-nudges": {
        "task": "mentoring.tasks.send_mentoring_nudges",
        "schedule": 24 * 60 * 60,
    },
}
