import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from pont.core.roles import Role
from pont.demo.care import seed_care
from pont.demo.employment import seed_employment
from pont.demo.matching import seed_matching
from pont.demo.network import seed_exchange, seed_network, seed_referral
from pont.demo.people import seed_people
from pont.demo.staff import demo_password, seed_staff


class Command(BaseCommand):
    help = "Fill the database with the demo organisations, staff and synthetic people (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=300, help="How many demo people (default 300).")
        parser.add_argument("--if-empty", action="store_true",
                            help="Only create people when the database has none (what `make run` does).")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, people, if_empty, quiet_logins, **options):
        from pont.people.models import Person

        # The demo's own notifications (referrals, digests) go to files, not over the console.
        with demo_mail(settings.VAR_DIR / "mail"):
            rows = seed_staff()
            care_signals = seed_care()
            created = 0 if if_empty and Person.objects.exists() else seed_people(people)
            enrolments = seed_employment()
            offers, referrals, threads = seed_network(), seed_referral(), seed_exchange()
            matching = seed_matching()
        self.stdout.write(f"Demo data ready: {len(rows)} staff, {created} new people, {care_signals} care signals, "
                          f"{enrolments} new enrolments, {offers} new offers, {referrals} new referral, {threads} "
                          f"new threads and events, {matching['vacancies']} vacancies, {matching['profiles']} "
                          f"skill profiles (e-mails sent while seeding: {settings.VAR_DIR / 'mail'}).")
        if not quiet_logins:
            print_logins(self.stdout, rows)


@contextmanager
def demo_mail(directory: Path):
    previous = settings.EMAIL_BACKEND, getattr(settings, "EMAIL_FILE_PATH", None)
    settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH = "django.core.mail.backends.filebased.EmailBackend", directory
    try:
        yield
    finally:
        settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH = previous


def terminal_language() -> str:
    """The language of the person at the terminal (LC_ALL, LC_MESSAGES, LANG), if Pont speaks it; else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        code = os.environ.get(name, "")[:2].lower()
        if code:
            return code if code in dict(settings.LANGUAGES) else "en"
    return "en"


def print_logins(out, rows) -> None:
    """The demo logins, one per line, in columns, the role in the terminal's language."""
    with translation.override(terminal_language()):
        lines = [(username, str(Role(role).label), org, name) for username, name, role, org in rows]
        out.write("\n" + _("Demo logins (password for all: %(password)s)") % {"password": demo_password()})
    widths = [max(len(line[i]) for line in lines) for i in range(3)]
    for username, role, org, name in lines:
        out.write(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {org:<{widths[2]}}  {name}")
