"""Care services and selectors: triage and the clock, visit rules, screenings, notes, encryption, audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.care import clock, selectors, services
from pont.care.models import Alert, Note, ResponseTarget, Signal, TeamMember, Visit
from tests.care.world import build_team, working_slot
from tests.factories import municipality


def new_signal(orgs, users, **changes) -> Signal:
    data = {"relation": "supporting", "target_group": "refugee", "municipality": municipality("Kortrijk"),
            "languages": ["prs"], "first_name": "Zahra", **changes}
    return services.signal_create(data=services.SignalInput(**data), channel="phone", organisation=orgs["care_be"],
                                  by=users["dispatcher"])


@pytest.fixture
def team(orgs, users):
    return build_team(orgs, users)


@pytest.fixture
def members(team):
    return {m.role: m for m in team.members.all()}


def at(hours: float) -> dt.datetime:
    """Return `hours` after 10:00 on the next working day (a visit must fall in the members' working hours)."""
    return working_slot() + dt.timedelta(hours=hours)


# --- Arrival, triage and the clock ------------------------------------------------------------------------


def test_danger_now_arrives_as_category_a_with_an_immediate_target(orgs, users):
    signal = new_signal(orgs, users, danger_now=True)
    assert signal.category == "A" and signal.provisional
    assert signal.target_at == signal.received_at


def test_a_professionals_consultation_arrives_as_e(orgs, users):
    signal = new_signal(orgs, users, relation="advice", target_group="professional")
    assert signal.category == "E"
    assert signal.target_at - signal.received_at == dt.timedelta(days=14)


def test_triage_sets_the_target_from_arrival_with_the_organisations_own_setting(orgs, users):
    signal = new_signal(orgs, users)
    ResponseTarget.objects.create(organisation=orgs["care_be"], category="B", minutes=180)
    signal = services.signal_triage(signal=signal, category="B", reasons="Suicidal talk.", by=users["dispatcher"])
    assert signal.target_at - signal.received_at == dt.timedelta(minutes=180)
    assert not signal.provisional and signal.triage_history.count() == 2


def test_triage_needs_reasons_and_a_dispatcher_of_the_organisation(orgs, users):
    signal = new_signal(orgs, users)
    with pytest.raises(ValidationError) as error:
        services.signal_triage(signal=signal, category="C", reasons=" ", by=users["dispatcher"])
    assert "reasons" in error.value.message_dict
    with pytest.raises(Http404):  # a refusal for lack of rights is a 404, never a field error
        services.signal_triage(signal=signal, category="C", reasons="x", by=users["therapist"])


def test_the_queue_is_sorted_by_time_left_and_flags_signals_near_their_target(orgs, users):
    e = new_signal(orgs, users, relation="advice", target_group="professional")
    b = new_signal(orgs, users)
    services.signal_triage(signal=b, category="B", reasons="High risk.", by=users["dispatcher"])
    old = new_signal(orgs, users)
    Signal.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(hours=20),
                                            target_at=timezone.now() + dt.timedelta(hours=4))
    rows = selectors.signal_queue(user=users["dispatcher"])
    assert [r.signal.pk for r in rows] == [b.pk, old.pk, e.pk]
    assert [r.state for r in rows] == ["on_time", "due_soon", "on_time"]
    assert selectors.signal_queue(user=users["therapist"]) == []


def test_clock_task_raises_alerts_once_and_is_enqueued_on_arrival(orgs, users):
    from django_tasks_db.models import DBTaskResult

    signal = new_signal(orgs, users)
    runs = DBTaskResult.objects.filter(task_path="pont.care.tasks.check_signal_clock")
    assert runs.count() == 2  # when little time is left, and at the target
    assert {json.dumps(r.args_kwargs["args"]) for r in runs} == {json.dumps([signal.pk])}
    assert max(r.run_after for r in runs) == signal.target_at
    assert clock.raise_alerts(signal_id=signal.pk) == []  # plenty of time left
    span = signal.target_at - signal.received_at
    soon = clock.raise_alerts(signal_id=signal.pk, now=signal.target_at - span / 5)
    assert [a.kind for a in soon] == ["due_soon"]
    late = clock.raise_alerts(signal_id=signal.pk, now=signal.target_at + dt.timedelta(seconds=1))
    assert [a.kind for a in late] == ["overdue"]
    assert clock.raise_alerts(signal_id=signal.pk, now=signal.target_at + dt.timedelta(hours=1)) == []
    assert [a.signal_id for a in selectors.alerts_for(user=users["dispatcher"])] == [signal.pk, signal.pk]


