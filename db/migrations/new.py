"""Write the next migration from what db/models.py adds to the newest schema.

    python -m db.migrations.new "add contact nickname index"

Review the generated file, then set HEAD_REVISION in db/book_file.py to its id.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from db.engine import make_engine
from db.migrations import alembic_config, head_revision, upgrade


def main(argv: list[str]) -> int:
    message = " ".join(argv).strip()
    if not message:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(Path(folder) / "schema.db")
        upgrade(engine)
        next_id = f"{int(head_revision()) + 1:04d}"
        command.revision(alembic_config(engine), message=message, autogenerate=True, rev_id=next_id)
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
