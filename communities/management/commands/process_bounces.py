from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communities.digests.bounces import process_mailbox


class Command(BaseCommand):
    help = (
        "Read the delivery-status notifications (bounces, RFC 3464) the mail server left in "
        "a Maildir or an mbox file, each once, and stop digests and escalation emails to "
        "addresses that bounce: at once for a permanent failure, after "
        "TRELLIS_BOUNCE_SOFT_LIMIT temporary ones. Run it from cron or after each delivery."
    )

    def add_arguments(self, parser):
        parser.add_argument("mailbox", help="path of a Maildir directory or an mbox file")

    def handle(self, *args, **options):
        path = Path(options["mailbox"])
        if not path.exists():
            raise CommandError(f"There is no mailbox at {path}.")
        found, marked = process_mailbox(path)
        self.stdout.write(
            self.style.SUCCESS(
                f"{found} bounce{'s' if found != 1 else ''} read; "
                f"{marked} address{'es' if marked != 1 else ''} now marked as bouncing."
            )
        )
