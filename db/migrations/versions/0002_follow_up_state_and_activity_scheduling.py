"""Follow-up state on contacts (last contacted, next step) and activity scheduling
(timeless, series start, alarm time, completion time).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:23:05.039651
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plain ALTER TABLE ADD COLUMN and CREATE INDEX only: no table is rebuilt, so upgrading
# a million-contact database is quick and no foreign key cascade can fire.
LIVE = sa.text("deleted_at IS NULL")
LIVE_SERIES = sa.text("rrule IS NOT NULL AND deleted_at IS NULL")
LIVE_CLEARED = sa.text("activity_id IS NOT NULL AND deleted_at IS NULL")
ALARMED = sa.text("alarm_at IS NOT NULL")


def upgrade() -> None:
    op.add_column(
        "activities",
        sa.Column("timeless", sa.Boolean(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column("activities", sa.Column("alarm_at", sa.DateTime(), nullable=True))
    op.add_column("activities", sa.Column("series_start", sa.DateTime(), nullable=True))
    op.add_column("activities", sa.Column("completed_at", sa.DateTime(), nullable=True))
    op.drop_index("ix_activities_open_due", "activities")
    op.create_index(
        "ix_activities_live_due",
        "activities",
        ["status", "starts_at", "all_day", "timeless"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_index(
        "ix_activities_live_series",
        "activities",
        ["starts_at"],
        sqlite_where=LIVE_SERIES,
        postgresql_where=LIVE_SERIES,
    )
    op.create_index("ix_activities_alarm", "activities", ["alarm_at"], sqlite_where=ALARMED)
    op.create_index(
        "ix_history_live_cleared",
        "history_entries",
        ["occurred_at"],
        sqlite_where=LIVE_CLEARED,
        postgresql_where=LIVE_CLEARED,
    )
    op.add_column("contacts", sa.Column("last_contacted_at", sa.DateTime(), nullable=True))
    op.add_column("contacts", sa.Column("next_step_at", sa.DateTime(), nullable=True))
    op.execute(_BACKFILL)
    op.create_index(
        "ix_contacts_live_last_contacted",
        "contacts",
        ["last_contacted_at", "sort_name"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_index(
        "ix_contacts_live_next_step",
        "contacts",
        ["next_step_at", "sort_name"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


_BACKFILL = """
UPDATE contacts SET
  last_contacted_at = (
    SELECT max(h.occurred_at) FROM history_entries h
    JOIN history_contacts hc ON hc.history_id = h.id
    WHERE hc.contact_id = contacts.id AND h.deleted_at IS NULL),
  next_step_at = (
    SELECT min(a.starts_at) FROM activities a
    JOIN activity_contacts ac ON ac.activity_id = a.id
    WHERE ac.contact_id = contacts.id AND a.deleted_at IS NULL AND a.status = 'open')
"""


def downgrade() -> None:
    op.drop_index("ix_contacts_live_next_step", "contacts")
    op.drop_index("ix_contacts_live_last_contacted", "contacts")
    op.drop_column("contacts", "next_step_at")
    op.drop_column("contacts", "last_contacted_at")
    op.drop_index("ix_history_live_cleared", "history_entries")
    op.drop_index("ix_activities_alarm", "activities")
    op.drop_index("ix_activities_live_series", "activities")
    op.drop_index("ix_activities_live_due", "activities")
    op.create_index("ix_activities_open_due", "activities", ["status", "starts_at"])
    op.drop_column("activities", "completed_at")
    op.drop_column("activities", "series_start")
    op.drop_column("activities", "alarm_at")
    op.drop_column("activities", "timeless")
