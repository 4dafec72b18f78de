"""Indicators against hand-counted fixtures, small-cell suppression, the registry's docs and the API."""

import datetime as dt

import pytest
from django.utils import timezone

from pont.care import services as care_services
from pont.care.models import Signal
from pont.core.auth import token_issue
from pont.reporting import docs, selectors
from pont.reporting.registry import Period
from pont.reporting.suppression import suppress, suppress_total
from tests.care.world import totp_device
from tests.factories import PersonFactory, municipality, region

pytestmark = pytest.mark.django_db


def test_suppression_hides_small_cells_and_what_would_give_them_away():
    cells = {c.key: c.hidden for c in suppress([("BE25", 8), ("FRE11", 6), ("BE32", 2), ("BE23", 0)])}
    # BE32 (2) is small; alone it could be worked out from the total, so the smallest other (FRE11) goes too;
    # a zero discloses nobody and stays.
    assert cells == {"BE25": False, "FRE11": True, "BE32": True, "BE23": False}
    # two small cells whose sum is below 5 would each be pinned down: one more is hidden
    cells = {c.key: c.hidden for c in suppress([("a", 1), ("b", 1), ("c", 9), ("d", 12)])}
    assert cells == {"a": True, "b": True, "c": True, "d": False}
    assert {c.hidden for c in suppress([("a", 5), ("b", 7)])} == {False}
    assert suppress_total(3) is None and suppress_total(0) == 0 and suppress_total(12) == 12


@pytest.fixture
def people(orgs):
    """8 people in West Flanders (5 women), 6 in Nord, 2 in Hainaut — all followed by VDAB; one 16-year-old."""
    today = timezone.localdate()
    made = []
    for code, n, women in (("BE25", 8, 5), ("FRE11", 6, 0), ("BE32", 2, 0)):
        for k in range(n):
            made.append(PersonFactory(region=region(code), sex="F" if k < women else "M", organisation=orgs["vdab"]))
    minor = made[0]
    minor.date_of_birth = today - dt.timedelta(days=16 * 365)
    minor.save()
    PersonFactory(region=region("BE25"), organisation=orgs["forem"])  # another organisation's: not counted
    return made


def _period():
    today = timezone.localdate()
    return Period(today.replace(month=1, day=1), today)


def test_people_supported_by_region_sex_and_age_band(orgs, users, people):
    t = selectors.table(user=users["coordinator"], code="people_supported", period=_period(), by="region")
    assert t.total.value == 16
    rows = {c.key: (c.value, c.hidden) for c in t.rows}
    assert rows == {"BE25": (8, False), "FRE11": (None, True), "BE32": (None, True)}
    by_sex = {c.key: c.value for c in selectors.table(user=users["coordinator"], code="people_supported",
                                                       period=_period(), by="sex").rows}
    assert by_sex == {"F": 5, "M": 11}
    by_age = {c.key: (c.value, c.hidden) for c in selectors.table(
        user=users["coordinator"], code="people_supported", period=_period(), by="age_band").rows}
    assert by_age == {"under_18": (None, True), "18_29": (None, True)}  # 1 and 15: both hidden (the total gives 1)


