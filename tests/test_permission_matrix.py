"""Every URL and every API operation × every role (and anonymous), with the status each must answer.

A new URL pattern or API operation without a row here fails `test_every_url_has_a_row` /
`test_every_api_operation_has_a_row`: access is decided on purpose, never by default.
Out-of-scope records answer 404, never 403.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pont.core.auth import token_issue
from tests.conftest import PERSONAS

ROLES = ["anonymous", *PERSONAS]
CARE_ONLY = ("dispatcher", "social_worker", "therapist", "interpreter", "ambassador")
CARE_2FA = (*CARE_ONLY, "coordinator", "care_coordinator")  # roles that confirm a TOTP code before care records
CASE = ("dispatcher", "social_worker", "therapist")  # may open the test signal
TEAM = ("social_worker", "therapist")  # its assigned team: notes, screenings
COORDINATORS = ("coordinator", "care_coordinator")  # of an employment service, of a care organisation
PARTNERS = ("adviser", "other_adviser", *COORDINATORS)  # the practice exchange, events, referral lists

# name → (method, url kwargs as fixture names, {role: status}[, form data]); "*" is every other signed-in role.
# Form data (like API bodies below) may be a function of the objects, so that a write sends a valid body.
UI = {
    "home": ("get", {}, {"anonymous": 302, "*": 200}),
    "login": ("get", {}, {"anonymous": 200, "*": 302}),
    "logout": ("post", {}, {"*": 302, "anonymous": 302}),
    "language": ("post", {}, {"*": 302, "anonymous": 302}),
    "health": ("get", {}, {"*": 200, "anonymous": 200}),
    "favicon": ("get", {}, {"*": 302, "anonymous": 302}),  # to the static SVG icon
    "audit_trail": ("get", {}, {"anonymous": 302, **dict.fromkeys(COORDINATORS, 200), "*": 404}),
    # Indicators (issue 13): employment coordinators and the care roles who read counts (second factor).
    "reporting:dashboard": ("get", {}, {"anonymous": 302, **dict.fromkeys(COORDINATORS, 200), "dispatcher": 200,
                                        "*": 404}),
    "reporting:export": ("get", {"code": "indicator_code", "extension": "export_format"},
                         {"anonymous": 302, "coordinator": 200, "*": 404}),
    "reporting:indicator": ("get", {"code": "indicator_code"}, {"anonymous": 302, "coordinator": 200, "*": 404}),
    "reporting:infographic": ("get", {}, {"anonymous": 302, **dict.fromkeys(COORDINATORS, 200), "dispatcher": 200,
                                          "*": 404}),
    "reporting:infographic_download": ("get", {"extension": "infographic_format"},
                                       {"anonymous": 302, **dict.fromkeys(COORDINATORS, 200), "dispatcher": 200,
                                        "*": 404}),
    # The evaluation extract: employment and portfolio coordinators, each their own extracts only.
    "reporting:extracts": ("get", {}, {"anonymous": 302, "coordinator": 200, "*": 404}),
    "reporting:extract": ("get", {"pk": "extract"}, {"anonymous": 302, "coordinator": 200, "*": 404}),
    "reporting:extract_download": ("get", {"pk": "extract"}, {"anonymous": 302, "coordinator": 200, "*": 404}),
    "reporting:extract_delete": ("post", {"pk": "extract"}, {"anonymous": 302, "coordinator": 302, "*": 404}),
    "people:list": ("get", {}, {"anonymous": 302, "adviser": 200, "other_adviser": 200, "*": 404}),
    "people:create": ("get", {}, {"anonymous": 302, "adviser": 200, "other_adviser": 200, "*": 404}),
    "people:duplicates": ("get", {}, {"anonymous": 302, "adviser": 200, "other_adviser": 200, "*": 404}),
    "people:detail": ("get", {"pk": "person"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "people:edit": ("get", {"pk": "person"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "people:status_add": ("post", {"pk": "person"}, {"anonymous": 302, "adviser": 302, "*": 404},
                          {"status": "asylum_seeker", "country": "BE", "start_date": "2025-01-10"}),
    "people:status_edit": ("get", {"pk": "person", "status_pk": "legal_status"},
                           {"anonymous": 302, "adviser": 200, "*": 404}),
    "people:consent_add": ("post", {"pk": "person"}, {"anonymous": 302, "adviser": 302, "*": 404},
                           {"purpose": "cross_border_referral", "given_by": "person"}),
    "people:consent_withdraw": ("post", {"pk": "person", "consent_pk": "consent"},
                                {"anonymous": 302, "adviser": 302, "*": 404}),
    # Employment: every partner's catalogue for advisers and coordinators; records of the adviser's people.
    "employment:programme_list": ("get", {}, {"anonymous": 302, "adviser": 200, "other_adviser": 200,
                                              "coordinator": 200, "*": 404}),
    "employment:programme_create": ("get", {}, {"anonymous": 302, "coordinator": 200, "*": 404}),
    "employment:programme_detail": ("get", {"pk": "programme"}, {"anonymous": 302, "adviser": 200,
                                                                 "other_adviser": 200, "coordinator": 200, "*": 404}),
    "employment:programme_edit": ("get", {"pk": "programme"}, {"anonymous": 302, "coordinator": 200, "*": 404}),
    "employment:person_panel": ("get", {"person_pk": "person"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "employment:eligibility": ("get", {"person_pk": "person"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "employment:enrolment_create": ("post", {"person_pk": "person"}, {"anonymous": 302, "adviser": 302, "*": 404},
                                    lambda o: {"programme": o["other_programme"]}),
    "employment:coaching_create": ("get", {"person_pk": "person"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "employment:language_training_create": ("get", {"person_pk": "person"},
                                            {"anonymous": 302, "adviser": 200, "*": 404}),
    "employment:placement_create": ("get", {"person_pk": "person"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "employment:enrolment_detail": ("get", {"pk": "enrolment"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "employment:enrolment_transition": ("post", {"pk": "enrolment"}, {"anonymous": 302, "adviser": 302, "*": 404},
                                        {"status": "enrolled"}),
    "employment:language_assessment_add": ("post", {"pk": "language_training"},
                                           {"anonymous": 302, "adviser": 302, "*": 404},
                                           lambda o: {"date": o["today"], "level": "B1"}),
    "employment:placement_detail": ("get", {"pk": "placement"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "employment:followups_due": ("get", {}, {"anonymous": 302, "adviser": 200, "other_adviser": 200, "*": 404}),
    "employment:followup_record": ("post", {"pk": "followup"}, {"anonymous": 302, "adviser": 302, "*": 404},
                                   lambda o: {f"f{o['followup']}-done_on": o["followup_due_on"],
                                              f"f{o['followup']}-still_employed": "yes"}),
    "employment:target_edit": ("get", {}, {"anonymous": 302, "coordinator": 200, "*": 404}),
    # Django admin: superusers only; staff of the app are sent to the admin login.
    "admin:index": ("get", {}, {"*": 302, "anonymous": 302}),
    # The partners' network (issue 11): the catalogue is every staff role's but the employers'.
    "network:offer_list": ("get", {}, {"anonymous": 302, "employer": 404, "*": 200}),
    "network:referral_ask": ("post", {}, {"anonymous": 302, "adviser": 302, "other_adviser": 302, "*": 404},
                             lambda o: {"ask_organisation": o["forem"], "ask_agreed": "1", "given_name": "Yonas",
                                        "family_name": "Tesfay", "date_of_birth": "1990-05-12"}),
    **{name: (method, kwargs, {"anonymous": 302, **row, "*": 404}, *data) for name, (method, kwargs, row, *data) in {
        "network:referral_list": ("get", {}, {**dict.fromkeys(PARTNERS, 200)}),
        "network:referral_create": ("get", {}, {"adviser": 200},
                                    lambda o: {"person": o["person"], "offer": o["offer"]}),
        "network:referral_detail": ("get", {"pk": "referral"}, {"adviser": 200, "other_adviser": 200,
                                                                "coordinator": 200}),
        "network:offers_mine": ("get", {}, {**dict.fromkeys(COORDINATORS, 200)}),
        "network:offer_create": ("get", {}, {**dict.fromkeys(COORDINATORS, 200)}),
        "network:offer_edit": ("get", {"pk": "own_offer"}, {"coordinator": 200}),
        "network:offers_upload": ("get", {}, {**dict.fromkeys(COORDINATORS, 200)}),
        "network:exchange": ("get", {}, {**dict.fromkeys(PARTNERS, 200)}),
        "network:thread_detail": ("get", {"pk": "thread"}, {"adviser": 200, "other_adviser": 200,
                                                            **dict.fromkeys(COORDINATORS, 200)}),
        "network:event_list": ("get", {}, {**dict.fromkeys(PARTNERS, 200),
                                           **dict.fromkeys(CARE_ONLY, 200)}),
        "network:event_detail": ("get", {"pk": "event"}, {**dict.fromkeys(PARTNERS, 200),
                                                          **dict.fromkeys(CARE_ONLY, 200)}),
        "network:event_ics": ("get", {"pk": "event"}, {**dict.fromkeys(PARTNERS, 200),
                                                       **dict.fromkeys(CARE_ONLY, 200)}),
    }.items()},
    # Employers, vacancies and matching (issue 4): employers see their company's, advisers their people's.
    **{name: (method, kwargs, {"anonymous": 302, **row, "*": 404}, *data) for name, (method, kwargs, row, *data) in {
        "matching:vacancy_list": ("get", {}, {"adviser": 200, "other_adviser": 200, "employer": 200}),
        "matching:vacancy_create": ("get", {}, {"employer": 200}),
        "matching:vacancy_detail": ("get", {"pk": "vacancy"}, {"adviser": 200, "other_adviser": 200, "employer": 200}),
        "matching:vacancy_edit": ("get", {"pk": "vacancy"}, {"employer": 200}),
        "matching:sites": ("get", {}, {"employer": 200}),
        "matching:skill_options": ("get", {}, {"adviser": 200, "other_adviser": 200, "employer": 200}),
        "matching:skill_suggestions": ("get", {}, {"adviser": 200, "other_adviser": 200, "employer": 200},
                                       {"text": "operate a forklift"}),
        "matching:occupation_options": ("get", {}, {"adviser": 200, "other_adviser": 200, "employer": 200}),
        "matching:profile": ("get", {"person_pk": "person"}, {"adviser": 200}),
        "matching:person_matches": ("get", {"person_pk": "person"}, {"adviser": 200}),
        "matching:propose": ("post", {"person_pk": "person"}, {"adviser": 302},
                             lambda o: {"vacancy": o["open_vacancy"]}),
        "matching:proposal_detail": ("get", {"pk": "proposal"}, {"adviser": 200, "employer": 200}),
        "matching:proposal_feedback": ("post", {"pk": "proposal"}, {"employer": 302},
                                       {"outcome": "interview_requested"}),
        "matching:proposal_answer": ("post", {"pk": "requested_proposal"}, {"adviser": 302}, {"accepted": "1"}),
        "matching:proposal_withdraw": ("post", {"pk": "proposal"}, {"adviser": 302}),
        # The employer's own search and the introductions it asks of advisers (issue 10).
        "matching:candidate_search": ("get", {"pk": "intro_vacancy"}, {"employer": 200}),
        "matching:introduction_request": ("post", {"pk": "intro_vacancy"}, {"employer": 302},
                                          lambda o: {"candidate": o["candidate_code"]}),
        "matching:needs_search": ("get", {}, {"employer": 200},
                                  lambda o: {"site": o["site"], "occupation": o["occupation"]}),
        "matching:needs_introduction": ("post", {}, {"employer": 302},
                                        lambda o: {"candidate": o["needs_code"], "vacancy": o["intro_vacancy"]}),
        "matching:introductions": ("get", {}, {"adviser": 200, "other_adviser": 200}),
        "matching:introduction_answer": ("post", {"pk": "introduction"}, {"adviser": 302}, {"accepted": "1"}),
    }.items()},
    # Care (issue 5). Care roles and coordinators act with a confirmed second factor (see test_ui).
    **{name: (method, kwargs, {"anonymous": 302, **row, "*": 404}, *data)
       for name, (method, kwargs, row, *data) in {
        "otp_setup": ("get", {}, dict.fromkeys(CARE_2FA, 302)),  # enrolled already: sent to verify
        "otp_verify": ("get", {}, dict.fromkeys(CARE_2FA, 200)),
        "care:queue": ("get", {}, dict.fromkeys(("dispatcher", "social_worker", "therapist"), 200)),
        "care:signal_create": ("get", {}, {"dispatcher": 200}),
        "care:signal": ("get", {"pk": "signal"}, dict.fromkeys(("dispatcher", "social_worker", "therapist"), 200)),
        "care:triage": ("post", {"pk": "signal"}, {"dispatcher": 302}, {"category": "B", "reasons": "By phone."}),
        "care:vital_interest": ("post", {"pk": "registered_signal"}, {"dispatcher": 302},
                                {"legal_basis_note": "Unconscious after an overdose."}),
        "care:first_contact": ("post", {"pk": "signal"},
                               dict.fromkeys(("dispatcher", "social_worker", "therapist"), 302)),
        "care:handover": ("post", {"pk": "signal"}, {"dispatcher": 302}, {"note": "SAMU 15 at 10:02"}),
        "care:note_create": ("post", {"pk": "signal"}, dict.fromkeys(("social_worker", "therapist"), 302),
                             {"kind": "social", "body": "Called."}),
        "care:close": ("post", {"pk": "signal"}, dict.fromkeys(("dispatcher", "social_worker", "therapist"), 302),
                       {"outcome": "stable"}),
        "care:visit_create": ("get", {"pk": "signal"}, {"dispatcher": 200}),
        "care:merge": ("post", {"pk": "signal"}, {"dispatcher": 302}, lambda o: {"other": o["registered_signal"]}),
        "care:keep_apart": ("post", {"pk": "signal"}, {"dispatcher": 302},
                            lambda o: {"other": o["registered_signal"]}),
        "care:screening_create": ("get", {"pk": "signal", "code": "instrument"},
                                  dict.fromkeys(("social_worker", "therapist"), 200)),
        "care:alert_acknowledge": ("post", {"pk": "alert"}, {"dispatcher": 302}),
        "care:agenda": ("get", {}, dict.fromkeys(CARE_ONLY, 200)),
        "care:visit": ("get", {"pk": "visit"},
                       dict.fromkeys(("dispatcher", "social_worker", "therapist", "interpreter"), 200)),
        "care:visit_report": ("post", {"pk": "visit"}, dict.fromkeys(("social_worker", "therapist"), 302)),
        "care:visit_cancel": ("post", {"pk": "visit"}, {"dispatcher": 302}),
        "care:teams": ("get", {}, dict.fromkeys(CARE_ONLY, 200)),
        # The adviser's side of the care bridge: the person's adviser only.
        "care:person_panel": ("get", {"person_pk": "person"}, {"adviser": 200}),
        "care:person_request": ("post", {"person_pk": "person"}, {"adviser": 302}, {"concerns": ["sleep"]}),
        # Dispatch (issue 6): dispatchers of the plan's organisation only.
        "dispatch:plan_new": ("get", {}, {"dispatcher": 200}),
        "dispatch:plan": ("get", {"pk": "plan"}, {"dispatcher": 200}),
        "dispatch:plan_accept": ("post", {"pk": "plan"}, {"dispatcher": 302}),
        # Cooperation agreements (issue 12): dispatchers read, care coordinators manage.
        "care:agreements": ("get", {}, {"dispatcher": 200, "care_coordinator": 200}),
        "care:agreement_create": ("post", {}, {"care_coordinator": 302}, lambda o: {
            "partner": o["care_partner"], "direction": "mutual", "roles": ["interpreter"], "starts_on": o["today"]}),
        "care:agreement_confirm": ("post", {"pk": "waiting_agreement"}, {"care_coordinator": 302}),
        "care:agreement_end": ("post", {"pk": "agreement"}, {"care_coordinator": 302}),
        # The on-duty rota (issue 12): its organisation's dispatchers and coordinators; push: any care role.
        "care:rota": ("get", {}, {"dispatcher": 200, "care_coordinator": 200}),
        "care:rota_remove": ("post", {"pk": "duty_slot"}, {"dispatcher": 302, "care_coordinator": 302}),
        "care:push_subscribe": ("post", {}, dict.fromkeys(CARE_ONLY, 201), json.dumps(
            {"endpoint": "https://push.example.org/send/abc", "keys": {"p256dh": "BNc", "auth": "x1"}})),
        "care:push_unsubscribe": ("post", {}, dict.fromkeys(CARE_ONLY, 200), json.dumps({})),
    }.items()},
    "care:public_signal": ("get", {}, {"*": 200, "anonymous": 200}),
}

_SOON = __import__("datetime").datetime.now(__import__("datetime").UTC)
DISPATCH_WINDOW = {"from": _SOON.isoformat(), "to": (_SOON + __import__("datetime").timedelta(hours=8)).isoformat()}

# "METHOD /path" (as in the OpenAPI document) → (path kwargs, body or a function of the objects, {role: status})
API = {
    "GET /api/v1/me": ({}, None, {"anonymous": 401, "*": 200}),
    # Taxonomy and matching (issue 4). Lists answer everyone (empty outside scope); records answer 404.
    "GET /api/v1/skills": ({"?": "q=weld"}, None, {"anonymous": 401, "*": 200}),  # "?": the query string
    "POST /api/v1/skills/suggest": ({}, {"text": "operate a forklift"}, {"anonymous": 401, "*": 200}),
    "GET /api/v1/occupations": ({"?": "q=weld"}, None, {"anonymous": 401, "*": 200}),
    "GET /api/v1/occupations/{occupation_id}": ({"occupation_id": "occupation"}, None, {"anonymous": 401, "*": 200}),
    "GET /api/v1/sites": ({}, None, {"anonymous": 401, "*": 200}),
    "POST /api/v1/sites": ({}, lambda o: {"name": "Warehouse Kortrijk", "municipality": o["municipality"]},
                           {"anonymous": 401, "employer": 201, "*": 404}),
    "GET /api/v1/vacancies": ({}, None, {"anonymous": 401, "*": 200}),
    "POST /api/v1/vacancies": ({}, lambda o: {"site": o["site"], "occupation": o["occupation"], "posts": 2},
                               {"anonymous": 401, "employer": 201, "*": 404}),
    "GET /api/v1/vacancies/{vacancy_id}": ({"vacancy_id": "vacancy"}, None,
                                           {"anonymous": 401, "adviser": 200, "other_adviser": 200, "employer": 200,
                                            "*": 404}),
    "PATCH /api/v1/vacancies/{vacancy_id}": ({"vacancy_id": "vacancy"}, {"posts": 3},
                                             {"anonymous": 401, "employer": 200, "*": 404}),
    "GET /api/v1/vacancies/{vacancy_id}/matches": ({"vacancy_id": "vacancy"}, None,
                                                   {"anonymous": 401, "adviser": 200, "other_adviser": 200, "*": 404}),
    "GET /api/v1/vacancies/{vacancy_id}/candidates": ({"vacancy_id": "intro_vacancy"}, None,
                                                      {"anonymous": 401, "employer": 200, "*": 404}),
    "POST /api/v1/vacancies/{vacancy_id}/introductions": ({"vacancy_id": "intro_vacancy"},
                                                          lambda o: {"candidate": o["candidate_code"]},
                                                          {"anonymous": 401, "employer": 201, "*": 404}),
    "POST /api/v1/candidates/search": ({}, lambda o: {"site": o["site"], "occupation": o["occupation"]},
                                       {"anonymous": 401, "employer": 200, "*": 404}),
    "GET /api/v1/introductions": ({}, None, {"anonymous": 401, "*": 200}),  # a list: empty outside scope
    "GET /api/v1/offers": ({"?": "q=French"}, None, {"anonymous": 401, "employer": 404, "*": 200}),
    "GET /api/v1/threads": ({}, None, {"anonymous": 401, **dict.fromkeys(PARTNERS, 200),
                                       "*": 404}),
    "POST /api/v1/threads": ({}, {"title": "Tips", "text": "Role play helps.", "language": "en"},
                             {"anonymous": 401, **dict.fromkeys(PARTNERS, 201), "*": 404}),
    "GET /api/v1/threads/{thread_id}": ({"thread_id": "thread"}, None,
                                        {"anonymous": 401, **dict.fromkeys(PARTNERS, 200),
                                         "*": 404}),
    "POST /api/v1/threads/{thread_id}/replies": ({"thread_id": "thread"}, {"text": "Same here.", "language": "fr"},
                                                 {"anonymous": 401, "adviser": 201, "other_adviser": 201,
                                                  **dict.fromkeys(COORDINATORS, 201), "*": 404}),
    "POST /api/v1/threads/{thread_id}/bookmark": ({"thread_id": "thread"}, None,
                                                  {"anonymous": 401, "adviser": 200, "other_adviser": 200,
                                                   **dict.fromkeys(COORDINATORS, 200), "*": 404}),
    "POST /api/v1/threads/{thread_id}/hide": ({"thread_id": "thread"}, {"reason": "Off topic."},
                                              {"anonymous": 401, **dict.fromkeys(COORDINATORS, 200), "*": 404}),
    "GET /api/v1/events": ({}, None, {"anonymous": 401, "*": 200}),  # a list: empty for employers
    "POST /api/v1/events": ({}, lambda o: {"title": "Training", "starts_at": o["event_starts"],
                                           "ends_at": o["event_ends"], "place": "Lille", "language": "fr"},
                            {"anonymous": 401, **dict.fromkeys(COORDINATORS, 201), "*": 404}),
    "POST /api/v1/events/{event_id}/registration": ({"event_id": "event"}, None,
                                                    {"anonymous": 401, "employer": 404, "*": 201}),
    "POST /api/v1/referrals": ({}, lambda o: {"person": o["person"], "offer": o["offer"], "reason": "French.",
                                              "fields": ["name"]}, {"anonymous": 401, "adviser": 201, "*": 404}),
    "GET /api/v1/referrals": ({}, None, {"anonymous": 401, "*": 200}),  # a list: empty outside scope
    "GET /api/v1/referrals/{referral_id}": ({"referral_id": "referral"}, None,
                                            {"anonymous": 401, "adviser": 200, "other_adviser": 200,
                                             "coordinator": 200, "*": 404}),
    "POST /api/v1/referrals/{referral_id}/accept": ({"referral_id": "referral"}, {},
                                                    {"anonymous": 401, "other_adviser": 200, "*": 404}),
    "POST /api/v1/referrals/{referral_id}/decline": ({"referral_id": "referral"}, {"reason": "Full."},
                                                     {"anonymous": 401, "other_adviser": 200, "*": 404}),
    "POST /api/v1/referrals/{referral_id}/close": ({"referral_id": "accepted_referral"}, {"outcome": "enrolled"},
                                                   {"anonymous": 401, "other_adviser": 200, "*": 404}),
    "GET /api/v1/hsds/services": ({}, None, {"anonymous": 401, "employer": 404, "*": 200}),
    "POST /api/v1/hsds/services": ({}, {"language": "nl", "file": json.dumps([{
        "id": "0b7c3d2e-1f4a-4b5c-9d6e-7f8091a2b3c4", "name": "Inburgering", "status": "active",
        "organization": {"name": "VDAB Test"},
        "service_at_locations": [{"location": {"addresses": [{"postal_code": "8500", "city": "Kortrijk"}]}}]}])},
        # a care organisation's coordinator imports its own services: VDAB's is a field error for them
        {"anonymous": 401, "coordinator": 201, "care_coordinator": 422, "*": 404}),
    "POST /api/v1/offers": ({}, lambda o: {"organisation": o["vdab"], "kind": "childcare", "title_nl": "Opvang",
                                           "municipality": o["municipality"]},
                            {"anonymous": 401, "coordinator": 201, "*": 404}),
    "POST /api/v1/introductions/{introduction_id}/answer": ({"introduction_id": "introduction"}, {"accepted": True},
                                                            {"anonymous": 401, "adviser": 200, "*": 404}),
    "GET /api/v1/vacancies/{vacancy_id}/shortfalls": ({"vacancy_id": "vacancy"}, None,
                                                      {"anonymous": 401, "adviser": 200, "other_adviser": 200,
                                                       "*": 404}),
    "GET /api/v1/persons/{person_id}/skill-profile": ({"person_id": "person"}, None,
                                                      {"anonymous": 401, "adviser": 200, "*": 404}),
    "PUT /api/v1/persons/{person_id}/skill-profile": ({"person_id": "person"}, {"travel_radius_km": 20},
                                                      {"anonymous": 401, "adviser": 200, "*": 404}),
    "GET /api/v1/persons/{person_id}/matches": ({"person_id": "person"}, None,
                                                {"anonymous": 401, "adviser": 200, "*": 404}),
    "GET /api/v1/proposals": ({}, None, {"anonymous": 401, "*": 200}),
    "POST /api/v1/proposals": ({}, lambda o: {"person": o["person"], "vacancy": o["open_vacancy"]},
                               {"anonymous": 401, "adviser": 201, "*": 404}),
    "GET /api/v1/proposals/{proposal_id}": ({"proposal_id": "proposal"}, None,
                                            {"anonymous": 401, "adviser": 200, "employer": 200, "*": 404}),
    "POST /api/v1/proposals/{proposal_id}/feedback": ({"proposal_id": "proposal"}, {"outcome": "interview_requested"},
                                                      {"anonymous": 401, "employer": 201, "*": 404}),
    "POST /api/v1/proposals/{proposal_id}/answer": ({"proposal_id": "requested_proposal"}, {"accepted": True},
                                                    {"anonymous": 401, "adviser": 200, "*": 404}),
    "POST /api/v1/proposals/{proposal_id}/withdraw": ({"proposal_id": "proposal"}, None,
                                                      {"anonymous": 401, "adviser": 200, "*": 404}),
    "GET /api/v1/organisations": ({}, None, {"anonymous": 401, "*": 200}),
    "GET /api/v1/persons": ({}, None, {"anonymous": 401, "*": 200}),  # others get an empty page
    "POST /api/v1/persons": ({}, {"given_name": "Matrix", "family_name": "Testperson", "date_of_birth": "1990-02-03",
                                  "sex": "F", "region": "BE25"},
                             {"anonymous": 401, "adviser": 201, "other_adviser": 201, "*": 404}),
    "GET /api/v1/persons/{person_id}": ({"person_id": "person"}, None,
                                        {"anonymous": 401, "adviser": 200, "*": 404}),
    "PATCH /api/v1/persons/{person_id}": ({"person_id": "person"}, {"phone": "+32 470 00 00 00"},
                                          {"anonymous": 401, "adviser": 200, "*": 404}),
    "GET /api/v1/persons/{person_id}/right-to-work": ({"person_id": "person"}, None,
                                                      {"anonymous": 401, "adviser": 200, "*": 404}),
    "POST /api/v1/persons/{person_id}/legal-statuses": (
        {"person_id": "person"}, {"status": "asylum_seeker", "country": "BE", "start_date": "2025-01-10"},
        {"anonymous": 401, "adviser": 201, "*": 404}),
    "PATCH /api/v1/persons/{person_id}/legal-statuses/{status_id}": (
        {"person_id": "person", "status_id": "legal_status"}, {"end_date": "2025-12-31"},
        {"anonymous": 401, "adviser": 200, "*": 404}),
    # Employment (catalogue lists and record lists answer others with an empty list)
    "GET /api/v1/programmes": ({}, None, {"anonymous": 401, "*": 200}),
    "POST /api/v1/programmes": ({}, {"kind": "youth_guidance", "name_en": "Matrix guidance",
                                     "right_to_work": "not_required"},
                                {"anonymous": 401, "coordinator": 201, "*": 404}),
    "GET /api/v1/programmes/{programme_id}": ({"programme_id": "programme"}, None, {
        "anonymous": 401, "adviser": 200, "other_adviser": 200, "coordinator": 200, "*": 404}),
    "PATCH /api/v1/programmes/{programme_id}": ({"programme_id": "programme"}, {"capacity": 21},
                                                {"anonymous": 401, "coordinator": 200, "*": 404}),
    "GET /api/v1/persons/{person_id}/eligibility": ({"person_id": "person"}, None,
                                                    {"anonymous": 401, "adviser": 200, "*": 404}),
    "GET /api/v1/enrolments": ({}, None, {"anonymous": 401, "*": 200}),
    "POST /api/v1/enrolments": ({}, lambda o: {"person": o["person"], "programme": o["other_programme"]},
                                {"anonymous": 401, "adviser": 201, "*": 404}),
    "GET /api/v1/enrolments/{enrolment_id}": ({"enrolment_id": "enrolment"}, None,
                                              {"anonymous": 401, "adviser": 200, "*": 404}),
    "POST /api/v1/enrolments/{enrolment_id}/status": ({"enrolment_id": "enrolment"}, {"status": "enrolled"},
                                                      {"anonymous": 401, "adviser": 200, "*": 404}),
    "GET /api/v1/placements": ({}, None, {"anonymous": 401, "*": 200}),
    "POST /api/v1/placements": ({}, lambda o: {"person": o["person"], "job_title": "Welder", "employer_name": "X",
                                               "contract_type": "open_ended", "start_date": o["today"]},
                                {"anonymous": 401, "adviser": 201, "*": 404}),
    "GET /api/v1/placements/{placement_id}": ({"placement_id": "placement"}, None,
                                              {"anonymous": 401, "adviser": 200, "*": 404}),
    "POST /api/v1/placements/{placement_id}/follow-ups": (
        {"placement_id": "placement"},
        lambda o: {"month": 3, "done_on": o["followup_due_on"], "still_employed": True},
        {"anonymous": 401, "adviser": 200, "*": 404}),
    "GET /api/v1/indicators/employment": ({}, None, {"anonymous": 401, "coordinator": 200, "*": 404}),
    # The indicator registry (issue 13): a list for the roles with a second factor (empty outside their tracks).
    "GET /api/v1/indicators": ({}, None, {"anonymous": 401, **dict.fromkeys(CARE_2FA, 200), "*": 404}),
    "GET /api/v1/indicators/{code}": ({"code": "indicator_code"}, None,
                                      {"anonymous": 401, "coordinator": 200, "*": 404}),
    "GET /api/v1/indicators/{code}/export": ({"code": "indicator_code"}, None,
                                             {"anonymous": 401, "coordinator": 200, "*": 404}),
    "GET /api/v1/infographic": ({}, None, {"anonymous": 401, **dict.fromkeys(COORDINATORS, 200), "dispatcher": 200,
                                           "*": 404}),
    "POST /api/v1/extracts": ({}, lambda o: o["extract_body"], {"anonymous": 401, "coordinator": 202, "*": 404}),
    "GET /api/v1/extracts": ({}, None, {"anonymous": 401, "coordinator": 200, "*": 404}),
    "GET /api/v1/extracts/{extract_id}": ({"extract_id": "extract"}, None,
                                          {"anonymous": 401, "coordinator": 200, "*": 404}),
    "GET /api/v1/extracts/{extract_id}/download": ({"extract_id": "extract"}, None,
                                                   {"anonymous": 401, "coordinator": 200, "*": 404}),
    # Care (issue 5): employment roles and coordinators get 404 (indicators aside), anonymous 401.
    **{op: (kwargs, body, {"anonymous": 401, **row, "*": 404}) for op, (kwargs, body, row) in {
        "GET /api/v1/signals": ({}, None, dict.fromkeys(CARE_ONLY, 200)),
        "GET /api/v1/signals/{signal_id}": ({"signal_id": "signal"}, None, dict.fromkeys(CASE, 200)),
        "POST /api/v1/signals/{signal_id}/triage": ({"signal_id": "signal"},
                                                    {"category": "B", "reasons": "Confirmed by phone."},
                                                    {"dispatcher": 200}),
        "POST /api/v1/signals/{signal_id}/first-contact": ({"signal_id": "signal"}, {}, dict.fromkeys(CASE, 200)),
        "GET /api/v1/signals/{signal_id}/duplicates": ({"signal_id": "signal"}, None, {"dispatcher": 200}),
        "POST /api/v1/signals/{signal_id}/merge": ({"signal_id": "signal"},
                                                   lambda o: {"other": o["registered_signal"]}, {"dispatcher": 200}),
        "POST /api/v1/signals/{signal_id}/keep-apart": ({"signal_id": "signal"},
                                                        lambda o: {"other": o["registered_signal"]},
                                                        {"dispatcher": 204}),
        "POST /api/v1/signals/{signal_id}/handover": ({"signal_id": "signal"}, {"note": "SAMU 15 at 10:02"},
                                                      {"dispatcher": 200}),
        "POST /api/v1/signals/{signal_id}/close": ({"signal_id": "signal"}, {"outcome": "stable"},
                                                   dict.fromkeys(CASE, 200)),
        "GET /api/v1/signals/{signal_id}/notes": ({"signal_id": "signal"}, None, dict.fromkeys(TEAM, 200)),
        "POST /api/v1/signals/{signal_id}/notes": ({"signal_id": "signal"}, {"kind": "social", "body": "Called."},
                                                   dict.fromkeys(TEAM, 201)),
        "GET /api/v1/signals/{signal_id}/screenings": ({"signal_id": "signal"}, None, dict.fromkeys(TEAM, 200)),
        "GET /api/v1/instruments": ({}, None, dict.fromkeys(CARE_ONLY, 200)),
        "POST /api/v1/screenings": ({}, lambda o: {"signal": o["signal"], "instrument": "phq-4", "language": "en",
                                                   "answers": {"1": 1, "2": 0, "3": 1, "4": 0}},
                                    dict.fromkeys(TEAM, 201)),
        "GET /api/v1/teams": ({}, None, dict.fromkeys(CARE_ONLY, 200)),
        "GET /api/v1/visits": ({}, None, dict.fromkeys(CARE_ONLY, 200)),
        "POST /api/v1/visits": ({}, lambda o: {"signal": o["signal"], "starts_at": o["free_slot"], "place": "Centre",
                                               "members": [o["member_therapist"], o["member_interpreter"]]},
                                {"dispatcher": 201}),
        "POST /api/v1/signals/{signal_id}/vital-interest": ({"signal_id": "registered_signal"},
                                                            {"legal_basis_note": "Unconscious after an overdose."},
                                                            {"dispatcher": 200}),
        "GET /api/v1/visits/{visit_id}": ({"visit_id": "visit"}, None, dict.fromkeys((*CASE, "interpreter"), 200)),
        "POST /api/v1/visits/{visit_id}/report": ({"visit_id": "visit"}, {"next_step": "follow_up"},
                                                  dict.fromkeys(TEAM, 200)),
        "GET /api/v1/indicators/care": ({}, None, {"dispatcher": 200, **dict.fromkeys(COORDINATORS, 200)}),
        "POST /api/v1/dispatch/plans": ({}, DISPATCH_WINDOW, {"dispatcher": 202}),
        "GET /api/v1/dispatch/plans/{plan_id}": ({"plan_id": "plan"}, None, {"dispatcher": 200}),
        "GET /api/v1/care/agreements": ({}, None, {"dispatcher": 200, "care_coordinator": 200}),
        "GET /api/v1/care/rota": ({}, None, {"dispatcher": 200, "care_coordinator": 200}),
        "POST /api/v1/care/rota": ({}, lambda o: {"user": o["dispatcher_user"], "starts_at": o["event_starts"],
                                                  "ends_at": o["event_ends"], "rank": 2},
                                   {"dispatcher": 201, "care_coordinator": 201}),
        "POST /api/v1/care/rota/{slot_id}/remove": ({"slot_id": "duty_slot"}, None,
                                                    {"dispatcher": 204, "care_coordinator": 204}),
        "POST /api/v1/care/agreements": ({}, lambda o: {"partner": o["care_partner"], "direction": "lend",
                                                        "roles": ["therapist"], "starts_on": o["today"]},
                                         {"care_coordinator": 201}),
        "POST /api/v1/care/agreements/{agreement_id}/confirm": ({"agreement_id": "waiting_agreement"}, None,
                                                                {"care_coordinator": 200}),
        "POST /api/v1/care/agreements/{agreement_id}/end": ({"agreement_id": "agreement"}, None,
                                                            {"care_coordinator": 200}),
        "POST /api/v1/dispatch/plans/{plan_id}/accept": ({"plan_id": "plan"}, {}, {"dispatcher": 200}),
    }.items()},
    # Public: anyone may signal (no account needed).
    "POST /api/v1/signals": ({}, lambda o: {"relation": "supporting", "target_group": "refugee",
                                            "municipality": o["municipality"], "languages": ["ukr"]},
                             {"*": 201, "anonymous": 201}),
    # The adviser's side of the care bridge (with the person's care consent, see `objects`).
    "POST /api/v1/persons/{person_id}/care-requests": ({"person_id": "person"}, {"concerns": ["sleep"]},
                                                       {"anonymous": 401, "adviser": 201, "*": 404}),
    "GET /api/v1/persons/{person_id}/care-requests": ({"person_id": "person"}, None,
                                                      {"anonymous": 401, "adviser": 200, "*": 404}),
}


def expected(table_row: dict, role: str) -> int:
    return table_row.get(role, table_row.get("*"))


def _all_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                names.add("admin:index")
                continue
            if ns == "api":
                continue  # API operations are enumerated from the OpenAPI document below
            names |= _all_url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def _api_operations() -> set[str]:
    from pont.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_url_has_a_row():
    missing = _all_url_names() - set(UI)
    assert not missing, f"URL patterns without a permission-matrix row: {sorted(missing)}"


def test_every_api_operation_has_a_row():
    missing = _api_operations() - set(API)
    assert not missing, f"API operations without a permission-matrix row: {sorted(missing)}"


def _objects(person, users, orgs) -> dict:
    """Every record a row names, by fixture name."""
    from pont.people.services import consent_record

    consent = consent_record(person=person, by=users["adviser"], purpose="employment_followup", given_by="person")
    from pont.care.services import care_request_create
    from tests.care.world import working_slot
    from tests.factories import municipality

    place = municipality("Kortrijk")
    person.municipality, person.region = place, place.region
    person.save(update_fields=["municipality", "region"])
    consent_record(person=person, by=users["adviser"], purpose="care", given_by="person")
    registered = care_request_create(person=person, by=users["adviser"], concerns=["sleep"], description="")
    from tests.care.world import build_world
    from tests.dispatch.world import dispatch_objects
    from tests.employment.matrix import employment_objects
    from tests.factories import LegalStatusFactory
    from tests.matching.world import matching_objects
    from tests.network.world import network_objects
    from tests.reporting.world import reporting_objects

    return {"person": person.pk, "consent": consent.pk, "registered_signal": registered.pk,
            "municipality": place.pk, "free_slot": working_slot(days=9, hour=14).isoformat(),
            "legal_status": LegalStatusFactory(person=person).pk,
            **build_world(orgs, users),
            **employment_objects(person, users, orgs), **dispatch_objects(orgs, users),
            **matching_objects(person, users, orgs), **network_objects(person, users, orgs),
            **reporting_objects(orgs, users)}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The personas and the records of every row, built once for the module inside a transaction rolled back
    at its end: each row's test runs in a savepoint of it, each role in a savepoint of that (`_each_role`)."""
    from django.test.utils import override_settings
    from django.utils import translation

    from pont.core.models import Municipality, Region
    from pont.core.places import load_places
    from tests.conftest import make_orgs, make_person, make_users

    with django_db_blocker.unblock(), translation.override("en"), \
            override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if not Municipality.objects.exists():  # a transactional test before this module flushed them
                load_places(Region, Municipality)
            orgs = make_orgs()
            users = make_users(orgs)
            yield users, _objects(make_person(orgs), users, orgs)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _each_role(check) -> list[str]:
    """Run `check(role)` for every role, each inside a savepoint rolled back afterwards, so that one
    role's successful write never changes what the next role meets; return the mismatches.

    One world per module (`world`), not per row or per role × row, keeps the matrix fast on both databases.
    """
    mismatches = []
    for role in ROLES:
        with transaction.atomic():
            problem = check(role)
            transaction.set_rollback(True)
        if problem:
            mismatches.append(problem)
    return mismatches


