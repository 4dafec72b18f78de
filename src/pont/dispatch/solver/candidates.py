"""Who could go to which signal: the qualified members per signal, and why a signal has none."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Instance, Member, Reason, Signal
from .travel import travel_of


@dataclass
class Candidates:
    """For one signal: professionals with the needed role and companions who speak the language."""

    signal: Signal
    professionals: list[Member]  # role == signal.needs, nearest first
    companions: list[Member]  # other members (any other role) speaking one of the person's languages
    reason: Reason | None  # set when nobody can go at all

    def speaks(self, member: Member) -> bool:
        return not self.signal.languages or bool(member.languages & self.signal.languages)

    def teams(self):
        """Yield the teams the rule allows: a professional who speaks the language alone, else with a companion."""
        for p in self.professionals:
            if self.speaks(p):
                yield (p,)
            else:
                yield from ((p, comp) for comp in self.companions)


def clipped_windows(member: Member, horizon: int) -> list[tuple[int, int]]:
    """Return the member's working windows cut to [0, horizon), empty ones dropped."""
    return [(max(0, a), min(horizon, b)) for a, b in member.windows if min(horizon, b) > max(0, a)]


def fits(instance: Instance, member: Member, signal: Signal) -> bool:
    """Return True when some working window holds the visit with travel from and back to base."""
    t = travel_of(instance).minutes(member.place, signal.place)
    return any(b - a >= 2 * t + signal.duration for a, b in clipped_windows(member, instance.horizon))


def allowed(instance: Instance, member: Member, signal: Signal) -> bool:
    """Return whether the member may be sent to the signal at all: the border rule and a lent member's areas."""
    if not instance.cross_border and signal.country and member.country and member.country != signal.country:
        return False
    return not member.areas or signal.area in member.areas


def candidates(instance: Instance, limit_professionals: int = 0, limit_companions: int = 0) -> list[Candidates]:
    """Return the candidates of every signal, in the instance's order (0 = no limit on how many).

    The team rule (the validator's too): one member with the role the signal needs, and someone who speaks one
    of the person's languages — the professional themselves, or any other member, whatever their role.
    """
    travel = travel_of(instance)
    out = []
    for s in instance.signals:
        allowed_here = [m for m in instance.members if allowed(instance, m, s)]
        by_role = [m for m in allowed_here if m.role == s.needs]
        speaking = [m for m in allowed_here if m.role != s.needs and (not s.languages or m.languages & s.languages)]
        pros = [m for m in by_role if fits(instance, m, s)]
        comps = [m for m in speaking if fits(instance, m, s)]

        def near(m, s=s):
            return (travel.minutes(m.place, s.place), str(m.id))

        pros.sort(key=near)
        comps.sort(key=near)
        if limit_professionals and len(pros) > limit_professionals:
            # keep the nearest, and near ones who speak the language (they need no companion)
            kept = pros[:limit_professionals]
            kept += [m for m in pros[limit_professionals:3 * limit_professionals]
                     if s.languages and m.languages & s.languages][:limit_professionals // 2]
            pros = kept
        if limit_companions:
            comps = comps[:limit_companions]
        reason = None
        if not by_role:
            reason = Reason.NO_PROFESSIONAL
        elif s.languages and not speaking and not any(m.languages & s.languages for m in by_role):
            reason = Reason.NO_LANGUAGE
        elif not pros or (s.languages and not comps and not any(m.languages & s.languages for m in pros)):
            reason = Reason.NO_TIME
        out.append(Candidates(s, pros, comps, reason))
    return out
