"""A small employment world: a VDAB shop-floor training and a Forem workplace training, Ahmad with a status."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import translation

from pont.core.auth import token_issue
from pont.people.models import Consent
from tests.employment.factories import ProgrammeFactory
from tests.factories import LegalStatusFactory, PersonLanguageFactory


@pytest.fixture
def api(users):
    """Call the API as a persona: (status, JSON body)."""
    def call(role, method, path, body=None):
        _, raw = token_issue(user=users[role])
        response = Client().generic(method, f"/api/v1{path}", data=json.dumps(body) if body is not None else None,
                                    content_type="application/json",
                                    headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})
        return response.status_code, response.json()
    return call


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def refugee(person):
    """Ahmad (the `person` fixture, 30): recognised refugee in Belgium, Dutch A2, who consented to
    follow-ups after the programme."""
    Consent.objects.create(person=person, purpose="employment_followup", given_by="person")
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