def _client_for(role, users) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
        if role in CARE_2FA:
            from tests.care.world import pass_second_factor

            pass_second_factor(client, users[role])
    return client


def _body(body, objects):
    return body(objects) if callable(body) else body


@pytest.mark.parametrize("name", sorted(UI))
def test_ui(name, world, db):
    users, objects = world
    method, kwargs, row, *data = UI[name]
    url = reverse(name, kwargs={k: objects[v] for k, v in kwargs.items()})
    form = _body(data[0], objects) if data else None

    extra = {"content_type": "application/json"} if isinstance(form, str) else {}  # a JSON body (the browser's)

    def check(role):
        status = getattr(_client_for(role, users), method)(url, form, **extra).status_code
        if status != expected(row, role):
            return f"{role} {method.upper()} {url}: {status}, expected {expected(row, role)}"
        return None

    mismatches = _each_role(check)
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("operation", sorted(API))
def test_api(operation, world, db):
    users, objects = world
    kwargs, body, row = API[operation]
    body = _body(body, objects)
    method, path = operation.split(" ", 1)
    for key, fixture in kwargs.items():
        path = f"{path}?{fixture}" if key == "?" else path.replace("{" + key + "}", str(objects[fixture]))

    def check(role):
        headers = {}
        if role != "anonymous":
            _, raw = token_issue(user=users[role])
            headers["Authorization"] = f"Bearer {raw}"
        response = Client().generic(method, path, data=None if body is None else json.dumps(body),
                                    content_type="application/json", headers=headers)
        if response.status_code != expected(row, role):
            return f"{role} {operation}: {response.status_code}, expected {expected(row, role)}: " \
                   f"{response.content[:200]!r}"
        return None

    mismatches = _each_role(check)
    assert not mismatches, "\n".join(mismatches)
