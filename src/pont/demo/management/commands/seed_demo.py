from django.core.management.base import BaseCommand

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

        rows = seed_staff()
        care_signals = seed_care()
        created = 0 if if_empty and Person.objects.exists() else seed_people(people)
        self.stdout.write(f"Demo data ready: {len(rows)} staff, {created} new people, "
                          f"{care_signals} care signals.")
        self.stdout.write(f"Employment: {seed_employment()} new enrolments.")
        self.stdout.write(f"Network: {seed_network()} new offers, {seed_referral()} new referral, "
                          f"{seed_exchange()} new threads and events.")
        matching = seed_matching()
        self.stdout.write(f"Matching: {matching['vacancies']} vacancies, {matching['profiles']} skill profiles.")
        if not quiet_logins:
            print_logins(self.stdout, rows)


def print_logins(out, rows) -> None:
    out.write(f"\nDemo logins (password for all: {demo_password()})")
    width = max(len(r[0]) for r in rows)
    for username, name, role, org in rows:
        out.write(f"  {username:<{width}}  {role:<24} {org}  ({name})")
