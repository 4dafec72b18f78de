"""Factories for the employment pathway (programmes, enrolments, placements)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from pont.employment.models import Enrolment, Placement, Programme


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    kind = "shop_floor_training"
    name_en = factory.Sequence(lambda n: f"Programme {n}")
    name_fr = factory.LazyAttribute(lambda p: f"{p.name_en} (fr)")
    name_nl = factory.LazyAttribute(lambda p: f"{p.name_en} (nl)")
    right_to_work = "may_work"

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    programme = factory.SubFactory(ProgrammeFactory)
    proposed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    employer_name = "Metaalwerken Test"
    job_title = "Welder"
    contract_type = "open_ended"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=220))
