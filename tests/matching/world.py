"""A small matching world for tests: the demo taxonomy, a site and a vacancy of the test company, a
profile and consent for the `person` fixture, and one proposal."""

from __future__ import annotations

from pathlib import Path

from pont.matching import selectors, services
from pont.matching.models import Proposal, Vacancy
from pont.people.services import consent_record
from pont.taxonomy.esco_import import import_esco
from pont.taxonomy.models import Occupation, OccupationSkill, Skill
from tests.factories import LegalStatusFactory, PersonFactory, PersonLanguageFactory, municipality

DEMO = Path(__file__).resolve().parents[2] / "src" / "pont" / "taxonomy" / "data" / "esco_demo"
WELDING_SKILLS = ["perform MIG/MAG welding", "use welding equipment", "read technical drawings",
                  "inspect weld quality", "follow health and safety procedures", "wear appropriate protective gear"]


def skills(*labels: str) -> list[Skill]:
    by_label = {s.labels["en"]: s for s in Skill.objects.all()}
    return [by_label[label] for label in labels]


def occupation(label: str) -> Occupation:
    return Occupation.objects.get(labels__en=label)


def load_taxonomy(full: bool = False) -> None:
    """Load the demo taxonomy (full), or just the welder and its skills (fast, for the permission matrix)."""
    if full:
        import_esco(DEMO, ["en", "fr", "nl"])
        return
    if Occupation.objects.filter(labels__en="welder").exists():
        return
    welder = Occupation.objects.create(uri="http://example.invalid/occupation/welder", code="7212.1",
                                       labels={"en": "welder", "fr": "soudeur", "nl": "lasser"})
    extra = ["perform TIG welding", "grind and finish metal", "lay bricks"]
    created = Skill.objects.bulk_create(Skill(uri=f"http://example.invalid/skill/{i}", labels={"en": label})
                                        for i, label in enumerate(WELDING_SKILLS + extra))
    OccupationSkill.objects.bulk_create(
        OccupationSkill(occupation=welder, skill=skill, relation="essential" if i < 4 else "optional")
        for i, skill in enumerate(created[:6]))


def make_vacancy(orgs, users, *, town="Menen", title="Lasser", languages=None, training=False, **extra) -> Vacancy:
    """Post a vacancy of the test company (ESCO's welder skills unless another occupation is named)."""
    load_taxonomy()
    employer = orgs["company"]
    site = employer.sites.filter(municipality__name=town).first() or services.site_create(
        employer=employer, by=users["employer"], name=f"Site {town}", municipality=municipality(town))
    values = {"site": site, "occupation": occupation(extra.pop("occupation", "welder")), "title": title,
              "shop_floor_training": training, **extra}
    return services.vacancy_create(by=users["employer"], values=values,
                                   lists=services.VacancySkills(languages=languages or {}))


def make_candidate(person, users, *, skill_labels=WELDING_SKILLS, consent=True, status=("recognised_refugee", "BE"),
                   years=12, radius=30):
    """Give `person` a legal status, Dutch A2, a welder's profile and (by default) the consent to share."""
    load_taxonomy()
    if status:
        LegalStatusFactory(person=person, status=status[0], country=status[1])
    PersonLanguageFactory(person=person, code="nld", level="A2")
    services.profile_save(person=person, by=users["adviser"], data=services.ProfileInput(
        travel_radius_km=radius, skills=skills(*skill_labels), past_occupations=[(occupation("welder"), years)]))
    if consent:
        consent_record(person=person, by=users["adviser"], purpose="share_employers", given_by="person")
    return person


def matching_objects(person, users, orgs) -> dict:
    """Objects the permission matrix needs, so that each write row can send a valid body: a vacancy with
    `person` proposed to it, a second open vacancy to propose them for, a second consenting candidate whose
    interview the employer asked for, the company's site, a municipality and the occupation."""
    vacancy = make_vacancy(orgs, users)
    open_vacancy = make_vacancy(orgs, users, title="Lasser TIG")
    make_candidate(person, users)
    proposal: Proposal = services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])
    candidate = make_candidate(PersonFactory(given_name="Samira", family_name="Haddad", organisation=orgs["vdab"]),
                               users)
    requested = services.proposal_create(person=candidate, vacancy=vacancy, by=users["adviser"])
    services.feedback_record(proposal=requested, by=users["employer"], outcome="interview_requested")
    # The employer's own search: she asked for Samira on the open vacancy; `person` may be asked for on a third.
    introduction = services.introduction_request(
        vacancy=open_vacancy, candidate=selectors.candidate_code(open_vacancy.pk, candidate.pk), by=users["employer"])
    intro_vacancy = make_vacancy(orgs, users, title="Lasser MIG")
    return {"introduction": introduction.pk, "intro_vacancy": intro_vacancy.pk,
            "candidate_code": selectors.candidate_code(intro_vacancy.pk, person.pk),
            "needs_code": selectors.needs_code(intro_vacancy.employer_id, person.pk),
            "vacancy": vacancy.pk, "open_vacancy": open_vacancy.pk, "proposal": proposal.pk,
            "requested_proposal": requested.pk, "site": vacancy.site_id, "municipality": municipality("Kortrijk").pk,
            "occupation": vacancy.occupation_id}