def test_the_task_function_itself_raises_the_alert(orgs, users):
    from pont.care.tasks import check_signal_clock

    signal = new_signal(orgs, users, danger_now=True)  # category A: the target is now
    assert check_signal_clock.call(signal.pk) == 2
    kinds = set(Alert.objects.filter(signal=signal).values_list("kind", flat=True))
    assert kinds == {"urgent", "due_soon", "overdue"}  # urgent: raised on arrival


def test_first_contact_stops_the_clock(orgs, users):
    signal = new_signal(orgs, users, danger_now=True)
    services.handover_record(signal=signal, note="SAMU 15, 10:02", by=users["dispatcher"])
    signal.refresh_from_db()
    assert signal.first_contact_at is not None
    assert clock.raise_alerts(signal_id=signal.pk) == []


# --- Visits -----------------------------------------------------------------------------------------------


def test_visit_needs_someone_who_speaks_the_persons_language(orgs, users, members):
    signal = new_signal(orgs, users, languages=["ukr"])
    with pytest.raises(ValidationError) as error:
        services.visit_create(signal=signal, members=[members["therapist"]], starts_at=at(2), place="Centre",
                              by=users["dispatcher"])
    assert "members" in error.value.message_dict
    visit = services.visit_create(signal=signal, members=[members["therapist"], members["interpreter"]],
                                  starts_at=at(2), place="Centre", by=users["dispatcher"])
    assert visit.language == "ukr"
    signal.refresh_from_db()
    assert signal.team_id == members["therapist"].team_id


def test_ambassador_never_alone_on_a_to_c(orgs, users, members):
    signal = new_signal(orgs, users, languages=["prs"])  # arrives as C
    with pytest.raises(ValidationError) as error:
        services.visit_create(signal=signal, members=[members["ambassador"]], starts_at=at(2), place="Home",
                              by=users["dispatcher"])
    assert "ambassador" in " ".join(error.value.message_dict["members"])
    with pytest.raises(ValidationError):  # an interpreter is no professional either
        services.visit_create(signal=signal, members=[members["ambassador"], members["interpreter"]],
                              starts_at=at(2), place="Home", by=users["dispatcher"])
    services.visit_create(signal=signal, members=[members["ambassador"], members["social_worker"]], starts_at=at(2),
                          place="Home", by=users["dispatcher"])
    signal = services.signal_triage(signal=signal, category="D", reasons="Moderate.", by=users["dispatcher"])
    services.visit_create(signal=signal, members=[members["ambassador"]], starts_at=at(5), place="Home",
                          by=users["dispatcher"])


def test_no_member_in_two_places_at_once(orgs, users, members):
    first = new_signal(orgs, users, languages=["nld"])
    second = new_signal(orgs, users, languages=["nld"])
    services.visit_create(signal=first, members=[members["social_worker"]], starts_at=at(2), ends_at=at(3),
                          place="A", by=users["dispatcher"])
    with pytest.raises(ValidationError) as error:
        services.visit_create(signal=second, members=[members["social_worker"], members["therapist"]],
                              starts_at=at(2.5), place="B", by=users["dispatcher"])
    assert users["social_worker"].first_name in error.value.message_dict["members"][0]
    services.visit_create(signal=second, members=[members["social_worker"]], starts_at=at(3), place="B",
                          by=users["dispatcher"])  # back to back is fine
    assert Visit.objects.count() == 2


def test_cancelled_visit_frees_the_member_and_working_hours_are_always_checked(orgs, users, members):
    signal = new_signal(orgs, users, languages=["nld"])
    visit = services.visit_create(signal=signal, members=[members["social_worker"]], starts_at=at(2), place="A",
                                  by=users["dispatcher"])
    services.visit_cancel(visit=visit, by=users["dispatcher"])
    services.visit_create(signal=signal, members=[members["social_worker"]], starts_at=at(2), place="A",
                          by=users["dispatcher"])
    sunday_night = timezone.make_aware(dt.datetime(2030, 1, 6, 22, 0))
    with pytest.raises(ValidationError) as error:
        services.visit_create(signal=signal, members=[members["therapist"]], starts_at=sunday_night, place="A",
                              by=users["dispatcher"])
    assert "starts_at" in error.value.message_dict


def test_reporting_an_attended_visit_is_the_first_contact(orgs, users, members):
    signal = new_signal(orgs, users, languages=["nld"])
    visit = services.visit_create(signal=signal, members=[members["social_worker"]],
                                  starts_at=working_slot(days=-1), place="A", by=users["dispatcher"])
    with pytest.raises(Http404):
        services.visit_report(visit=visit, by=users["interpreter"], attended=True, language_spoken=True,
                              next_step="none")
    services.visit_report(visit=visit, by=users["social_worker"], attended=True, language_spoken=True,
                          next_step="peer_support")
    signal.refresh_from_db()
    assert signal.first_contact_at == visit.starts_at


