"""Permissions of the network app (django-rules, on the predicates of pont.core.access).

The catalogue is not personal data: advisers, coordinators and care teams read every partner's offers.
Checking a person's eligibility needs the person in the user's scope (people.selectors). Coordinators
publish their own organisation's offers (HSDS import).
"""

import rules

from pont.core.access import coordinates, has_care_role, is_adviser, is_coordinator

rules.add_perm("network.read_catalogue", is_adviser | is_coordinator | has_care_role)
rules.add_perm("network.publish_offers", coordinates)  # obj: the organisation
