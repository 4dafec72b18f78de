"""Permission predicates (django-rules): what each role may open. Scope within it is the selectors' job."""

import rules

from pont.core.roles import Role


@rules.predicate
def is_adviser(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADVISER)


@rules.predicate
def is_coordinator(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


rules.add_perm("people.list_people", is_adviser)
rules.add_perm("people.register_person", is_adviser)
rules.add_perm("core.read_audit_trail", is_coordinator)
