"""Permissions of the audit trail (django-rules, on the predicates of pont.core.access)."""

import rules

from pont.core.access import is_coordinator

rules.add_perm("audit.read_trail", is_coordinator)
