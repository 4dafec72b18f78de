"""The employment-pathway, ESF+ and mobile-team indicators against hand-counted fixtures (with suppression),
the filters, the charts' SVG and the infographic."""

import datetime as dt

import pytest
from django.utils import timezone

from pont.care.models import Screening, Visit
from pont.core.roles import Role
from pont.employment.models import FollowUp
from pont.people.models import Person, PersonFile
from pont.reporting import charts, infographic, selectors
from pont.reporting.registry import Period
from tests.care.world import build_team, totp_device
from tests.employment.factories import EnrolmentFactory, PlacementFactory, ProgrammeFactory
from tests.factories import MembershipFactory, PersonFactory, UserFactory, municipality, region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate  # called where used: a suite that runs past midnight sees the new day
DAY = dt.timedelta(days=1)


def days_ago(n: int) -> dt.date:
    return TODAY() - n * DAY


def noon(day: dt.date) -> dt.datetime:
    """Registered at noon, local time, that day: its date is the same in every time zone of the region and
    on both sides of a change to summer time (now − n days, late in the evening, is not)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _table(user, code, by="", **filters):
    year = Period(TODAY().replace(month=1, day=1), TODAY())
    return selectors.table(user=user, code=code, period=year, by=by, filters=selectors.Filters(**filters))


def _rows(t):
    return {c.key: (c.value, c.hidden) for c in t.rows}


@pytest.fixture
def vdab_people(orgs):
    return [PersonFactory(region=region("BE25"), organisation=orgs["vdab"]) for _ in range(12)]


@pytest.fixture(autouse=True)
def _early_in_the_year_guard():
    if TODAY().timetuple().tm_yday < 200:
        pytest.skip("the fixtures date things up to 200 days back inside the current year")


def test_enrolments_completions_and_the_share_completing(orgs, users, vdab_people):
    p1, p2 = ProgrammeFactory(organisation=orgs["vdab"]), ProgrammeFactory(organisation=orgs["vdab"])
    for k, person in enumerate(vdab_people[:6]):  # P1: 6 enrolled; 4 completed, 1 dropped out, 1 active
        status = "completed" if k < 4 else "dropped_out" if k == 4 else "active"
        EnrolmentFactory(person=person, programme=p1, status=status, enrolled_on=days_ago(60),
                         completed_on=days_ago(10) if k < 4 else None, dropped_out_on=days_ago(20) if k == 4 else None)
    for k, person in enumerate(vdab_people[6:11]):  # P2: 5 enrolled; 1 completed
        EnrolmentFactory(person=person, programme=p2, status="completed" if k == 0 else "active",
                         enrolled_on=days_ago(50), completed_on=days_ago(5) if k == 0 else None)
    EnrolmentFactory(person=vdab_people[11], programme=p1, status="active", enrolled_on=days_ago(400))  # last year
    EnrolmentFactory(person=vdab_people[11], programme=p2, status="proposed")  # never enrolled
    user = users["coordinator"]
    enrolled = _table(user, "enrolments", "programme")
    assert enrolled.total.value == 11
    assert _rows(enrolled) == {str(p1.pk): (6, False), str(p2.pk): (5, False)}
    completed = _table(user, "completions", "programme")
    assert completed.total.value == 5 and _rows(completed) == {str(p1.pk): (None, True), str(p2.pk): (None, True)}
    share = _table(user, "completion_share", "programme")
    assert share.total.value == pytest.approx(5 / 6, abs=0.001)  # 6 ended: 5 completed, 1 dropped out
    # P2's one ended enrolment is hidden, and P1's 5 with it (else the total would give P2 away)
    assert {k: hidden for k, (_v, hidden) in _rows(share).items()} == {str(p1.pk): True, str(p2.pk): True}


def test_days_to_a_job_and_retention(orgs, users, vdab_people):
    registered = [100, 200, 50, 30, 70]
    started = [40, 20, 10, 10, 60]  # days to the first job: 60, 180, 40, 20, 10 → median 40
    for person, reg, start in zip(vdab_people, registered, started, strict=False):
        Person.objects.filter(pk=person.pk).update(created_at=noon(days_ago(reg)))
        placement = PlacementFactory(person=person, organisation=orgs["vdab"], start_date=days_ago(start))
        FollowUp.objects.create(placement=placement, month=6, due_on=days_ago(1), done_on=days_ago(1),
                                still_employed=start != 10)
    late = vdab_people[5]  # first job last year: not in the period, whatever came after
    Person.objects.filter(pk=late.pk).update(created_at=noon(days_ago(500)))
    PlacementFactory(person=late, organisation=orgs["vdab"], start_date=days_ago(400))
    PlacementFactory(person=late, organisation=orgs["vdab"], start_date=days_ago(5))
    user = users["coordinator"]
    assert _table(user, "days_to_first_job").total.value == 40
    # stable (open-ended, still employed at 6 months): the three with start != 10 → fewer than 5: hidden
    stable = _table(user, "days_to_stable_job")
    assert stable.total.hidden and stable.total.value is None
    jobs = _table(user, "stable_jobs")  # the same three people: fewer than 5, hidden
    assert jobs.total.hidden and jobs.total.n is None
    retention = _table(user, "job_retention")
    assert retention.total.value == pytest.approx(3 / 5) and retention.total.n == 5


def test_the_matching_funnel_employers_and_vacancies(orgs, users, person):
    from pont.matching.models import Proposal
    from tests.matching.world import make_vacancy

    vacancy = make_vacancy(orgs, users)
    statuses = ["proposed", "interview_requested", "interviewed", "not_retained", "hired", "hired",
                "interview_accepted"]
    for k, status in enumerate(statuses):
        someone = PersonFactory(region=region("BE25"), organisation=orgs["vdab"])
        Proposal.objects.create(vacancy=vacancy, person=someone, organisation=orgs["vdab"], status=status,
                                proposed_at=timezone.now() - (k + 1) * DAY, status_changed_at=timezone.now() - DAY)
    user = users["coordinator"]
    funnel = _table(user, "proposal_funnel", "stage")
    assert funnel.total.value == 7
    # 7 proposed; an interview for interviewed, not retained, two hired and one accepted (5); 2 hired (hidden:
    # < 5, and the smallest other goes with it)
    assert _rows(funnel) == {"proposed": (7, False), "interview": (None, True), "hired": (None, True)}
    assert _table(user, "employers_engaged").total.value == 1  # organisations, not people: not suppressed
    assert _table(user, "vacancies_filled").total.value == 1


def test_third_country_nationals_and_employment_six_months_after_leaving(orgs, users):
    for k in range(7):
        PersonFactory(region=region("BE25"), organisation=orgs["vdab"], nationality=["SY", "ER", "AF", "UA", "SY",
                                                                                       "FR", "NL"][k])
    user = users["coordinator"]
    assert _table(user, "third_country_nationals").total.value == 5  # SY, ER, AF, UA, SY; FR and NL are EU
    leavers = [PersonFactory(region=region("BE25"), organisation=orgs["vdab"]) for _ in range(6)]
    for k, someone in enumerate(leavers):
        PersonFile.objects.filter(person=someone).update(closed_at=timezone.now() - 190 * DAY)
        if k < 5:  # in a job 182 days after leaving: began before and not ended
            PlacementFactory(person=someone, organisation=orgs["vdab"], start_date=days_ago(195))
    PlacementFactory(person=leavers[5], organisation=orgs["vdab"], start_date=days_ago(195), ended_on=days_ago(30))
    assert _table(user, "employed_after_leaving").total.value == 5


def test_visits_in_language_by_whom_ambassador_hours_screening_change_and_minors(orgs, users):
    from pont.care import services as care

    for name in ("dispatcher", "coordinator"):
        totp_device(users[name])
    team = build_team(orgs, users)
    members = {m.role: m for m in team.members.all()}
    start = timezone.now() - 20 * DAY
    signals = []
    for k in range(14):
        s = care.signal_create(
            data=care.SignalInput(relation="self", target_group="unaccompanied_minor" if k < 6 else "refugee",
                                  municipality=municipality("Kortrijk"), languages=["ukr"], concerns=["sleep"]),
            channel="phone", organisation=orgs["care_be"], by=users["dispatcher"], category="C",
            received_at=start - dt.timedelta(hours=k))
        signals.append(s)
        who = [members["social_worker"]] + ([members["interpreter"]] if k < 5 else
                                             [members["ambassador"]] if k < 10 else [])
        visit = Visit.objects.create(signal=s, starts_at=start + dt.timedelta(hours=k),
                                     ends_at=start + dt.timedelta(hours=k, minutes=90), place="Home visit",
                                     municipality=municipality("Kortrijk"), language="ukr", status="done",
                                     language_spoken=k != 13)
        visit.members.set(who)
        for n, total in enumerate((12, 8) if k < 6 else (5,)):
            Screening.objects.create(signal=s, instrument="phq-4", language="en", total=total, answers_json="{}",
                                     recorded_at=start + dt.timedelta(days=n, hours=k))
    user = users["dispatcher"]
    spoken = _table(user, "visits_in_language", "spoken_by")
    assert spoken.total.value == round(13 / 14, 3)
    # of the 13: 5 with an interpreter, 5 with an ambassador, 3 by the staff alone (hidden, and the smallest
    # other with it, so that the total does not give the 3 away)
    assert _rows(spoken) == {"interpreter": (round(5 / 13, 3), False), "ambassador": (None, True),
                             "staff": (None, True)}
    assert _table(user, "ambassador_visits").total.value == 5
    hours = _table(user, "ambassador_hours")
    assert hours.total.value == 7.5 and hours.total.n == 5  # 5 visits × 1 h 30
    change = _table(user, "screening_change", "instrument")
    assert _rows(change) == {"phq-4": (-4.0, False)}  # 6 pairs: 12 → 8
    minors = _table(user, "minors_supported")
    assert minors.total.value == 6


def test_filters_narrow_and_an_organisation_outside_answers_404(orgs, users):
    from django.http import Http404

    for code, n in (("BE25", 6), ("FRE11", 7)):
        for _ in range(n):
            PersonFactory(region=region(code), organisation=orgs["vdab"])
    user = users["coordinator"]
    assert _table(user, "people_supported").total.value == 13
    assert _table(user, "people_supported", country="FR").total.value == 7
    assert _table(user, "people_supported", region="BE25").total.value == 6
    assert _table(user, "people_supported", organisation=orgs["vdab"].pk).total.value == 13
    with pytest.raises(Http404):
        _table(user, "people_supported", organisation=orgs["forem"].pk)


def test_a_chart_is_inline_svg_without_styles_with_unique_ids_and_a_title(orgs, users, vdab_people):
    t = _table(users["coordinator"], "people_supported", "sex")
    svg = charts.bars(t, "chart-people")
    assert svg.startswith("<svg") and "style=" not in svg and "<style" not in svg
    assert 'role="img"' in svg and '<title id="chart-people-title">People supported' in svg
    import re

    ids = re.findall(r' id="([^"]+)"', svg)
    assert ids and all(i.startswith("chart-people-") for i in ids) and len(ids) == len(set(ids))
    assert "url(#chart-people-" in svg or "#chart-people-" in svg


@pytest.mark.parametrize(("language", "word"), [("fr", "semestre"), ("nl", "semester"), ("en", "semester")])
def test_the_infographic_in_each_language_as_svg_pdf_and_png(orgs, users, vdab_people, language, word):
    portfolio = UserFactory(username=f"sophie-{language}")
    MembershipFactory(user=portfolio, organisation=orgs["portfolio"], role=Role.COORDINATOR)
    from pont.reporting.views import semester_of

    period = semester_of(TODAY())
    content = infographic.content(user=portfolio, period=period, filters=selectors.Filters(), language=language)
    assert word in content.period.lower() and content.headlines[0].value == "12"
    svg = infographic.render(content, "svg")
    assert "style=" not in svg and content.title.split(":")[0] in svg
    assert infographic.render(content, "pdf")[:5] == b"%PDF-"
    assert infographic.render(content, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_tables_are_kept_in_the_cache_for_the_configured_time(orgs, users, vdab_people, settings):
    settings.PONT = {**settings.PONT, "REPORTING_CACHE_SECONDS": 300}
    first = _table(users["coordinator"], "people_supported")
    PersonFactory(region=region("BE25"), organisation=orgs["vdab"])
    again = _table(users["coordinator"], "people_supported")
    assert (first.total.value, again.total.value) == (12, 12) and again.counted_at == first.counted_at
    assert _table(users["coordinator"], "people_supported", country="BE").total.value == 13  # another key
    settings.PONT = {**settings.PONT, "REPORTING_CACHE_SECONDS": 0}
    assert _table(users["coordinator"], "people_supported").total.value == 13


def test_people_by_labour_market_status_at_entry(orgs, users):
    for status, n in (("unemployed", 6), ("long_term_unemployed", 5), ("inactive", 2), ("", 1)):
        for _ in range(n):
            PersonFactory(region=region("BE25"), organisation=orgs["vdab"], labour_status=status)
    t = _table(users["coordinator"], "people_supported", "labour_status")
    # inactive (2) and not recorded (1) are hidden; their sum is below 5, so the smallest other goes too
    assert _rows(t) == {"": (None, True), "inactive": (None, True), "long_term_unemployed": (None, True),
                        "unemployed": (6, False)}
    assert {c.key: c.label for c in t.rows}["long_term_unemployed"] == "Long-term unemployed (12 months or more)"
