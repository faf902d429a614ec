"""Unknown vCard properties kept on a contact, before-images of contacts an import
changed, and merges (what each moved, so it can be undone).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("contacts", sa.Column("vcard_extra", sa.JSON(), nullable=True))
    op.add_column("import_items", sa.Column("before", sa.JSON(), nullable=True))
    op.add_column(
        "import_batches",
        sa.Column("changed_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "merges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("merges")
    op.drop_column("import_batches", "changed_count")
    op.drop_column("import_items", "before")
    op.drop_column("contacts", "vcard_extra")
