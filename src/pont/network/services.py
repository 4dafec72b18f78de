"""Writes of the network app: referrals between partners, in the same country or across the border.

Every write checks its rule (`access.require`), validates the record (`full_clean`), appends to the audit
trail and, on commit, tells the other side by e-mail in each recipient's language.

Consent (docs/consent.md): sending needs the person's consent in force for `cross_border_referral` when
the receiver is in another country than the sender; inside one country, `cross_border_referral` or
`employment_followup`. A coordinator of the sending organisation may send without it, with a written
justification (audited as an override).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from pont.audit.services import audit
from pont.core import access
from pont.core.exceptions import Conflict
from pont.core.mail import mail_each
from pont.core.models import Organisation, User
from pont.core.roles import Role
from pont.employment.models import Programme
from pont.employment.selectors import assess_person
from pont.network.choices import ReferralStatus, SharedField
from pont.network.models import Offer, Referral, ReferralEvent
from pont.people.choices import ConsentPurpose
from pont.people.models import Consent, Person, PersonFile
from pont.people.selectors import consent_in_force


def purposes_for(from_organisation: Organisation, to_organisation: Organisation) -> tuple[str, ...]:
    """The consent purposes any one of which allows a referral between these two organisations."""
    if from_organisation.country != to_organisation.country:
        return (ConsentPurpose.CROSS_BORDER_REFERRAL,)
    return (ConsentPurpose.CROSS_BORDER_REFERRAL, ConsentPurpose.EMPLOYMENT_FOLLOWUP)


def consent_for(person: Person, from_organisation: Organisation, to_organisation: Organisation) -> Consent | None:
    """Return the consent in force that allows this referral, or None."""
    for purpose in purposes_for(from_organisation, to_organisation):
        found = consent_in_force(person, purpose)
        if found is not None:
            return found
    return None


def _shared(person: Person, fields: Iterable[str], note: str, to_organisation: Organisation) -> dict:
    """What travels: the chosen fields as they are now (never care data, never notes unless ticked)."""
    chosen = set(fields)
    data: dict = {}
    if SharedField.NAME in chosen:
        data["name"] = person.full_name
    if SharedField.BIRTH_YEAR in chosen and person.date_of_birth:
        data["birth_year"] = person.date_of_birth.year
    if SharedField.LANGUAGES in chosen:
        data["languages"] = [{"code": lang.code, "level": lang.level} for lang in person.languages.all()]
    if SharedField.LEGAL_STATUS in chosen:
        candidate = assess_person(person).candidate
        data["legal_status"] = candidate.legal_status or ""
        data["right_to_work"] = {country: outcome for country, outcome in candidate.right_to_work.items()
                                 if country == to_organisation.country}
    if SharedField.SKILLS in chosen:
        profile = getattr(person, "skill_profile", None)
        data["skills"] = sorted(profile.skills.values_list("pk", flat=True)) if profile is not None else []
    if SharedField.NOTE in chosen and note.strip():
        data["note"] = note.strip()
    return data


def referral_send(*, by: User, person: Person, reason: str, fields: list[str], offer: Offer | None = None,
                  programme: Programme | None = None, note: str = "", override_justification: str = "") -> Referral:
    """Refer `person` (of the adviser's scope) to another organisation's offer or programme.

    Refused (409 `consent`) without the consent it needs, unless a coordinator of the sending organisation
    gives a written justification.
    """
    access.require(by, "network.refer", person)
    target = offer if offer is not None else programme
    if target is None:
        raise ValidationError({"offer": _("Choose an offer or a programme.")}, code="required")
    to_organisation = target.organisation
    from_organisation = access.acting_organisation(by, role=Role.ADVISER, person=person)
    if to_organisation.pk in access.organisation_ids(by, Role.ADVISER):
        raise ValidationError({"offer": _("This is your own organisation's: enrol the person there directly.")},
                              code="own")
    consent = consent_for(person, from_organisation, to_organisation)
    justification = (override_justification or "").strip()
    if consent is None:
        if not justification:
            raise Conflict({"consent": _consent_missing(from_organisation, to_organisation)})
        if not access.holds(by, Role.COORDINATOR) or \
                from_organisation.pk not in access.organisation_ids(by, Role.COORDINATOR):
            raise Conflict({"override_justification": _("Only a coordinator of your organisation may refer "
                                                        "without the person's consent.")})
    referral = Referral(person=person, from_organisation=from_organisation, to_organisation=to_organisation,
                        offer=offer, programme=programme if offer is None else None, reason=(reason or "").strip(),
                        fields=list(dict.fromkeys(fields)), note=(note or "").strip(), consent=consent,
                        override_justification=justification if consent is None else "", sent_by=by)
    referral.full_clean(exclude=["shared"])
    referral.shared = _shared(person, referral.fields, referral.note, to_organisation)
    with transaction.atomic():
        referral.save()
        _step(referral, ReferralStatus.SENT, by, from_organisation, referral.reason)
        audit(actor=by, verb="referral.sent", obj=referral, person=person, organisation=from_organisation,
              detail={"to": to_organisation.pk, "fields": referral.fields, "cross_border": referral.cross_border})
        if consent is None:
            audit(actor=by, verb="referral.consent_overridden", obj=referral, person=person,
                  organisation=from_organisation, detail={"justification": justification})
        transaction.on_commit(lambda: _tell(referral, _advisers_of(to_organisation), "sent"))
    return referral


def _consent_missing(from_organisation: Organisation, to_organisation: Organisation) -> str:
    if from_organisation.country != to_organisation.country:
        return _("The person's consent to a cross-border referral is needed: record it on their page first.")
    return _("The person's consent to a referral (or to employment follow-up) is needed: record it on their "
             "page first.")


def _require_receiver(by: User, referral: Referral) -> None:
    access.require(by, "network.answer_referral", referral.to_organisation)


def referral_accept(*, by: User, referral: Referral, note: str = "") -> Referral:
    """The receiving organisation accepts: the person gets a file there (an existing one is reopened, never
    doubled) and is in its scope from now on."""
    _require_receiver(by, referral)
    if referral.status != ReferralStatus.SENT:
        raise Conflict(_("This referral was already answered."))
    with transaction.atomic():
        file, created = PersonFile.objects.get_or_create(person=referral.person, organisation=referral.to_organisation,
                                                         defaults={"opened_by": by})
        if not created and file.closed_at is not None:
            file.closed_at = None
            file.save(update_fields=["closed_at"])
        referral.status, referral.file = ReferralStatus.ACCEPTED, file
        referral.save(update_fields=["status", "file"])
        _step(referral, ReferralStatus.ACCEPTED, by, referral.to_organisation, note)
        audit(actor=by, verb="referral.accepted", obj=referral, person=referral.person,
              organisation=referral.to_organisation, detail={"file": file.pk, "file_existed": not created})
        transaction.on_commit(lambda: _tell(referral, [referral.sent_by], "accepted"))
    return referral


def referral_decline(*, by: User, referral: Referral, reason: str) -> Referral:
    _require_receiver(by, referral)
    if referral.status != ReferralStatus.SENT:
        raise Conflict(_("This referral was already answered."))
    referral.status, referral.decline_reason = ReferralStatus.DECLINED, (reason or "").strip()
    if not referral.decline_reason:
        raise ValidationError({"reason": _("Say why the referral is declined.")}, code="required")
    referral.full_clean(exclude=["shared"])
    with transaction.atomic():
        referral.save(update_fields=["status", "decline_reason"])
        _step(referral, ReferralStatus.DECLINED, by, referral.to_organisation, referral.decline_reason)
        audit(actor=by, verb="referral.declined", obj=referral, person=referral.person,
              organisation=referral.to_organisation)
        transaction.on_commit(lambda: _tell(referral, [referral.sent_by], "declined"))
    return referral


def referral_close(*, by: User, referral: Referral, outcome: str, note: str = "") -> Referral:
    """The receiving organisation closes an accepted referral with its outcome (enrolled, placed, …)."""
    _require_receiver(by, referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise Conflict(_("Only an accepted referral can be closed."))
    referral.status, referral.outcome = ReferralStatus.CLOSED, outcome
    if not outcome:
        raise ValidationError({"outcome": _("Choose the outcome.")}, code="required")
    referral.full_clean(exclude=["shared"])
    with transaction.atomic():
        referral.save(update_fields=["status", "outcome"])
        _step(referral, ReferralStatus.CLOSED, by, referral.to_organisation, (note or "").strip())
        audit(actor=by, verb="referral.closed", obj=referral, person=referral.person,
              organisation=referral.to_organisation, detail={"outcome": outcome})
        transaction.on_commit(lambda: _tell(referral, [referral.sent_by], "closed"))
    return referral


def consent_withdrawn(consent: Consent) -> int:
    """A consent was withdrawn: the referrals that travelled under it lose what they carried (the receiver keeps
    only what it made part of its own file), and one not yet answered is withdrawn. Return how many."""
    count = 0
    for referral in Referral.objects.filter(consent=consent).select_related("to_organisation", "sent_by"):
        if not referral.shared and referral.status != ReferralStatus.SENT:
            continue  # nothing left to take back
        changed = ["shared"]
        referral.shared = {}
        if referral.status == ReferralStatus.SENT:
            referral.status = ReferralStatus.WITHDRAWN
            changed.append("status")
        referral.save(update_fields=changed)
        by = consent.withdrawn_by or referral.sent_by
        if "status" in changed:
            _step(referral, ReferralStatus.WITHDRAWN, by, referral.from_organisation, "")
        audit(actor=by, verb="referral.consent_withdrawn", obj=referral, person=referral.person,
              organisation=referral.to_organisation)
        count += 1
    return count


def _step(referral: Referral, status: str, by: User, organisation: Organisation, note: str) -> None:
    ReferralEvent.objects.create(referral=referral, status=status, note=note[:1000], by=by, organisation=organisation)


def _advisers_of(organisation: Organisation) -> list[User]:
    return list(User.objects.filter(memberships__organisation=organisation, memberships__role=Role.ADVISER,
                                    is_active=True).distinct())


def _tell(referral: Referral, users: Iterable[User], what: str) -> None:
    """E-mail `users`, each in their language: a referral was sent to them, or theirs was answered. The message
    names the organisations and the offer and the person's reference, never their name."""
    values = {"from": referral.from_organisation.name, "to": referral.to_organisation.name,
              "offer": referral.target_title, "reference": referral.person.reference}

    def compose() -> tuple[str, str]:
        subject, body = {
            "sent": (_("Pont: a referral from %(from)s"),
                     _("%(from)s refers a person (%(reference)s) to your offer “%(offer)s”. Open Referrals "
                       "in Pont to accept or decline.")),
            "accepted": (_("Pont: %(to)s accepted your referral"),
                         _("%(to)s accepted the referral of %(reference)s to “%(offer)s”.")),
            "declined": (_("Pont: %(to)s declined your referral"),
                         _("%(to)s declined the referral of %(reference)s to “%(offer)s”. Open Referrals in "
                           "Pont to read why.")),
            "closed": (_("Pont: %(to)s closed your referral"),
                       _("%(to)s closed the referral of %(reference)s to “%(offer)s” with its outcome.")),
        }[what]
        return subject % values, body % values

    mail_each(users, compose)


# ------------------------------------------------------------------------------------------------ offers

OFFER_FIELDS = ("organisation", "kind", "title_fr", "title_nl", "title_en", "description_fr", "description_nl",
                "description_en", "municipality", "address", "languages", "min_age", "max_age", "legal_statuses",
                "right_to_work", "min_language", "min_language_level", "capacity", "waiting_weeks", "contact_email",
                "contact_phone", "website", "opening_hours", "cost_eur", "valid_from", "valid_until")


def offer_save(*, by: User, values: dict, regions: Iterable | None = None, offer: Offer | None = None) -> Offer:
    """Create an offer of one of the coordinator's organisations, or change one of theirs (audited)."""
    offer = offer if offer is not None else Offer()
    if offer.pk is not None:
        access.require(by, "network.publish_offers", offer.organisation)
    for name, value in values.items():
        if name in OFFER_FIELDS:
            setattr(offer, name, value)
    if not offer.title:  # modeltranslation's fields: the first language given
        offer.title = next((getattr(offer, f"title_{code}") for code in ("fr", "nl", "en")
                            if getattr(offer, f"title_{code}", "")), "")
    access.require(by, "network.publish_offers", getattr(offer, "organisation", None))
    offer.full_clean(exclude=["hsds_id"])
    with transaction.atomic():
        created = offer.pk is None
        offer.save()
        if regions is not None:
            offer.regions.set(list(regions))
        audit(actor=by, verb="offer.created" if created else "offer.changed", obj=offer,
              organisation=offer.organisation)
    return offer


def offers_import(*, by: User, data, language: str):
    """Import an HSDS file for the coordinator's organisations only (every record's organisation must be one of
    theirs); all or nothing (hsds.HsdsError)."""
    from pont.network import hsds

    mine = {o.name for o in Organisation.objects.filter(pk__in=access.organisation_ids(by, Role.COORDINATOR))}
    if not mine:
        raise Http404
    records = data.get("contents") if isinstance(data, dict) else data
    foreign = [str((r or {}).get("id")) for r in records or [] if isinstance(r, dict)
               and str(((r.get("organization") or {}).get("name")) or "") not in mine]
    if foreign:
        raise hsds.HsdsError([(record, _("not one of your organisations' services")) for record in foreign])
    result = hsds.import_services(data, language)
    audit(actor=by, verb="offers.imported", detail={"created": result.created, "updated": result.updated})
    return result


def referral_ask(*, by: User, organisation: Organisation, date_of_birth, initials: str) -> int:
    """An adviser about to register someone who may be followed by `organisation` asks it for a referral, with
    the person's agreement: its advisers are e-mailed the asking organisation, the date of birth and the
    initials — nothing else. Return how many advisers were told (audited)."""
    access.require(by, "people.register_person")
    asking = access.acting_organisation(by, role=Role.ADVISER)
    if organisation.pk == asking.pk:
        raise ValidationError({"organisation": _("This is your own organisation.")}, code="own")
    audit(actor=by, verb="referral.asked", organisation=asking, detail={"to": organisation.pk})
    values = {"from": asking.name, "born": date_of_birth.isoformat(), "initials": initials}
    return mail_each(_advisers_of(organisation), lambda: (
        _("Pont: %(from)s asks for a referral") % values,
        _("%(from)s is meeting someone who may be one of the people you follow (born %(born)s, initials "
          "%(initials)s), and the person agrees that we ask you. If it is the same person, refer them to %(from)s "
          "in Pont (Network → Offers → Refer) rather than having them registered twice.") % values))
