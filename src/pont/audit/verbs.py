"""What each action of the audit trail means, in the reader's language: the trail stores codes
(`person.viewed`), people read "File viewed". A test fails when the code writes a verb missing here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

VERBS = {
    "api_token.issued": _("API token issued"),
    "api_token.revoked": _("API token revoked"),
    "otp.enrolled": _("Second factor set up"),
    # People
    "person.created": _("Person registered"),
    "person.updated": _("Person's data changed"),
    "person.viewed": _("Person's file viewed"),
    "person.listed": _("List of people shown"),
    "person.duplicates_shown": _("Possible duplicates shown"),
    "person.matches_viewed": _("Matching vacancies shown"),
    "legal_status.created": _("Residence status added"),
    "legal_status.updated": _("Residence status changed"),
    "consent.recorded": _("Consent recorded"),
    "consent.withdrawn": _("Consent withdrawn"),
    # Employment
    "programme.created": _("Programme created"),
    "programme.updated": _("Programme changed"),
    "enrolment.created": _("Enrolment created"),
    "enrolment.status_changed": _("Enrolment status changed"),
    "enrolment.viewed": _("Enrolment viewed"),
    "coaching_session.created": _("Coaching session recorded"),
    "language_training.created": _("Language training planned"),
    "language_assessment.created": _("Language level assessed"),
    "placement.created": _("Job recorded"),
    "placement.viewed": _("Jobs viewed"),
    "followup.recorded": _("Job follow-up recorded"),
    "employment_target.updated": _("Target changed"),
    "employment.shared_track.viewed": _("Employment track viewed by a care team"),
    # Matching
    "vacancy.created": _("Vacancy created"),
    "vacancy.updated": _("Vacancy changed"),
    "vacancy.candidates_searched": _("Candidates searched for a vacancy"),
    "vacancy.matches_listed": _("Matching candidates listed"),
    "needs.candidates_searched": _("Candidates searched"),
    "site.created": _("Employer's site added"),
    "skill_profile.created": _("Skill profile created"),
    "skill_profile.updated": _("Skill profile changed"),
    "skill_profile.viewed": _("Skill profile viewed"),
    "proposal.created": _("Candidate proposed"),
    "proposal.viewed": _("Proposal viewed"),
    "proposal.listed": _("Proposals listed"),
    "proposal.withdrawn": _("Proposal withdrawn"),
    "proposal.interview_accepted": _("Interview accepted by the person"),
    "proposal.interview_requested": _("Employer asked to meet the candidate"),
    "proposal.interviewed": _("Interview held"),
    "proposal.not_retained": _("Candidate not retained"),
    "proposal.hired": _("Candidate hired"),
    "introduction.requested": _("Introduction requested"),
    "introduction.answered": _("Introduction answered"),
    "introductions.listed": _("Introductions listed"),
    "matching.batch.computed": _("Matching computed"),
    # Network
    "offer.created": _("Offer published"),
    "offers.imported": _("Offers imported"),
    "offers.eligibility_viewed": _("Offers' eligibility checked for a person"),
    "referral.sent": _("Referral sent"),
    "referral.asked": _("Referral asked for"),
    "referral.accepted": _("Referral accepted"),
    "referral.declined": _("Referral declined"),
    "referral.closed": _("Referral closed"),
    "referral.viewed": _("Referral viewed"),
    "referrals.listed": _("Referrals listed"),
    "referral.consent_withdrawn": _("Referral stopped: consent withdrawn"),
    "referral.consent_overridden": _("Referral without consent (vital interest)"),
    "thread.created": _("Discussion started"),
    "reply.created": _("Reply posted"),
    "thread.hidden": _("Discussion hidden by a moderator"),
    "reply.hidden": _("Reply hidden by a moderator"),
    "event.created": _("Network event created"),
    "event.reported": _("Network event reported on"),
    # Care
    "care.signal.created": _("Signal received"),
    "care.signal.viewed": _("Signal viewed"),
    "care.signals.listed": _("Signals listed"),
    "care.signal.triaged": _("Signal triaged"),
    "care.signal.contacted": _("First contact made"),
    "care.signal.escalated": _("Signal escalated"),
    "care.signal.handed_over": _("Signal handed over"),
    "care.signal.kept_apart": _("Signals kept apart"),
    "care.signal.merged": _("Signals merged"),
    "care.signal.vital_interest": _("Shared in the person's vital interest"),
    "care.signal.closed": _("Signal closed"),
    "care.visit.created": _("Visit planned"),
    "care.visit.viewed": _("Visit viewed"),
    "care.visits.listed": _("Visits listed"),
    "care.visit.reported": _("Visit report written"),
    "care.visit.cancelled": _("Visit cancelled"),
    "care.note.created": _("Note written"),
    "care.note.viewed": _("Note read"),
    "care.screening.created": _("Screening recorded"),
    "care.screening.viewed": _("Screening viewed"),
    "care.shared_track.viewed": _("Care track viewed by an employment adviser"),
    "care.alert.raised": _("Alert raised"),
    "care.alert.sent": _("Alert sent"),
    "care.alert.acknowledged": _("Alert acknowledged"),
    "care.agreement.proposed": _("Cooperation agreement proposed"),
    "care.agreement.confirmed": _("Cooperation agreement confirmed"),
    "care.agreement.ended": _("Cooperation agreement ended"),
    "care.agreements.listed": _("Cooperation agreements listed"),
    "care.instrument.loaded": _("Screening instrument loaded"),
    "care.push.subscribed": _("Notifications switched on"),
    "care.push.unsubscribed": _("Notifications switched off"),
    "care.rota.added": _("On-call slot added"),
    "care.rota.removed": _("On-call slot removed"),
    "care.rota.listed": _("On-call rota viewed"),
    "care.team.saved": _("Team saved"),
    "care.team_member.saved": _("Team member saved"),
    "dispatch.plan.requested": _("Visit plan requested"),
    "dispatch.plan.proposed": _("Visit plan proposed"),
    "dispatch.plan.viewed": _("Visit plan viewed"),
    "dispatch.plan.accepted": _("Visit plan accepted"),
    # Reporting
    "reporting.dashboard.viewed": _("Indicators viewed"),
    "reporting.indicator.viewed": _("Indicator viewed"),
    "reporting.export.downloaded": _("Indicator table downloaded"),
    "reporting.infographic.viewed": _("Infographic viewed"),
    "reporting.infographic.downloaded": _("Infographic downloaded"),
    "reporting.extract.requested": _("Evaluation extract requested"),
    "reporting.extract.downloaded": _("Evaluation extract downloaded"),
    "reporting.extract.deleted": _("Evaluation extract deleted"),
}

CHANNELS = {"ui": _("Screen"), "api": _("API"), "cli": _("Command line")}


def verb_label(verb: str) -> str:
    """Return what `verb` means in the active language (the code itself only for a verb of an older version)."""
    return str(VERBS[verb]) if verb in VERBS else verb


def verb_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in VERBS.items()), key=lambda pair: pair[1].casefold())


def record_label(object_type: str) -> str:
    """Return the kind of record ("people.person" → "person", in the active language)."""
    from django.apps import apps

    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
