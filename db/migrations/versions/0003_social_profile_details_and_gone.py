"""Social profiles: details (location, company, job title...) and when a profile was
found gone.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:40:53.824271
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "social_profiles",
        sa.Column("details", sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    )
    op.add_column("social_profiles", sa.Column("gone_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("social_profiles", "gone_at")
    op.drop_column("social_profiles", "details")
