"""Record ids as 16 bytes instead of 32 hex characters (issue 17): every key, every
reference to one and every index entry of them was twice the size it needs to be,
about 280 bytes a contact at a million. Each table holding ids is rebuilt with the
same definition but BLOB for those columns, its rows copied in order with the ids
converted, then its indexes and triggers made again. (Other databases keep their own
UUID type; nothing to do there.)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

from alembic import op

from db.migrations.retype import retype_columns

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every column holding a record id, by table, in an order that copies a table before
# the ones that point at it (foreign keys are off while migrations run, and checked
# after).
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "companies": ("id",),
    "groups": ("id",),
    "contacts": ("id", "company_id", "referred_by_id"),
    "contact_emails": ("contact_id",),
    "contact_phones": ("contact_id",),
    "contact_addresses": ("contact_id",),
    "contact_urls": ("contact_id",),
    "group_members": ("group_id", "contact_id"),
    "group_sizes": ("group_id",),
    "activities": ("id",),
    "activity_contacts": ("activity_id", "contact_id"),
    "history_entries": ("id", "activity_id"),
    "history_contacts": ("history_id", "contact_id"),
    "notes": ("id", "contact_id", "company_id"),
    "social_profiles": ("id", "contact_id"),
    "import_batches": ("id",),
    "import_items": ("batch_id", "contact_id"),
    "merges": ("id", "survivor_id"),
    "change_journal": ("record_id",),
    "sync_accounts": ("id",),
    "sync_items": ("account_id", "record_id"),
    "sync_conflicts": ("id", "account_id", "record_id"),
}
_AS_TEXT = "CHAR(32)"
_AS_BYTES = "BLOB"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    conn.connection.driver_connection.create_function(  # type: ignore[union-attr]
        "id_bytes", 1, _id_bytes, deterministic=True
    )
    retype_columns(conn, ID_COLUMNS, _AS_TEXT, _AS_BYTES, "id_bytes({})")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    retype_columns(
        conn,
        ID_COLUMNS,
        _AS_BYTES,
        _AS_TEXT,
        "CASE WHEN {0} IS NULL THEN NULL ELSE lower(hex({0})) END",
    )


def _id_bytes(value: object) -> object:
    """A stored id as its 16 bytes (anything not 32 hex digits is kept as it is)."""
    if isinstance(value, str) and len(value) == 32:
        try:
            return bytes.fromhex(value)
        except ValueError:
            return value
    return value
