"""The care screens and API: the public page (fr/nl/en/ar), flood protection, two-factor login, the journey."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pont.care import public
from pont.care.models import Signal, TeamMember
from pont.core.auth import token_issue
from tests.care.world import current_code, totp_device, working_slot
from tests.factories import municipality


def public_form(**changes) -> dict:
    """The public form as a person sends it, a minute after the page was served (its signed time stamp)."""
    return {"danger_now": "no", "relation": "supporting", "target_group": "asylum_seeker",
            "municipality": municipality("Douai").pk, "languages": ["ukr", "rus"], "concerns": ["sleep"],
            "first_name": "Oksana", "age_group": "26-64", "signaller_contact": "+33 6 00 00 00 00",
            "form_token": public.form_token(issued_at=time.time() - 60), **changes}


@pytest.mark.parametrize(("lang", "title", "direction"), [
    ("fr", "Ask for psychosocial help", "ltr"), ("nl", "Ask for psychosocial help", "ltr"),
    ("en", "Ask for psychosocial help", "ltr"), ("ar", "اطلب مساعدة نفسية واجتماعية", "rtl"),
])
def test_public_page_in_four_languages_arabic_right_to_left(db, lang, title, direction):
    response = Client().get(reverse("care:public_signal"), {"lang": lang})
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == lang
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert ("bootstrap.rtl.min.css" in html) is (direction == "rtl")
    if lang in ("ar", "en"):  # fr/nl come from the lead's catalogues
        assert title in html
    for number in ("112", "3114", "1813", "0800 32 123", "02 648 40 14"):
        assert number in html  # help lines are on the page without JavaScript


def test_public_signal_gives_a_reference_only_and_arrives_for_the_region(db, orgs):
    from pont.core.models import Region

    orgs["care_be"].regions.add(Region.objects.get(code="BE25"))
    response = Client().post(reverse("care:public_signal") + "?lang=ar",
                             public_form(municipality=municipality("Kortrijk").pk, description="secret words"))
    html = response.content.decode()
    signal = Signal.objects.get()
    assert response.status_code == 200 and signal.reference in html
    assert "Oksana" not in html and "secret words" not in html and "+33" not in html  # nothing comes back
    assert (signal.organisation, signal.category, signal.channel) == (orgs["care_be"], "C", "public")


def test_danger_now_shows_help_lines_first_and_arrives_as_a(db, orgs):
    response = Client().post(reverse("care:public_signal"), public_form(danger_now="yes"))
    html = response.content.decode()
    assert html.index("112") < html.index("signal-reference")
    assert Signal.objects.get().category == "A"


def test_honeypot_pretends_and_keeps_nothing(db, orgs):
    response = Client().post(reverse("care:public_signal"), public_form(website="http://spam.example"))
    assert response.status_code == 200 and "SG-" in response.content.decode()
    assert not Signal.objects.exists()


@pytest.mark.parametrize("body", [
    {}, {"relation": "x"}, {"relation": "self", "target_group": "refugee", "municipality": 0},
    {"relation": "self", "target_group": "refugee", "municipality": 1, "languages": ["zzz"]},
    {"relation": "self", "target_group": "refugee", "municipality": 1, "description": "x" * 5000},
    {"relation": "self", "target_group": "refugee", "municipality": 2**63},
    [1, 2], "garbage",
])
def test_garbage_public_signal_gets_422_never_500(db, orgs, body):
    response = Client().post("/api/v1/signals", json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content


@pytest.mark.parametrize("pk", [999999, 2**40])
def test_an_unknown_municipality_is_a_404_naming_the_field(db, orgs, pk):
    response = Client().post("/api/v1/signals", json.dumps({"relation": "self", "target_group": "refugee",
                                                            "municipality": pk}),
                             content_type="application/json", headers={"Accept-Language": "en"})
    assert (response.status_code, response.json()) == (404, {"detail": f"Not found: municipality {pk}."})
    assert not Signal.objects.exists()


def test_public_api_signal_with_danger_returns_help_lines(db, orgs):
    response = Client().post("/api/v1/signals", json.dumps({
        "relation": "self", "target_group": "refugee", "municipality": municipality("Lille").pk, "danger_now": True,
        "languages": ["ara"]}), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference", "next", "help_lines"} and body["help_lines"][0]["number"] == "112"


# --- Two-factor login -------------------------------------------------------------------------------------


def test_care_pages_ask_for_the_second_factor_then_open(db, users):
    client = Client()
    client.force_login(users["dispatcher"])
    response = client.get(reverse("care:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_setup"))
    page = client.get(reverse("otp_setup"))
    device = users["dispatcher"].totpdevice_set.get()
    assert not device.confirmed and page.context["uri"].startswith("otpauth://totp/Pont")
    html = page.content.decode()
    assert '<svg' in html and 'class="otp-qr"' in html and "style=" not in html.split('id="otp-qr"')[1][:5000]
    response = client.post(reverse("otp_setup"), {"token": current_code(device), "next": "/care/signals/"})
    assert response.status_code == 302 and response["Location"] == "/care/signals/"
    assert client.get(reverse("care:queue")).status_code == 200
    # A new session must confirm again, at the verify page this time.
    other = Client()
    other.force_login(users["dispatcher"])
    assert other.get(reverse("care:queue"))["Location"].startswith(reverse("otp_verify"))
    assert other.post(reverse("otp_verify"), {"token": "12"}).status_code == 422


def test_api_refuses_care_to_unverified_sessions_and_tokens_without_device(db, users):
    client = Client()
    client.force_login(users["dispatcher"])
    assert client.get("/api/v1/signals").status_code == 401
    _, raw = token_issue(user=users["dispatcher"])
    assert Client().get("/api/v1/signals", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    totp_device(users["dispatcher"])
    assert Client().get("/api/v1/signals", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_care_indicators_need_a_confirmed_second_factor_like_every_care_operation(db, users):
    def with_token(name: str) -> int:
        _, raw = token_issue(user=users[name])
        return Client().get("/api/v1/indicators/care", headers={"Authorization": f"Bearer {raw}"}).status_code

    assert with_token("dispatcher") == 401  # no confirmed device yet: it answered 200 before
    assert with_token("coordinator") == 401
    session = Client()
    session.force_login(users["dispatcher"])
    assert session.get("/api/v1/indicators/care").status_code == 401  # logged in, code not confirmed
    for name in ("dispatcher", "coordinator"):
        totp_device(users[name])
        assert with_token(name) == 200
    assert with_token("adviser") == 404  # employment roles never reach care


# --- The journey through the API --------------------------------------------------------------------------


def test_api_journey_signal_triage_visit_screening_closure(world, users):
    def api(user):
        _, raw = token_issue(user=users[user])
        return {"headers": {"Authorization": f"Bearer {raw}"}, "content_type": "application/json"}

    c = Client()
    dispatcher, therapist = api("dispatcher"), api("therapist")
    created = c.post("/api/v1/signals", json.dumps({
        "relation": "supporting", "target_group": "refugee", "municipality": municipality("Kortrijk").pk,
        "languages": ["ukr"], "first_name": "Oksana"}), content_type="application/json").json()
    signal = Signal.objects.get(reference=created["reference"])
    Signal.objects.filter(pk=signal.pk).update(organisation=users["dispatcher"].memberships.get().organisation)
    queue = c.get("/api/v1/signals", **dispatcher).json()
    assert created["reference"] in [s["reference"] for s in queue]
    triaged = c.post(f"/api/v1/signals/{signal.pk}/triage", json.dumps(
        {"category": "B", "reasons": "Not wanting to go on.", "team": world["team"]}), **dispatcher).json()
    assert triaged["category"] == "B" and not triaged["provisional"]
    teams = c.get("/api/v1/teams", **dispatcher).json()
    member_ids = [m["id"] for m in teams[0]["members"] if m["role"] in ("therapist", "interpreter")]
    start = working_slot(days=2, hour=14).isoformat()
    visit = c.post("/api/v1/visits", json.dumps({"signal": signal.pk, "members": member_ids, "starts_at": start,
                                                 "place": "Reception centre"}), **dispatcher)
    assert visit.status_code == 201, visit.content
    again = c.post("/api/v1/visits", json.dumps({"signal": signal.pk, "members": member_ids, "starts_at": start,
                                                 "place": "Elsewhere"}), **dispatcher)
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "members"]
    bad = c.post("/api/v1/screenings", json.dumps({"instrument": "phq-9", "answers": {"1": 0, "9": 7},
                                                   "language": "en", "signal": signal.pk}), **therapist)
    assert bad.status_code == 422
    assert "Item 9: answer out of range (allowed: 0, 1, 2, 3)." in [d["msg"] for d in bad.json()["detail"]]
    scored = c.post("/api/v1/screenings", json.dumps(
        {"instrument": "phq-9", "answers": {str(n): 2 for n in range(1, 10)}, "language": "nl",
         "signal": signal.pk}), **therapist)
    assert scored.status_code == 201
    body = scored.json()
    assert (body["total"], body["band"], body["positive"], body["validated_translation"]) == (
        18, "moderately_severe", None, False)
    assert body["flags"][0]["code"] == "self_harm" and body["needs_clinician"] and body["answers"]["9"] == 2
    report = c.post(f"/api/v1/visits/{visit.json()['id']}/report", json.dumps({"next_step": "follow_up"}),
                    **therapist)
    assert report.status_code == 200
    closed = c.post(f"/api/v1/signals/{signal.pk}/close", json.dumps({"outcome": "referred"}), **therapist).json()
    assert closed["outcome_scores"]["phq-9"]["first"] == 18
    interpreter_view = c.get(f"/api/v1/visits/{visit.json()['id']}", **api("interpreter")).json()
    assert set(interpreter_view) >= {"starts_at", "place", "language", "first_name"}
    assert interpreter_view["signal"] is None and interpreter_view["first_name"] == "Oksana"
    screenings = c.get(f"/api/v1/signals/{signal.pk}/screenings", **api("social_worker")).json()
    assert screenings[0]["total"] == 18 and screenings[0]["answers"] is None  # social workers: scores only
    indicators = c.get("/api/v1/indicators/care", **dispatcher).json()
    assert {row["category"] for row in indicators["by_category"]} == set("ABCDE")


def test_instruments_list_in_a_language(world, users):
    _, raw = token_issue(user=users["therapist"])
    data = Client().get("/api/v1/instruments", {"language": "fr"}, headers={"Authorization": f"Bearer {raw}"}).json()
    phq9 = next(i for i in data if i["code"] == "phq-9")
    assert phq9["validated_translation"] is False and phq9["items"][8]["text"].startswith("Penser")
    assert "rhs-15" not in [i["code"] for i in data]


# --- The screens ------------------------------------------------------------------------------------------


def test_screens_journey_for_the_team(world, users, verified_client):
    dispatcher = verified_client("dispatcher")
    page = dispatcher.get(reverse("care:queue")).content.decode()
    assert "SG-" in page
    detail = dispatcher.get(reverse("care:signal", args=[world["signal"]])).content.decode()
    assert "Sleep disturbance" not in detail and "Housing" not in detail  # no notes for dispatchers
    therapist = verified_client("therapist")
    html = therapist.get(reverse("care:signal", args=[world["signal"]])).content.decode()
    assert "Sleep disturbance" in html and "Housing" in html
    social = verified_client("social_worker").get(reverse("care:signal", args=[world["signal"]])).content.decode()
    assert "Housing" in social and "Sleep disturbance" not in social
    form = therapist.get(reverse("care:screening_create", args=[world["signal"], "gad-7"]), {"language": "nl"})
    assert "not the validated translation" in form.content.decode()
    post = therapist.post(reverse("care:screening_create", args=[world["signal"], "gad-7"]),
                          {"language": "en", "item_1": "3", "item_2": "3"})
    assert post.status_code == 422 and "Item 3: no answer." in post.content.decode()
    answers = {f"item_{n}": "2" for n in range(1, 8)}
    assert therapist.post(reverse("care:screening_create", args=[world["signal"], "gad-7"]),
                          {"language": "en", **answers}).status_code == 302
    agenda = verified_client("interpreter").get(reverse("care:agenda")).content.decode()
    assert "Reception centre" in agenda and "Oksana" in agenda


def test_visit_form_refuses_a_double_booking(world, users, verified_client):
    dispatcher = verified_client("dispatcher")
    visit_start = Signal.objects.get(pk=world["signal"]).visits.get().starts_at
    therapist = TeamMember.objects.get(pk=world["member_therapist"])
    response = dispatcher.post(reverse("care:visit_create", args=[world["signal"]]), {
        "starts_at": timezone.localtime(visit_start).strftime("%Y-%m-%dT%H:%M"), "minutes": 60, "place": "X",
        "members": [therapist.pk, world["member_interpreter"]]})
    assert response.status_code == 422 and "Already on another visit" in response.content.decode()


def test_home_shows_indicators_to_dispatchers_and_coordinators(world, users, verified_client):
    assert "Response times" in verified_client("dispatcher").get("/").content.decode()
    coordinator = Client()
    coordinator.force_login(users["coordinator"])
    assert "Response times" in coordinator.get("/").content.decode()
    adviser = Client()
    adviser.force_login(users["adviser"])
    assert "Psychosocial support" not in adviser.get("/").content.decode()


@pytest.mark.parametrize(("accept", "cookie", "expected"), [
    ("ar,fr;q=0.5", None, "ar"),           # a browser that asks for Arabic gets it without ?lang=ar
    ("de-DE,nl;q=0.8,ar;q=0.5", None, "nl"),  # the first offered language the browser accepts
    ("ar", "nl", "nl"),                    # a language chosen on this site wins over the browser's
    ("de", None, "fr"),                    # nothing offered: French
])
def test_the_public_page_speaks_the_browsers_language(db, accept, cookie, expected):
    client = Client()
    if cookie:
        client.cookies["django_language"] = cookie
    response = client.get(reverse("care:public_signal"), headers={"Accept-Language": accept})
    page = response.content.decode()
    assert response["Content-Language"] == expected and f'<html lang="{expected}"' in page


def test_the_arabic_page_is_arabic_in_its_frame_too_and_nothing_is_preselected(db):
    page = Client().get(reverse("care:public_signal"), headers={"Accept-Language": "ar"}).content.decode()
    texts = public.texts("ar")
    assert texts["skip_link"] in page and texts["footer"] in page and texts["menu_label"] in page
    assert "Skip to content" not in page and "Passer au contenu" not in page
    assert 'name="danger_now"' in page and "checked" not in page.split('id="danger-field"')[1].split("</fieldset>")[0]
    assert 'type="checkbox" name="languages"' in page and "Ctrl" not in page
