"""The employment records the permission matrix (tests/test_permission_matrix.py) points its URLs at."""

from __future__ import annotations

from django.utils import timezone

from pont.employment import services
from pont.people.right_to_work import add_months
from tests.employment.factories import ProgrammeFactory


def employment_objects(person, users, orgs) -> dict[str, int]:
    """Return ids of a VDAB programme, and of an enrolment, placement, follow-up and course of `person`."""
    adviser = users["adviser"]
    programme = ProgrammeFactory(organisation=orgs["vdab"], right_to_work="not_required", capacity=20,
                                 max_duration_months=6)
    enrolment = services.enrolment_create(person=person, programme=programme, by=adviser)
    placement = services.placement_create(person=person, by=adviser, job_title="Welder", contract_type="open_ended",
                                          employer_name="Metaalwerken Menen NV",
                                          start_date=add_months(timezone.localdate(), -7))
    training = services.language_training_create(person=person, by=adviser, language="nld", course="Nederlands",
                                                  hours=60, start_date=timezone.localdate(), level_at_start="A2")
    other = ProgrammeFactory(organisation=orgs["vdab"], right_to_work="not_required", capacity=20)
    followup = placement.followups.get(month=3)
    return {"programme": programme.pk, "other_programme": other.pk, "enrolment": enrolment.pk,
            "placement": placement.pk, "followup": followup.pk, "followup_due_on": followup.due_on.isoformat(),
            "language_training": training.pk, "today": timezone.localdate().isoformat()}
