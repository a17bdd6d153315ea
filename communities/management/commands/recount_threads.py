"""Compare every thread's reply, answer and vote counters with a fresh count; `--fix`
writes the fresh counts (after a bulk import, or to repair drift)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from communities.discussions.services import counters


class Command(BaseCommand):
    help = "Report threads whose counters differ from a fresh count; --fix corrects them."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="write the fresh counts")

    def handle(self, *args, fix: bool, **options):
        drifted = counters.drift()
        for row in drifted:
            self.stdout.write(
                f"thread {row['pk']}: replies {row['reply_count']} (fresh {row['fresh_replies']}), "
                f"answers {row['answer_count']} (fresh {row['fresh_answers']}), "
                f"votes {row['total_votes']} (fresh {row['fresh_votes']})"
            )
        if fix and drifted:
            with transaction.atomic(durable=True):
                counters.recount([row["pk"] for row in drifted])
        verb = "corrected" if fix else "found"
        self.stdout.write(f"{len(drifted)} thread(s) with drifting counters {verb}.")
