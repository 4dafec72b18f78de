"""Permissions of the employment app (django-rules, on the predicates of pont.core.access).

Coordinators keep their own organisation's programme catalogue and the portfolio's stable-job target;
advisers enrol people into their own organisation's programmes and record coaching, language training,
placements and follow-ups of the people their organisation follows. Which records a user sees is
`selectors.*_visible_to`; these say what a role may do with one. Views, API handlers and services ask
through `access.require` (a refusal answers 404).
"""

import rules

from pont.core.access import advises_for, coordinates, follows, is_adviser, is_employment_coordinator


@rules.predicate
def coordinates_programme_of(user, programme) -> bool:
    return programme is not None and coordinates(user, programme.organisation_id)


@rules.predicate
def advises_for_programme_of(user, enrolment) -> bool:
    """The user advises in the organisation running the enrolment's programme."""
    return enrolment is not None and advises_for(user, enrolment.programme.organisation_id)


rules.add_perm("employment.read_catalogue", is_adviser | is_employment_coordinator)  # every partner's programmes
rules.add_perm("employment.change_catalogue", is_employment_coordinator)            # the catalogue pages
rules.add_perm("employment.list_followups", is_adviser)                    # follow-ups and coaching due
rules.add_perm("employment.change_programme", coordinates & is_employment_coordinator)  # obj: the organisation
rules.add_perm("employment.enrol", advises_for)                            # obj: the programme's organisation
rules.add_perm("employment.change_enrolment", advises_for_programme_of)   # obj: the enrolment
rules.add_perm("employment.follow", is_adviser & follows)                 # obj: the person
rules.add_perm("employment.change_target", is_employment_coordinator)
