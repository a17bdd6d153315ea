"""Render every stored thread and reply body again, after the sanitiser's rules changed."""

from django.core.management.base import BaseCommand

from communities.discussions.models.threads import Post, Thread
from communities.discussions.rendering import rerender_bodies


class Command(BaseCommand):
    help = "Render the stored HTML of every thread and reply again from its Markdown source."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        for model in (Thread, Post):
            changed = rerender_bodies(model, batch_size=batch_size)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {changed} re-rendered.")
