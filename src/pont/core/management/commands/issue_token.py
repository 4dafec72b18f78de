from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pont.core.auth import token_issue


class Command(BaseCommand):
    help = "Issue an API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. the integration's name.")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        _token, raw = token_issue(user=user, name=name)
        self.stdout.write(raw)
