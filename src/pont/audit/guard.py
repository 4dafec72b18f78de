"""Database-level guard of the audit trail: triggers refusing UPDATE and DELETE on its table.

The model and queryset refuse them in Python, but `_base_manager`, `QuerySet(model=…)`, `_raw_delete`
or plain SQL would not ask them; the database does, on PostgreSQL and on SQLite alike.
"""

from __future__ import annotations

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION pont_audit_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER pont_audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION pont_audit_append_only()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS pont_audit_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS pont_audit_append_only()",
]
SQLITE_CREATE = [
    f"""CREATE TRIGGER pont_audit_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER pont_audit_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS pont_audit_no_update", "DROP TRIGGER IF EXISTS pont_audit_no_delete"]


def statements(vendor: str, *, create: bool) -> list[str]:
    """Return the SQL that installs (or removes) the guard on this database vendor."""
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    return []


def install(schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def remove(schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)
