"""Permissions of the network app (django-rules, on the predicates of pont.core.access).

The catalogue is not personal data: advisers, coordinators and care teams read every partner's offers.
Checking a person's eligibility needs the person in the user's scope (people.selectors). Coordinators
publish their own organisation's offers (HSDS import).
"""

import rules

from pont.core.access import advises_for, coordinates, follows, has_care_role, is_adviser, is_coordinator

rules.add_perm("network.read_catalogue", is_adviser | is_coordinator | has_care_role)
rules.add_perm("network.publish_offers", coordinates)  # obj: the organisation

# Referrals: an adviser refers a person they follow; the receiving organisation's advisers answer; a
# coordinator of the sending organisation may send without the consent, with a justification.
rules.add_perm("network.refer", is_adviser & follows)            # obj: the person
rules.add_perm("network.answer_referral", advises_for)           # obj: the receiving organisation
rules.add_perm("network.override_consent", coordinates)          # obj: the sending organisation

# The practice exchange and network events: advisers and coordinators write and read; coordinators moderate
# and organise events for their organisation; care teams may come to events too.
rules.add_perm("network.exchange", is_adviser | is_coordinator)
rules.add_perm("network.moderate", is_coordinator)
rules.add_perm("network.read_events", is_adviser | is_coordinator | has_care_role)
rules.add_perm("network.organise_event", coordinates)  # obj: the organising organisation
