"""The Celery app and the one beat schedule of Trellis."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("trellis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["communities.health", "communities.digests"])

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
    "release-held-creations-of-established-accounts": {
        "task": "communities.tasks.release_held_of_established_accounts",
        "schedule": 60 * 60,
    },
    "forget-old-form-submissions": {
        "task": "communities.tasks.forget_old_form_submissions",
        "schedule": crontab(hour=3, minute=40),
    },
    "send-circle-meeting-reminders": {
        "task": "communities.tasks.send_meeting_reminders",
        "schedule": 15 * 60,
    },
    "publish-due-prompts": {
        "task": "communities.tasks.publish_due_prompts",
        "schedule": 60,
    },
    # The rising stars' counts: the last hour's posts hourly, the whole 30-day window nightly
    # (what was hidden, restored, moved or deleted since leaves the counts then, if no
    # moderation action re-rolled it sooner).
    "roll-up-rising-star-counts": {
        "task": "communities.tasks.roll_up_all_contributions",
        "schedule": crontab(minute=10),
    },
    "re-roll-rising-star-counts": {
        "task": "communities.tasks.roll_up_all_contributions",
        "schedule": crontab(hour=0, minute=40),
        "kwargs": {"full": True},
    },
    "take-daily-health-snapshots": {
        "task": "communities.health.tasks.snapshot_all_communities",
        "schedule": crontab(hour=0, minute=20),
    },
    "send-due-digests": {
        "task": "communities.digests.tasks.send_due_digests",
        "schedule": 60 * 60,
    },
    "escalate-unanswered-questions": {
        "task": "communities.digests.tasks.escalate_unanswered_questions",
        "schedule": 15 * 60,
    },
    "publish-scheduled-knowledge-pages": {
        "task": "knowledge.tasks.publish_scheduled_pages",
        "schedule": 60,
    },
    "mark-knowledge-sources-changed": {
        "task": "knowledge.tasks.mark_changed_sources",
        "schedule": 60 * 60,
    },
    "send-knowledge-review-reminders": {
        "task": "knowledge.tasks.send_review_reminders",
        "schedule": 24 * 60 * 60,
    },
    "advance-due-review-rounds": {
        "task": "feedback.tasks.advance_due_rounds",
        "schedule": 5 * 60,
    },
    "reallocate-and-remind-reviews": {
        "task": "feedback.tasks.reallocate_and_remind",
        "schedule": 15 * 60,
    },
    "send-mentoring-nudges": {
        "task": "mentoring.tasks.send_mentoring_nudges",
        "schedule": 24 * 60 * 60,
    },
}
