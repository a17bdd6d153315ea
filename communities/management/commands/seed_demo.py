from django.core.management.base import BaseCommand

from communities import hooks
from communities.core.models.communities import MembershipStatus, Role
from communities.demo.seed import DEMO_PASSWORD, seed
from communities.models import Membership


class Command(BaseCommand):
    help = (
        "Fill the database with believable demo data. Safe to run again: nothing is created twice."
    )

    def handle(self, *args, **options):
        people = seed()
        hooks.demo_seeded.send(sender=None, stdout=self.stdout)
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
        self.stdout.write(
            "Site: http://127.0.0.1:8000   Editors: /cms/   Django admin: /django-admin/"
        )
