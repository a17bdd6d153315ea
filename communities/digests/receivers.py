"""Demo data for digests, built on top of the communities' demo (`seed_demo`)."""

from django.dispatch import receiver
from django.utils import timezone

from communities import hooks
from communities.digests.models import DigestSettings
from communities.digests.services import EMAIL_KINDS
from communities.models import User
from communities.public import register_email_kind

DAILY_DEMO_PEOPLE = ["lee@trellis.test", "amara@trellis.test"]


@receiver(hooks.demo_seeded, dispatch_uid="digests-demo")
def seed_digest_demo(sender, stdout=None, **kwargs) -> None:
    """Some demo members take a daily digest, the others a weekly one on today's weekday, so
    `send_digests --now` (or the hourly job, past 07:00 their time) has digests to send.
    Running it again changes nothing."""
    people = User.objects.filter(email__endswith="@trellis.test")
    people.filter(email__in=DAILY_DEMO_PEOPLE).update(digest_frequency="daily")
    people.exclude(email__in=DAILY_DEMO_PEOPLE).update(digest_frequency="weekly")
    weekday = timezone.localdate().weekday()
    for user in people.exclude(email__in=DAILY_DEMO_PEOPLE):
        DigestSettings.objects.get_or_create(user=user, defaults={"weekday": weekday})
    if stdout is not None:
        stdout.write(
            "Digests: lee and amara get a daily digest, everyone else a weekly one. "
            "See them now with `python manage.py send_digests --now`."
        )


def waiting_questions_action(community) -> list[dict]:
    """For the gardener's dashboard: questions waiting over a day, with the page listing
    them. Registered on `hooks.GARDENER_ACTIONS`."""
    from django.urls import reverse

    from communities.digests.escalation import waiting_questions

    count = waiting_questions(community=community, now=timezone.now()).count()
    if not count:
        return []
    return [
        {
            "verb": "water",
            "label": f"{count} question{'s' if count != 1 else ''} waiting over a day",
            "url": reverse("digests:waiting-questions", args=[community.slug]),
            "count": count,
        }
    ]


hooks.register(hooks.GARDENER_ACTIONS, waiting_questions_action)

for _kind, _spec in EMAIL_KINDS.items():
    register_email_kind(_kind, **_spec)