# --- Screening, notes, closure ----------------------------------------------------------------------------


def test_phq9_item9_raises_the_signal_to_b_and_asks_for_a_clinician(world, users):
    signal = Signal.objects.get(pk=world["signal"])
    signal = services.signal_triage(signal=signal, category="D", reasons="Moderate.", by=users["dispatcher"])
    screening = services.screening_record(signal=signal, instrument_code="phq-9",
                                          answers={**{n: 1 for n in range(1, 9)}, 9: 1}, language="fr",
                                          by=users["therapist"])
    signal.refresh_from_db()
    assert (signal.category, signal.needs_clinician) == ("B", True)
    assert signal.target_at == signal.received_at + dt.timedelta(hours=4)
    assert screening.validated_translation is False and screening.band == "mild"
    assert signal.triage_history.first().source == "screening"
    # It never lowers a category.
    signal = services.signal_triage(signal=signal, category="A", reasons="Plan and means.", by=users["dispatcher"])
    services.screening_record(signal=signal, instrument_code="phq-9", answers={n: 3 for n in range(1, 10)},
                              language="en", by=users["therapist"])
    signal.refresh_from_db()
    assert signal.category == "A"


def test_incomplete_screening_is_refused_naming_the_items(world, users):
    signal = Signal.objects.get(pk=world["signal"])
    with pytest.raises(ValidationError) as error:
        services.screening_record(signal=signal, instrument_code="gad-7", answers={1: 0, 2: 9}, language="en",
                                  by=users["therapist"])
    messages = error.value.message_dict["answers"]
    assert messages[0] == "Item 2: answer out of range (allowed: 0, 1, 2, 3)."
    assert messages[1:] == [f"Item {n}: no answer." for n in range(3, 8)]


def test_only_the_assigned_team_screens(world, users):
    signal = Signal.objects.get(pk=world["signal"])
    for role in ("dispatcher", "interpreter", "ambassador"):
        with pytest.raises(Http404):
            services.screening_record(signal=signal, instrument_code="phq-4", answers={1: 0, 2: 0, 3: 0, 4: 0},
                                      language="en", by=users[role])


def test_notes_social_for_the_team_clinical_for_therapists_only(world, users):
    signal = Signal.objects.get(pk=world["signal"])
    seen = {}
    for role in ("social_worker", "therapist", "dispatcher"):
        access = selectors.case_access(users[role], signal)
        seen[role] = sorted(n.kind for n in selectors.notes_for(user=users[role], signal=signal, access=access))
    assert seen == {"social_worker": ["social"], "therapist": ["clinical", "social"], "dispatcher": []}
    with pytest.raises(Http404):  # a refusal for lack of rights is a 404, never a field error
        services.note_add(signal=signal, kind="clinical", body="x", by=users["social_worker"])
    with pytest.raises(ValidationError) as error:  # the model's own choices and limits
        services.note_add(signal=signal, kind="diary", body="x" * 20_001, by=users["therapist"])
    assert set(error.value.message_dict) == {"kind", "body"}
    assert AuditEvent.objects.filter(verb="care.note.viewed", actor=users["therapist"]).exists()


def test_interpreter_sees_only_the_logistics_of_their_visit(world, users):
    _visit, access = selectors.visit_view(user=users["interpreter"], pk=world["visit"])
    assert not access.any
    with pytest.raises(Http404):
        selectors.signal_view(user=users["interpreter"], pk=world["signal"])
    with pytest.raises(Http404):
        selectors.visit_view(user=users["ambassador"], pk=world["visit"])
    assert AuditEvent.objects.filter(verb="care.visit.viewed", actor=users["interpreter"]).count() == 1


def test_employment_roles_reach_nothing(world, users):
    for role in ("adviser", "employer", "coordinator"):
        assert not selectors.signals_visible_to(users[role]).exists()
        assert not selectors.visits_visible_to(users[role]).exists()


def test_closing_keeps_the_change_in_scores(world, users):
    signal = Signal.objects.get(pk=world["signal"])
    services.screening_record(signal=signal, instrument_code="phq-4", answers={1: 1, 2: 0, 3: 0, 4: 1},
                              language="en", by=users["therapist"])
    services.signal_close(signal=signal, outcome="improved", note="Sleeping again.", by=users["therapist"])
    signal.refresh_from_db()
    assert signal.outcome_scores["phq-4"] | {} == {"first": 7, "last": 2, "change": -5, "count": 2,
                                                   "first_band": "moderate", "last_band": "none"}
    assert Visit.objects.get(pk=world["visit"]).status == "cancelled"  # it was still planned
    with pytest.raises(ValidationError):
        services.signal_close(signal=signal, outcome="stable", by=users["therapist"])


