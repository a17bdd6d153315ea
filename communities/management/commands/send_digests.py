from django.core.management.base import BaseCommand

from communities.digests.tasks import send_due_digests


class Command(BaseCommand):
    help = (
        "Send the daily and weekly digests that are due (what the hourly job does). With "
        "--now, every member's digest of the current period is due whatever the hour or "
        "weekday. Members who already got this period's digest get nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="ignore the send hour and the weekly weekday",
        )

    def handle(self, *args, **options):
        queued = send_due_digests(force=options["now"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{queued} batch{'es' if queued != 1 else ''} of digests started. Without a "
                "broker they ran here and the emails are printed above; with one, the "
                "workers send them."
            )
        )
