"""Moments as whole microseconds since 1970 instead of 26 characters of text (issue 17):
a contact carries two to five of them and the list sorts by three, about 90 bytes a
contact at a million. Each table holding moments is rebuilt with the same definition
but BIGINT for those columns, its rows copied in order with the values converted, then
its indexes and triggers made again (as 0015 did for ids). Other databases keep their
own timestamp type.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from alembic import op

from db.migrations.retype import retype_columns

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "companies": ("created_at", "updated_at", "deleted_at"),
    "groups": ("created_at", "updated_at", "deleted_at"),
    "contacts": ("created_at", "updated_at", "deleted_at", "last_contacted_at", "next_step_at"),
    "activities": (
        "starts_at", "created_at", "updated_at", "deleted_at", "alarm_at", "series_start",
        "completed_at",
    ),
    "history_entries": ("occurred_at", "created_at", "updated_at", "deleted_at"),
    "notes": ("created_at", "updated_at", "deleted_at"),
    "social_profiles": ("fetched_at", "created_at", "updated_at", "deleted_at", "gone_at"),
    "import_batches": ("started_at",),
    "merges": ("merged_at",),
    "change_journal": ("changed_at",),
    "sync_accounts": ("created_at", "last_synced_at"),
    "sync_conflicts": ("detected_at", "restored_at"),
}  # fmt: skip
_AS_TEXT = "DATETIME"
_AS_NUMBER = "BIGINT"
_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    conn.connection.driver_connection.create_function(  # type: ignore[union-attr]
        "moment_number", 1, _number, deterministic=True
    )
    retype_columns(conn, MOMENT_COLUMNS, _AS_TEXT, _AS_NUMBER, "moment_number({})")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    conn.connection.driver_connection.create_function(  # type: ignore[union-attr]
        "moment_text", 1, _text, deterministic=True
    )
    retype_columns(conn, MOMENT_COLUMNS, _AS_NUMBER, _AS_TEXT, "moment_text({})")


def _number(value: object) -> object:
    """A moment stored as naive UTC text, as microseconds since 1970."""
    if isinstance(value, str):
        return (datetime.fromisoformat(value).replace(tzinfo=None) - _EPOCH) // _MICROSECOND
    return value


def _text(value: object) -> object:
    """Microseconds since 1970, as the naive UTC text stored before."""
    if isinstance(value, int):
        return (_EPOCH + timedelta(microseconds=value)).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value
