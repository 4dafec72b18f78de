"""The care roles' home answers "what do I do now": the member's visits of today, first."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pont.care.models import Signal, TeamMember, Visit


def test_the_home_lists_the_members_visits_of_today_and_only_today(world, users, verified_client):
    member = TeamMember.objects.get(pk=world["member_therapist"])
    signal = Signal.objects.get(pk=world["signal"])
    now = timezone.localtime()
    today = Visit.objects.create(signal=signal, starts_at=now.replace(hour=23, minute=0),
                                 ends_at=now.replace(hour=23, minute=30), place="Opvangcentrum Menen",
                                 municipality=signal.municipality, created_by=users["dispatcher"])
    today.members.set([member])
    tomorrow = Visit.objects.create(signal=signal, starts_at=now + dt.timedelta(days=1),
                                    ends_at=now + dt.timedelta(days=1, hours=1), place="Elsewhere tomorrow",
                                    municipality=signal.municipality, created_by=users["dispatcher"])
    tomorrow.members.set([member])
    page = verified_client("therapist").get("/").content.decode()
    section = page.split('data-testid="visits-today"')[1].split("</ul>")[0]
    assert "Opvangcentrum Menen" in section and "Elsewhere tomorrow" not in section
    assert "No visit today." in verified_client("dispatcher").get("/").content.decode()
