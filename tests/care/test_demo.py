"""The care demo data loads on top of the staff demo, twice without duplicating anything."""

from pont.care.models import Screening, Signal, Team, TeamMember
from pont.demo.care import seed_care
from pont.demo.staff import seed_staff


def test_seed_care_is_idempotent_and_tells_the_personas_stories(db):
    seed_staff()
    created = seed_care()
    assert created > 30 and seed_care() == 0
    assert Team.objects.count() == 2 and TeamMember.objects.count() == 8
    oksana = next(s for s in Signal.objects.filter(category="B", closed_at__isnull=True) if s.first_name == "Oksana")
    assert oksana.languages == ["ukr", "rus"] and oksana.organisation.name == "IntergraPsy France"
    assert Screening.objects.filter(instrument="cries-8").exists()
    samir = TeamMember.objects.get(user__username="snoori")
    assert samir.arrival_year == 2015 and samir.visits.count() == 2
