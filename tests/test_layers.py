"""`db` and the UI-free services never import Qt."""

from __future__ import annotations

import subprocess
import sys


def test_storage_services_and_cli_load_without_qt() -> None:
    code = (
        "import sys, db.engine, db.contacts, db.search, db.groups, db.notes, db.trash, "
        "db.history, db.merge, desktop.cli, desktop.demo, desktop.contact_book, "
        "desktop.interop.files, desktop.interop.importer, desktop.interop.export; "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
