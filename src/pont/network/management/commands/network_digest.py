"""Queue the practice exchange's weekly digest (make run does), or send it now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from pont.network import exchange, tasks


class Command(BaseCommand):
    help = "Queue the weekly digest of the practice exchange for next Monday (once), or --now send it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", action="store_true", help="send this week's digest now")

    def handle(self, *args, now: bool = False, **options) -> None:
        if now:
            self.stdout.write(f"Digest: {exchange.weekly_digest()} e-mails sent.")
            return
        tasks.schedule_digest()
        self.stdout.write(f"Digest: queued for {tasks.next_monday():%Y-%m-%d %H:%M}.")
