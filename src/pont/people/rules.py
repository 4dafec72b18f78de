"""Permissions of the people app (django-rules, on the predicates of pont.core.access).

Which people are in a user's scope is `selectors.persons_visible_to`; these say what a role may do.
"""

import rules

from pont.core.access import follows, is_adviser

rules.add_perm("people.list_people", is_adviser)
rules.add_perm("people.register_person", is_adviser)
rules.add_perm("people.change_person", is_adviser & follows)