# --- Encryption at rest -----------------------------------------------------------------------------------


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 — fixed names
        return cursor.fetchone()[0]


def test_notes_answers_and_descriptions_are_encrypted_at_rest(world):
    assert "hopelessness" not in _raw("care_note", "body", world["clinical_note"])
    assert Note.objects.get(pk=world["clinical_note"]).body == "Sleep disturbance, hopelessness."
    assert '"1"' not in _raw("care_screening", "answers_json", world["screening"])
    assert "slept" not in _raw("care_signal", "description", world["signal"])
    assert "Oksana" not in _raw("care_signal", "first_name", world["signal"])


def test_rotate_keys_re_encrypts_with_the_newest_key(world, settings):
    from pont.care.models import Signal as SignalModel

    before = _raw("care_note", "body", world["clinical_note"])
    fields = [f for model in (Note, SignalModel) for f in model._meta.concrete_fields if hasattr(f, "keys")]

    def reset_keys():
        for f in fields:
            f.__dict__.pop("keys", None)
            f.__dict__.pop("f", None)

    old = list(settings.SALT_KEY)
    settings.SALT_KEY = ["a-brand-new-key", *old]
    reset_keys()
    try:
        call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
        after = _raw("care_note", "body", world["clinical_note"])
        assert after != before
        settings.SALT_KEY = ["a-brand-new-key"]  # the old key is gone: data still reads
        reset_keys()
        assert Note.objects.get(pk=world["clinical_note"]).body == "Sleep disturbance, hopelessness."
        assert SignalModel.objects.get(pk=world["signal"]).first_name == "Oksana"
    finally:
        settings.SALT_KEY = old
        reset_keys()


# --- Instruments and indicators ---------------------------------------------------------------------------


def test_load_instrument_adds_rhs15_for_one_organisation(orgs, tmp_path):
    from pont.care import instruments

    definition = {"code": "rhs-15", "name": "RHS-15 (licensed)", "options": [{"value": v} for v in range(5)],
                  "items": [{"text": f"item {n}"} for n in range(1, 15)]
                  + [{"text": "thermometer", "in_total": False, "options": [{"value": v} for v in range(11)]}],
                  "scoring": {"positive": [{"total_at_least": 12}, {"item_at_least": {"item": 15, "value": 5}}]}}
    path = tmp_path / "rhs15.json"
    path.write_text(json.dumps(definition))
    call_command("load_instrument", str(path), organisation=orgs["care_be"].name, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "rhs-15" in instruments.available([orgs["care_be"].pk])
    assert "rhs-15" not in instruments.available([orgs["vdab"].pk])
    path.write_text(json.dumps({"code": "bad", "name": "Bad", "items": []}))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_instrument", str(path))


def test_indicators_median_p90_and_language_share(world, users, orgs):
    signal = Signal.objects.get(pk=world["signal"])
    Signal.objects.filter(pk=signal.pk).update(first_contact_at=signal.received_at + dt.timedelta(minutes=90))
    visit = Visit.objects.get(pk=world["visit"])
    services.visit_report(visit=visit, by=users["therapist"], attended=True, language_spoken=False, next_step="gp")
    data = selectors.care_indicators(user=users["dispatcher"])
    b = next(row for row in data["by_category"] if row["category"] == "B")
    assert (b["signals"], b["median_minutes"], b["p90_minutes"], b["within_target_share"]) == (1, 90, 90, 1.0)
    assert data["total"]["language_share"] == 0.0
    assert [row["name"] for row in data["by_team"]] == ["Mobile team Kortrijk"]
    with pytest.raises(Http404):
        selectors.care_indicators(user=users["adviser"])
    assert selectors.care_indicators(user=users["coordinator"])["total"]["signals"] == 0  # VDAB: no care signals


def test_member_data_for_dispatch_is_easy_to_read(members):
    therapist = TeamMember.objects.select_related("team__base").get(pk=members["therapist"].pk)
    assert therapist.speaks(["eng"]) and not therapist.speaks(["ukr"])
    assert therapist.base_municipality.name == "Kortrijk"
    monday = timezone.make_aware(dt.datetime(2030, 1, 7, 10, 0))
    assert therapist.works_at(monday, monday + dt.timedelta(hours=1))
    assert not therapist.works_at(monday.replace(hour=16, minute=30), monday.replace(hour=18))
