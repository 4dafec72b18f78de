"""The offer catalogue across the border: offers and programmes searched alike, eligibility for a person with
its reasons, and the Open Referral HSDS 3.0 file both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from pont.core.auth import token_issue
from pont.core.models import Municipality, Region
from pont.employment.models import Programme
from pont.network import hsds
from pont.network.models import Offer
from tests.factories import LegalStatusFactory, PersonLanguageFactory

pytestmark = pytest.mark.django_db
HSDS_FILE = Path(__file__).parent / "data" / "services_fr.json"


def api(user) -> Client:
    _, raw = token_issue(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def make_offer(orgs, **extra) -> Offer:
    values = {"organisation": orgs["forem"], "kind": "language_course", "title_fr": "Français langue étrangère",
              "title_nl": "Frans als vreemde taal", "title_en": "French as a foreign language",
              "description_en": "Evening classes, A1 to B1.", "municipality": Municipality.objects.get(name="Mouscron"),
              "languages": ["fra"], "min_age": 18, **extra}
    offer = Offer(**{k: v for k, v in values.items() if k != "regions"})
    offer.full_clean()
    offer.save()
    offer.regions.set(values.get("regions", []))
    return offer


def test_an_adviser_finds_an_offer_across_the_border_and_sees_why_a_person_fits(person, users, orgs):
    LegalStatusFactory(person=person, status="recognised_refugee", country="BE")
    PersonLanguageFactory(person=person, code="fra", level="A2")
    person.municipality = Municipality.objects.get(name="Kortrijk")
    person.save(update_fields=["municipality"])
    course = make_offer(orgs)
    crèche = make_offer(orgs, kind="childcare", title_en="Childcare during training", title_fr="Garde d'enfants",
                        title_nl="Kinderopvang", min_age=None, max_age=17, regions=[Region.objects.get(code="BE32")])
    Programme.objects.create(organisation=orgs["forem"], kind="language_course", name_en="Work-oriented French",
                             name_fr="Français orienté métier", name_nl="Frans voor het werk",
                             right_to_work="not_required")
    found = api(users["adviser"]).get("/api/v1/offers", {"q": "French", "person": person.pk})
    assert found.status_code == 200, found.content
    by_title = {o["title"]: o for o in found.json()}
    assert set(by_title) == {"French as a foreign language", "Work-oriented French"}  # offer and programme
    assert by_title["French as a foreign language"]["eligible"] is True
    assert by_title["Work-oriented French"]["source"] == "programme"
    assert 8 < by_title["French as a foreign language"]["distance_km"] < 20  # Kortrijk → Mouscron, by road
    childcare = api(users["adviser"]).get("/api/v1/offers", {"kind": "childcare", "person": person.pk}).json()
    [only] = childcare
    assert only["id"] == crèche.pk and only["eligible"] is False
    assert any(not r["ok"] and "17 or less" in r["text"] for r in only["reasons"])
    assert api(users["adviser"]).get("/api/v1/offers", {"kind": "childcare", "person": person.pk,
                                                        "eligible_only": True}).json() == []
    assert api(users["adviser"]).get("/api/v1/offers", {"language": "nld"}).json() == []
    assert [o["id"] for o in api(users["adviser"]).get("/api/v1/offers", {"language": "fra", "kind": "language_course"}
                                                       ).json() if o["source"] == "offer"] == [course.pk]
    assert api(users["other_adviser"]).get("/api/v1/offers", {"person": person.pk}).status_code == 404  # not theirs
    assert api(users["employer"]).get("/api/v1/offers").status_code == 404


def test_the_page_searches_in_the_users_language_with_a_person(person, users, orgs, client):
    make_offer(orgs)
    users["adviser"].language = "nl"
    users["adviser"].save(update_fields=["language"])
    client.force_login(users["adviser"])
    page = client.get("/network/offers/", {"q": "vreemde", "person": person.pk})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Frans als vreemde taal" in text and person.reference in text
    assert client.get("/network/offers/", {"person": "x"}).status_code == 422


def test_an_hsds_file_imports_all_or_nothing_and_round_trips(orgs, users):
    data = json.loads(HSDS_FILE.read_text(encoding="utf-8"))
    result = hsds.import_services(data, "fr")
    assert (result.created, result.updated) == (2, 0)
    offer = Offer.objects.get(hsds_id="3f1c2a9e-8d4b-4f6a-9c2e-1b7d5e0a4c11")
    assert offer.title_fr == "Équivalence de diplôme étranger" and offer.kind == "diploma_recognition"
    assert offer.languages == ["ara", "fra"] and offer.legal_statuses == ["recognised_refugee"]
    assert offer.waiting_weeks == 3 and offer.municipality.name == "Mouscron"
    assert [r.code for r in offer.regions.all()] == ["BE32"] and offer.opening_hours.startswith("lun.")

    exported = api(users["coordinator"]).get("/api/v1/hsds/services", {"lang": "fr"})
    assert exported.status_code == 200
    services = {s["id"]: s for s in exported.json()}
    again = services["3f1c2a9e-8d4b-4f6a-9c2e-1b7d5e0a4c11"]
    assert again["name"] == "Équivalence de diplôme étranger" and again["minimum_age"] == 18
    assert {lang["code"] for lang in again["languages"]} == {"ara", "fra"}
    assert again["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "7700"
    before = {f.name: getattr(offer, f.name) for f in Offer._meta.concrete_fields}
    result = hsds.import_services(list(services.values()), "fr")  # Pont's own file, read back
    assert (result.created, result.updated) == (0, 2)
    offer.refresh_from_db()
    assert {f.name: getattr(offer, f.name) for f in Offer._meta.concrete_fields} == before

    broken = json.loads(HSDS_FILE.read_text(encoding="utf-8"))
    broken["contents"][1]["organization"]["name"] = "Nobody"
    broken["contents"][0]["name"] = "Changed"
    with pytest.raises(hsds.HsdsError) as refused:
        hsds.import_services(broken, "fr")
    assert refused.value.errors[0][0] == "4a2d3b0f-9e5c-4a7b-8d3f-2c8e6f1b5d22"
    assert Offer.objects.get(pk=offer.pk).title_fr == "Équivalence de diplôme étranger"  # nothing written


def test_the_import_command_reports_per_record(tmp_path, orgs):
    call_command("offers_import", str(HSDS_FILE), "--lang", "fr")
    assert Offer.objects.count() == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "not-a-uuid", "name": "x", "status": "active"}]), encoding="utf-8")
    with pytest.raises(CommandError, match="not-a-uuid: id"):
        call_command("offers_import", str(bad))


def test_a_coordinator_publishes_offers_by_form_and_by_hsds_file(users, orgs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    coordinator = Client()
    coordinator.force_login(users["coordinator"])  # VDAB's
    assert coordinator.get("/network/offers/mine/").status_code == 200
    form = {"organisation": orgs["vdab"].pk, "kind": "civic_integration", "title_nl": "Inburgering",
            "title_fr": "Intégration", "municipality": Municipality.objects.get(name="Kortrijk").pk,
            "right_to_work": "not_required", "language_list": ["nld", "ara"],
            "regions": [Region.objects.get(code="BE25").pk]}
    saved = coordinator.post("/network/offers/new/", form)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    offer = Offer.objects.get(title_nl="Inburgering")
    assert offer.languages == ["nld", "ara"] and [r.code for r in offer.regions.all()] == ["BE25"]
    bad = coordinator.post("/network/offers/new/", {**form, "organisation": orgs["forem"].pk})
    assert bad.status_code == 422  # not one of theirs
    upload = SimpleUploadedFile("services.json", HSDS_FILE.read_bytes(), content_type="application/json")
    refused = coordinator.post("/network/offers/import/", {"file": upload, "language": "fr"})
    assert refused.status_code == 422 and "not one of your organisations" in refused.content.decode()
    adviser = Client()
    adviser.force_login(users["adviser"])
    assert adviser.get("/network/offers/mine/").status_code == 404


def test_the_api_publishes_offers_and_imports_hsds_for_a_coordinators_own_organisations(users, orgs):
    body = {"organisation": orgs["vdab"].pk, "kind": "childcare", "title_nl": "Kinderopvang", "title_fr": "Crèche",
            "municipality": Municipality.objects.get(name="Kortrijk").pk, "languages": ["nld"], "regions": ["BE25"]}
    created = api(users["coordinator"]).post("/api/v1/offers", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert api(users["adviser"]).post("/api/v1/offers", body, content_type="application/json").status_code == 404
    assert api(users["coordinator"]).post("/api/v1/offers", {**body, "regions": ["XX99"]},
                                          content_type="application/json").status_code == 404
    services = json.loads(HSDS_FILE.read_text(encoding="utf-8"))["contents"]
    refused = api(users["coordinator"]).post("/api/v1/hsds/services", {"language": "fr", "file": json.dumps(services)},
                                             content_type="application/json")
    assert refused.status_code == 422 and "3f1c2a9e-8d4b-4f6a-9c2e-1b7d5e0a4c11" in refused.content.decode()
    own = [s for s in services if s["organization"]["name"] == "VDAB Test"]
    imported = api(users["coordinator"]).post("/api/v1/hsds/services", {"language": "fr", "file": json.dumps(own)},
                                              content_type="application/json")
    assert imported.status_code == 201 and imported.json()["created"] == 1
