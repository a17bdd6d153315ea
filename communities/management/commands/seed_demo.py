import logging
from contextlib import contextmanager

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from communities import hooks
from communities.core.models.communities import MembershipStatus, Role
from communities.demo.seed import DEMO_PASSWORD, seed
from communities.models import Membership


@contextmanager
def _quiet_loggers(*names: str):
    """Only warnings from `names` while seeding: Wagtail's page and task chatter is not news."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Fill the database with believable demo data. Safe to run again: nothing is created twice."
    )

    def handle(self, *args, **options):
        # The emails seeding sends (welcomes, notices, digests) are kept, not printed: a
        # console backend would bury the sign-in list under their bodies.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            _quiet_loggers("django_tasks", "wagtail"),
        ):
            outbox = mail.outbox = getattr(mail, "outbox", [])
            before = len(outbox)
            people = seed()
            hooks.demo_seeded.send(sender=None, stdout=self.stdout)
            kept = len(outbox) - before
        if kept:
            self.stdout.write(f"{kept} demo email{'s' if kept != 1 else ''} kept quiet.")
        roles: dict[int, list[str]] = {}
        for membership in (
            Membership.objects.filter(user__in=people, status=MembershipStatus.ACTIVE)
            .exclude(role=Role.MEMBER)
            .select_related("community")
            .order_by("community__name")
        ):
            roles.setdefault(membership.user_id, []).append(
                f"{membership.get_role_display().lower()} of {membership.community.name}"
            )
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with any of these:"))
        for person in people:
            described = (["staff, editor"] if person.is_staff else []) + roles.get(person.pk, [])
            self.stdout.write(
                f"  {person.email:<22} {DEMO_PASSWORD}  {'; '.join(described) or 'member'}"
            )
        site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(
            f"Site: {site}/   Editors: {site}/cms/   Django admin: {site}/django-admin/"
        )
