"""Property tests: every plan the engines return passes the validator, and the validator catches
each kind of broken plan."""

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pont.dispatch.solver import AMBASSADOR, Options, greedy, solve, validate
from pont.dispatch.solver.generate import instance

SMALL = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
instances = st.builds(instance, n_signals=st.integers(1, 7), n_members=st.integers(2, 6),
                      seed=st.integers(0, 10_000), days=st.integers(1, 2), busy_share=st.sampled_from([0.0, 0.5]))


@SMALL
@given(instances, st.sampled_from(["exact", "lns"]))
def test_every_solver_plan_passes_the_validator(inst, model):
    plan = solve(inst, Options(time_limit=2, deterministic_limit=0.2, force_model=model))
    assert validate(inst, plan) == []
    planned = {v.signal_id for v in plan.visits}
    assert planned | {u.signal_id for u in plan.unserved} == {s.id for s in inst.signals}
    assert not planned & {u.signal_id for u in plan.unserved}


@SMALL
@given(instances, st.sampled_from(["arrival", "deadline"]), st.booleans())
def test_every_greedy_plan_passes_the_validator(inst, order, padded):
    assert validate(inst, greedy(inst, order=order, padded=padded)) == []


def _a_valid_plan(inst):
    plan = greedy(inst)
    return plan if plan.visits else None


def _codes(inst, plan):
    return {v.code for v in validate(inst, plan)}


def _replace(plan, i, **changes):
    visits = list(plan.visits)
    visits[i] = dataclasses.replace(visits[i], **changes)
    return dataclasses.replace(plan, visits=visits)


@SMALL
@given(instances, st.data())
def test_the_validator_rejects_each_broken_rule(inst, data):
    plan = _a_valid_plan(inst)
    if plan is None:
        return
    i = data.draw(st.integers(0, len(plan.visits) - 1))
    v = plan.visits[i]
    signal = next(s for s in inst.signals if s.id == v.signal_id)
    members = {m.id: m for m in inst.members}

    # roles: drop the professional
    rest = tuple(mid for mid in v.member_ids if members[mid].role != signal.needs)
    if rest:
        assert "role" in _codes(inst, _replace(plan, i, member_ids=rest))
    # language: send only people who do not speak it
    mute = tuple(m.id for m in inst.members if m.role == signal.needs and not m.languages & signal.languages)
    if mute and signal.languages:
        assert "language" in _codes(inst, _replace(plan, i, member_ids=mute[:1]))
    # ambassador alone on a high-risk case
    ambassadors = tuple(m.id for m in inst.members if m.role == AMBASSADOR)
    if ambassadors and signal.category in "ABC":
        assert "ambassador_alone" in _codes(inst, _replace(plan, i, member_ids=ambassadors[:1]))
    # working hours: outside every window
    late = max(b for m in inst.members for _, b in m.windows if m.id in v.member_ids)
    if late + signal.duration <= inst.horizon:
        assert "hours" in _codes(inst, _replace(plan, i, start=late, end=late + signal.duration))
    # too short
    assert "time" in _codes(inst, _replace(plan, i, end=v.start + signal.duration - 1))
    # the same signal twice
    assert "duplicate" in _codes(inst, dataclasses.replace(plan, visits=[*plan.visits, v]))
    # in two places at once / no time to travel: a second visit for the same member right on top
    other = next((s for s in inst.signals if s.id != v.signal_id and s.place != signal.place), None)
    if other is not None:
        twin = dataclasses.replace(v, signal_id=other.id, start=v.start + 1, end=v.start + 1 + other.duration)
        clash = dataclasses.replace(plan, visits=[w for w in plan.visits if w.signal_id != other.id] + [twin])
        assert "overlap" in _codes(inst, clash)
        after = dataclasses.replace(v, signal_id=other.id, start=v.end, end=v.end + other.duration)
        rushed = dataclasses.replace(plan, visits=[w for w in plan.visits if w.signal_id != other.id] + [after])
        assert {"travel", "overlap"} & _codes(inst, rushed)
