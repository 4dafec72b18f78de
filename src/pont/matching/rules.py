"""Permissions of the matching app (django-rules, on the predicates of pont.core.access).

Employers manage their own company's sites and vacancies and answer the candidates proposed to it;
advisers see every vacancy (job offers are not personal data) and work on the people they follow.
Which records a user sees is `selectors.*_visible_to`; these say what a role may do with one. Views, API
handlers and services ask them through `access.require` (a refusal answers 404).
"""

import rules

from pont.core import access
from pont.core.access import employs_for, follows, is_adviser, is_employer
from pont.core.roles import OrganisationKind, Role


@rules.predicate
def is_company(user, organisation) -> bool:
    """The organisation is a company: only companies have sites and vacancies."""
    return organisation is not None and organisation.kind == OrganisationKind.COMPANY


@rules.predicate
def employs_for_vacancy_of(user, proposal) -> bool:
    """The user is an employer of the company whose vacancy the proposal is for."""
    return proposal is not None and access.acts_for(user, proposal.vacancy, Role.EMPLOYER)


@rules.predicate
def follows_candidate(user, proposal) -> bool:
    """The user advises in an organisation holding an open file on the proposed person."""
    return proposal is not None and follows(user, proposal.person)


# Both sides: the vacancy list and the type-ahead over ESCO skills and occupations.
rules.add_perm("matching.list_vacancies", is_adviser | is_employer)
rules.add_perm("matching.search_taxonomy", is_adviser | is_employer)
rules.add_perm("matching.view_vacancy", is_adviser | employs_for)  # obj: a vacancy

# Employers: obj is the company (for adding), or its site, vacancy or proposal.
rules.add_perm("matching.manage_vacancies", is_employer)  # the sites page and the vacancy form
rules.add_perm("matching.add_site", employs_for & is_company)  # obj: the company
rules.add_perm("matching.add_vacancy", employs_for)  # obj: the site it is at
rules.add_perm("matching.change_vacancy", employs_for)  # obj: the vacancy
rules.add_perm("matching.view_shortlist", employs_for)  # obj: the vacancy
rules.add_perm("matching.give_feedback", employs_for_vacancy_of)  # obj: a proposal

# Advisers: obj is a person they follow, or a proposal of one.
rules.add_perm("matching.view_profile", is_adviser & follows)
rules.add_perm("matching.change_profile", is_adviser & follows)
rules.add_perm("matching.view_matches", is_adviser & follows)
rules.add_perm("matching.match_vacancy", is_adviser)  # obj: a vacancy; the people of their own caseload
rules.add_perm("matching.propose", is_adviser & follows)
rules.add_perm("matching.answer_proposal", follows_candidate)
rules.add_perm("matching.search_candidates", employs_for)  # obj: the vacancy
rules.add_perm("matching.answer_introduction", is_adviser & follows_candidate)  # obj: an introduction
rules.add_perm("matching.withdraw_proposal", follows_candidate)
