from django.core.management.base import BaseCommand, CommandError

from pont.core.auth import token_revoke
from pont.core.models import ApiToken


class Command(BaseCommand):
    help = "Revoke API tokens: one by its first characters (hint), or all of a user's with --user."

    def add_arguments(self, parser):
        parser.add_argument("hint", nargs="?", default="")
        parser.add_argument("--user", default="")

    def handle(self, *args, hint, user, **options):
        tokens = ApiToken.objects.active()
        if user:
            tokens = tokens.filter(user__username=user)
        elif hint:
            tokens = tokens.filter(hint__startswith=hint[:10])
        else:
            raise CommandError("Give a token's first characters or --user.")
        count = 0
        for token in tokens.select_related("user"):
            token_revoke(token=token, by=token.user)
            count += 1
        self.stdout.write(f"{count} token(s) revoked.")
