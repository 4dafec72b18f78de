"""The pseudonymised evaluation extract: what it holds and never holds, stable pseudonyms under a key, the
municipality roll-up, care counts only for care readers, the background task, progress, the audited download,
in the pages and the API."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.core.auth import token_issue
from pont.core.roles import Role
from pont.reporting import extract as engine
from pont.reporting.models import Extract
from tests.care.world import pass_second_factor, totp_device
from tests.factories import MembershipFactory, PersonFactory, UserFactory, municipality, region

pytestmark = pytest.mark.django_db(transaction=True)
KEY = "a long export key, kept by Sophie"


@pytest.fixture
def people(orgs):
    kortrijk, menen = municipality("Kortrijk"), municipality("Menen")
    made = [PersonFactory(region=region("BE25"), municipality=kortrijk, organisation=orgs["vdab"], nationality="SY")
            for _ in range(5)]
    made += [PersonFactory(region=region("BE25"), municipality=menen, organisation=orgs["vdab"], nationality="FR")
             for _ in range(2)]
    return made


def _work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # as `make run`'s worker does


def _csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_page_prepares_the_extract_in_the_background_and_the_download_is_audited(orgs, users, people):
    user = users["coordinator"]
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    today = timezone.localdate()
    form = {"since": today.replace(month=1, day=1).isoformat(), "until": today.isoformat(), "key": KEY}
    assert client.post("/reporting/extracts/", form | {"key": "short"}).status_code == 422  # the key's length
    assert not Extract.objects.exists()
    assert client.post("/reporting/extracts/", form).status_code == 302
    extract = Extract.objects.get()
    assert extract.status == "running" and extract.key == KEY
    row = client.get(f"/reporting/extracts/{extract.pk}/").content.decode()
    assert "hx-trigger" in row and "<progress" in row  # the page follows the task
    _work()
    extract.refresh_from_db()
    assert extract.status == "done" and extract.progress == 100 and extract.rows == 7
    assert extract.key is None and extract.key_fingerprint == engine.fingerprint(KEY)  # the key is gone
    answer = client.get(f"/reporting/extracts/{extract.pk}/download")
    rows = _csv(b"".join(answer.streaming_content))
    assert len(rows) == 7 and set(rows[0]) == set(engine.COLUMNS)  # no care columns: VDAB reads no care data
    assert {r["pseudonym"] for r in rows} == {engine.pseudonym(KEY, p.pk) for p in people}
    text = str(rows)
    for p in people:
        assert p.given_name not in text and p.family_name not in text and str(p.date_of_birth) not in text
    # Kortrijk holds 5 of them and is named; Menen's 2 are rolled up to the region
    assert sorted(r["municipality"] for r in rows) == ["", ""] + ["Kortrijk"] * 5
    assert {r["region"] for r in rows} == {"BE25"}
    assert sorted(r["third_country_national"] for r in rows) == ["0", "0", "1", "1", "1", "1", "1"]
    assert AuditEvent.objects.filter(verb="reporting.extract.downloaded", object_id=str(extract.pk)).exists()
    other = UserFactory(username="other-coordinator")
    MembershipFactory(user=other, organisation=orgs["forem"], role=Role.COORDINATOR)
    outsider = Client()
    outsider.force_login(other)
    pass_second_factor(outsider, other)
    assert outsider.get(f"/reporting/extracts/{extract.pk}/download").status_code == 404  # not theirs


def test_the_same_key_gives_the_same_pseudonyms_and_another_key_others():
    assert engine.pseudonym(KEY, 42) == engine.pseudonym(KEY, 42)
    assert engine.pseudonym(KEY, 42) != engine.pseudonym(KEY + "!", 42) != engine.pseudonym(KEY, 43)


def test_the_portfolio_extract_holds_care_counts_only(orgs, users, people):
    from pont.care import services as care

    portfolio = UserFactory(username="sophie")
    MembershipFactory(user=portfolio, organisation=orgs["portfolio"], role=Role.COORDINATOR)
    totp_device(portfolio)
    totp_device(users["dispatcher"])
    signal = care.signal_create(
        data=care.SignalInput(relation="self", target_group="refugee", municipality=municipality("Kortrijk"),
                              languages=["ara"], concerns=["sleep"], description="Cannot sleep since the crossing."),
        channel="phone", organisation=orgs["care_be"], by=users["dispatcher"], category="C")
    signal.person = people[0]
    signal.save(update_fields=["person"])
    headers = {"Authorization": f"Bearer {token_issue(user=portfolio)[1]}"}
    client = Client()
    today = timezone.localdate()
    answer = client.post("/api/v1/extracts", {"from": today.replace(month=1, day=1).isoformat(),
                                              "to": today.isoformat(), "key": KEY},
                         content_type="application/json", headers=headers)
    assert answer.status_code == 202 and answer.json()["status"] == "running"
    _work()
    done = client.get(f"/api/v1/extracts/{answer.json()['id']}", headers=headers).json()
    assert done["status"] == "done" and done["rows"] == 7 and done["download"]
    data = b"".join(client.get(done["download"], headers=headers).streaming_content)
    rows = {r["pseudonym"]: r for r in _csv(data)}
    assert rows[engine.pseudonym(KEY, people[0].pk)]["signals"] == "1"
    assert "Cannot sleep" not in data.decode()
    adviser = {"Authorization": f"Bearer {token_issue(user=users['adviser'])[1]}"}
    assert client.get(done["download"], headers=adviser).status_code == 404