def test_care_signals_shares_and_median(orgs, users):
    now = timezone.now()
    made = []
    for k, (category, wait) in enumerate([("B", 60), ("B", 120), ("B", 500), ("C", 30), ("C", 90), ("C", 150),
                                          ("C", 200), ("C", 2000), ("D", None), ("D", None)]):
        s = care_services.signal_create(
            data=care_services.SignalInput(relation="self", target_group="refugee",
                                           municipality=municipality("Kortrijk"), languages=["fra"],
                                           concerns=["sleep"]),
            channel="phone", organisation=orgs["care_be"], by=users["dispatcher"], category=category,
            received_at=now - dt.timedelta(days=2, minutes=k))
        if wait is not None:
            Signal.objects.filter(pk=s.pk).update(first_contact_at=s.received_at + dt.timedelta(minutes=wait))
        made.append(s)
    period = _period() if now.month > 1 or now.day > 3 else Period(now.date() - dt.timedelta(days=7), now.date())
    user = users["dispatcher"]
    counts = {c.key: (c.value, c.hidden) for c in selectors.table(user=user, code="signals", period=period,
                                                                  by="category").rows}
    assert counts == {"B": (None, True), "C": (5, False), "D": (None, True)}
    # B (3) and D (2) are hidden; together they make 5, so C can stay
    # D's 72 h have not passed: only B and C are due (3 and 5), so both cells go; the whole is 6 of 8
    shares = selectors.table(user=user, code="first_contact_within_target", period=period, by="category")
    assert {c.key: c.hidden for c in shares.rows} == {"B": True, "C": True} and shares.total.value == 0.75
    median = selectors.table(user=user, code="median_first_contact", period=period, by="category")
    assert median.total.value == 135.0  # 8 contacted: (120 + 150) / 2
    # 90th percentile, linear between ranks as percentile_cont: 30 60 90 120 150 200 500 2000 → 500 + 0.3 × 1500
    assert selectors.table(user=user, code="p90_first_contact", period=period).total.value == 950.0
    assert {c.key: c.hidden for c in median.rows} == {"B": True, "C": True, "D": False}  # D: nobody contacted


def test_the_registry_documents_itself_and_docs_are_current():
    assert docs.PATH.read_text(encoding="utf-8") == docs.render(), "run `manage.py indicators_doc`"


def test_the_api_lists_and_computes_for_those_who_may_read(client, orgs, users, people):
    for name in ("coordinator", "dispatcher", "adviser"):
        totp_device(users[name])
    headers = {"Authorization": f"Bearer {token_issue(user=users['coordinator'])[1]}"}
    codes = {i["code"] for i in client.get("/api/v1/indicators", headers=headers).json()}
    assert {"people_supported", "stable_jobs"} <= codes and "signals" not in codes
    answer = client.get("/api/v1/indicators/people_supported", {"by": "region"}, headers=headers).json()
    assert answer["total"]["value"] == 16 and {r["key"]: r["hidden"] for r in answer["rows"]}["BE32"] is True
    assert client.get("/api/v1/indicators/people_supported", {"by": "category"}, headers=headers).status_code == 404
    assert client.get("/api/v1/indicators/people_supported", {"from": "2026-12-01", "to": "2026-01-01"},
                      headers=headers).status_code == 422
    adviser = {"Authorization": f"Bearer {token_issue(user=users['adviser'])[1]}"}
    assert client.get("/api/v1/indicators/people_supported", headers=adviser).status_code == 404
    assert client.get("/api/v1/indicators", headers=adviser).status_code == 404


def test_the_exports_hold_the_suppressed_table_and_the_definitions(orgs, users, people):
    import io

    from django.test import Client
    from openpyxl import load_workbook

    from tests.care.world import pass_second_factor

    client = Client()
    client.force_login(users["coordinator"])
    pass_second_factor(client, users["coordinator"])
    page = client.get("/reporting/").content.decode()
    assert "People supported" in page and "people_supported.xlsx" in page
    csv_text = client.get("/reporting/people_supported.csv", {"by": "region"}).content.decode("utf-8-sig")
    assert "< 5" in csv_text and ",16," in csv_text  # the total, and the hidden cells
    answer = client.get("/reporting/people_supported.xlsx", {"by": "sex"})
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Table", "Definitions"]
    values = [row[:3] for row in book["Table"].iter_rows(values_only=True)]
    assert ("Female", 5, 5) in values and ("Total", 16, 16) in values
    assert any(r[0] == "Definition" for r in book["Definitions"].iter_rows(values_only=True))
    assert client.get("/reporting/people_supported.pdf").status_code == 404
