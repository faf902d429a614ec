"""Counts kept as the book changes (issue 17): how many contacts are live, in the Trash
and with a next step, and each group's live members, so the list, the navigation pane
and the Trash read a number instead of counting a million rows. Triggers keep them, so
every writer (the app, the CLI, bulk loads, sync) counts alike. The companies and
follow-ups in the Trash are counted from an index of the Trash alone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 1 where a contact row (NEW or OLD) is live, in the Trash, or live with a next step.
_LIVE = "({row}.deleted_at IS NULL)"
_TRASHED = "({row}.deleted_at IS NOT NULL)"
_STEPPED = "({row}.deleted_at IS NULL AND {row}.next_step_at IS NOT NULL)"


def _tally_change(sign: str, row: str, minus: str | None = None) -> str:
    """SET clauses adding (or taking away) one row's part in each tally; with `minus`,
    the difference between two versions of a row."""

    def term(condition: str) -> str:
        part = f"{sign} {condition.format(row=row)}"
        return f"{part} - {condition.format(row=minus)}" if minus else part

    return (
        f"live = live {term(_LIVE)}, trashed = trashed {term(_TRASHED)}, "
        f"with_next_step = with_next_step {term(_STEPPED)}"
    )


_TRASH_INDEXED = ("companies", "activities")
_TRIGGERS = {
    "tally_contact_added": f"""
        AFTER INSERT ON contacts BEGIN
            UPDATE contact_tallies SET {_tally_change("+", "NEW")};
        END""",
    "tally_contact_changed": f"""
        AFTER UPDATE OF deleted_at, next_step_at ON contacts
        WHEN (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL)
          OR (OLD.next_step_at IS NULL) != (NEW.next_step_at IS NULL)
        BEGIN
            UPDATE contact_tallies SET {_tally_change("+", "NEW", minus="OLD")};
            UPDATE group_sizes
               SET live_members = live_members + (NEW.deleted_at IS NULL)
                                               - (OLD.deleted_at IS NULL)
             WHERE (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL)
               AND group_id IN (SELECT group_id FROM group_members WHERE contact_id = NEW.id);
        END""",
    # Before the row goes: its memberships are still there to say which groups shrink.
    # (Cascaded deletes of its memberships then find no live contact and count nothing.)
    "tally_contact_removed": f"""
        BEFORE DELETE ON contacts BEGIN
            UPDATE contact_tallies SET {_tally_change("-", "OLD")};
            UPDATE group_sizes SET live_members = live_members - 1
             WHERE OLD.deleted_at IS NULL
               AND group_id IN (SELECT group_id FROM group_members WHERE contact_id = OLD.id);
        END""",
    "tally_group_added": """
        AFTER INSERT ON groups BEGIN
            INSERT INTO group_sizes (group_id, live_members) VALUES (NEW.id, 0);
        END""",
    "tally_member_added": """
        AFTER INSERT ON group_members BEGIN
            UPDATE group_sizes SET live_members = live_members + 1
             WHERE group_id = NEW.group_id
               AND EXISTS (SELECT 1 FROM contacts
                            WHERE id = NEW.contact_id AND deleted_at IS NULL);
        END""",
    "tally_member_removed": """
        AFTER DELETE ON group_members BEGIN
            UPDATE group_sizes SET live_members = live_members - 1
             WHERE group_id = OLD.group_id
               AND EXISTS (SELECT 1 FROM contacts
                            WHERE id = OLD.contact_id AND deleted_at IS NULL);
        END""",
}


def upgrade() -> None:
    op.create_table(
        "contact_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("live", sa.Integer(), nullable=False),
        sa.Column("trashed", sa.Integer(), nullable=False),
        sa.Column("with_next_step", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_contact_tallies_one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "group_sizes",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("live_members", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id"),
    )
    op.execute(
        "INSERT INTO contact_tallies (id, live, trashed, with_next_step) "
        "SELECT 1, count(*) FILTER (WHERE deleted_at IS NULL), "
        "count(*) FILTER (WHERE deleted_at IS NOT NULL), "
        "count(*) FILTER (WHERE deleted_at IS NULL AND next_step_at IS NOT NULL) FROM contacts"
    )
    op.execute(
        "INSERT INTO group_sizes (group_id, live_members) "
        "SELECT g.id, (SELECT count(*) FROM group_members m JOIN contacts c ON c.id = m.contact_id "
        "WHERE m.group_id = g.id AND c.deleted_at IS NULL) FROM groups g"
    )
    for name, body in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    # The Trash counts its companies and follow-ups from these, not from every row.
    for table in _TRASH_INDEXED:
        op.create_index(
            f"ix_{table}_trash",
            table,
            ["deleted_at"],
            sqlite_where=sa.text("deleted_at IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NOT NULL"),
        )


def downgrade() -> None:
    for table in _TRASH_INDEXED:
        op.drop_index(f"ix_{table}_trash", table)
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table("group_sizes")
    op.drop_table("contact_tallies")
