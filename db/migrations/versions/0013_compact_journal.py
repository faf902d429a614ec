"""The change journal kept to what sync needs (issue 17): a book that syncs with nobody
keeps none, a syncing book each record's latest row (sync itself compares `rev` with
what each account agreed, so nothing it will push is lost). A seeded million held 1.56
million rows, 208 bytes per contact. The upgrade gives the freed pages back.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    syncs = op.get_bind().exec_driver_sql("SELECT 1 FROM sync_accounts LIMIT 1").first()
    if syncs is None:
        op.execute("DELETE FROM change_journal")
    else:
        op.execute(
            "DELETE FROM change_journal WHERE seq < "
            "(SELECT max(later.seq) FROM change_journal later "
            "WHERE later.record_id = change_journal.record_id)"
        )


def downgrade() -> None:
    """Nothing to put back: the rows dropped were needed by no one."""
