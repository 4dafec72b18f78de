"""Hand-made instances whose best plan is known, solved by the CP-SAT planner and the greedy baseline."""

import pytest

from pont.dispatch.solver import (
    AMBASSADOR,
    INTERPRETER,
    SOCIAL_WORKER,
    THERAPIST,
    Busy,
    GreatCircle,
    Instance,
    Member,
    Options,
    Reason,
    Signal,
    figures,
    greedy,
    solve,
    validate,
)

LILLE = (50.629, 3.057)
DOUAI = (50.371, 3.080)
KORTRIJK = (50.828, 3.265)
DAY = ((0, 9 * 60),)
FAST = Options(time_limit=5, deterministic_limit=2)


def signal(id, category="C", at=LILLE, langs=("fra",), needs=SOCIAL_WORKER, arrival=-10, target=24 * 60, **kw):
    return Signal(id=id, category=category, arrival=arrival, deadline=arrival + target, lat=at[0], lon=at[1],
                  languages=frozenset(langs), needs=needs, **kw)


def member(id, role=SOCIAL_WORKER, at=LILLE, langs=("fra",), windows=DAY, **kw):
    return Member(id=id, role=role, languages=frozenset(langs), lat=at[0], lon=at[1], windows=windows, **kw)


def test_it_sends_the_therapist_with_an_ambassador_who_speaks_the_language():
    inst = Instance((signal(1, "B", langs=("tir",), needs=THERAPIST, target=240),),
                    (member("t", THERAPIST), member("sw"), member("amb", AMBASSADOR, langs=("tir", "nld")),
                     member("int", INTERPRETER, at=KORTRIJK, langs=("ara",))), horizon=9 * 60)
    plan = solve(inst, FAST)
    assert validate(inst, plan) == []
    (visit,) = plan.visits
    assert set(visit.member_ids) == {"t", "amb"}
    assert visit.start == 0  # same place as the base: no travel


def test_it_serves_the_urgent_signal_first_where_greedy_goes_by_arrival():
    # One social worker in Lille; an old E signal in Douai arrived first, a B signal in Lille 2 h ago.
    e = signal("e", "E", at=DOUAI, arrival=-3 * 24 * 60, target=14 * 24 * 60, duration=120)
    b = signal("b", "B", arrival=-120, target=240, duration=60)
    inst = Instance((e, b), (member("sw"),), horizon=9 * 60)
    by_hand = greedy(inst)
    planned = solve(inst, FAST)
    assert validate(inst, by_hand) == [] and validate(inst, planned) == []
    assert by_hand.visit_for("b").start > 120  # the B target (minute 120) is missed by hand
    assert figures(inst, by_hand).missed == 1
    assert planned.visit_for("b").start == 0
    assert planned.visit_for("e").start >= 60  # after the B visit, then the drive to Douai
    assert figures(inst, planned).missed == 0


def test_it_explains_every_signal_it_cannot_serve():
    window_too_short = member("sw2", at=KORTRIJK, windows=((0, 30),))
    inst = Instance(
        (signal("no-therapist", needs=THERAPIST), signal("no-language", langs=("ful",)),
         signal("no-time", at=KORTRIJK, langs=("fra",), duration=240)),
        (member("sw", langs=("fra",), windows=((0, 200),)), window_too_short), horizon=9 * 60)
    plan = solve(inst, FAST)
    reasons = {u.signal_id: u.reason for u in plan.unserved}
    assert reasons == {"no-therapist": Reason.NO_PROFESSIONAL, "no-language": Reason.NO_LANGUAGE,
                       "no-time": Reason.NO_TIME}
    assert plan.visits == []


def test_capacity_goes_to_the_heavier_category():
    inst = Instance((signal("d", "D", duration=240, target=300), signal("c", "C", duration=240, target=300)),
                    (member("sw", windows=((0, 300),)),), horizon=300)
    plan = solve(inst, FAST)
    assert [v.signal_id for v in plan.visits] == ["c"]
    assert [(u.signal_id, u.reason) for u in plan.unserved] == [("d", Reason.CAPACITY)]


def test_it_plans_around_a_visit_already_planned_with_travel_to_it():
    busy = Busy(60, 120, *DOUAI)
    inst = Instance((signal(1, duration=60),), (member("sw", busy=(busy,)),), horizon=9 * 60)
    plan = solve(inst, FAST)
    assert validate(inst, plan) == []
    (visit,) = plan.visits
    assert visit.start >= 120 + 30  # back from Douai (~36 km by road) before the Lille visit


def test_it_chains_nearby_visits_instead_of_returning_to_base():
    a, b = signal("a", at=KORTRIJK), signal("b", at=(50.83, 3.27))
    inst = Instance((a, b), (member("sw"),), horizon=9 * 60)
    plan = solve(inst, FAST)
    assert len(plan.visits) == 2 and validate(inst, plan) == []
    one_way = GreatCircle().km(LILLE, KORTRIJK)
    # base → a → b → base (about two legs), not two round trips (four)
    assert figures(inst, plan).travel_km < 2.2 * one_way


@pytest.mark.parametrize("model", ["exact", "lns"])
def test_the_same_seed_gives_the_same_plan(model):
    from pont.dispatch.solver.generate import instance

    inst = instance(8, 5, seed=3, days=1)
    opts = Options(time_limit=20, deterministic_limit=0.5, force_model=model)
    first, second = solve(inst, opts), solve(inst, opts)
    assert first.visits == second.visits
    assert validate(inst, first) == []
