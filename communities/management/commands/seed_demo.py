from django.core.management.base import BaseCommand

from communities.demo import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = (
        "Fill the database with believable demo data. Safe to run again: nothing is created twice."
    )

    def handle(self, *args, **options):
        people = seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with any of these:"))
        for person in people:
            role = "staff, editor" if person.is_staff else "member"
            self.stdout.write(f"  {person.email:<28} {DEMO_PASSWORD}   ({role})")
        self.stdout.write(
            "Site: http://127.0.0.1:8000   Editors: /cms/   Django admin: /django-admin/"
        )
