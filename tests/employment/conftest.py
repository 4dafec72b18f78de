"""A small employment world: a VDAB shop-floor training and a Forem workplace training, Ahmad with a status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.employment.factories import ProgrammeFactory
from tests.factories import LegalStatusFactory, PersonLanguageFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def refugee(person):
    """Ahmad (the `person` fixture, 30): recognised refugee in Belgium, Dutch A2."""
    LegalStatusFactory(person=person, status="recognised_refugee", country="BE", start_date=dt.date(2024, 3, 12))
    PersonLanguageFactory(person=person, code="nld", level="A2")
    person.current_status = "recognised_refugee"
    person.save(update_fields=["current_status"])
    return person


@pytest.fixture
def shop_floor(orgs):
    return ProgrammeFactory(organisation=orgs["vdab"], kind="shop_floor_training", name_en="Shop-floor training",
                            max_duration_months=6, capacity=20)


@pytest.fixture
def forem_training(orgs):
    return ProgrammeFactory(organisation=orgs["forem"], kind="workplace_training", name_en="Forem workplace",
                            capacity=20)
