"""The change journal says where each change came from (local edit, import, remote).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: no table rebuild, so a million-row journal upgrades at once.
    op.add_column(
        "change_journal",
        sa.Column(
            "origin", sa.String(length=10), server_default=sa.text("'local'"), nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_column("change_journal", "origin")
