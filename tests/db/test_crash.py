"""The worst day: the process dies mid-save. Every committed change survives, nothing is
half-written, and the database opens again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from db.engine import open_database
from db.search import LOOKUP
from tests.factories import indexed_words, make_syncing

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from db.engine import open_database
    from db.contacts import ContactDraft, EmailValue, PhoneValue, create_contact

    db = open_database(Path(sys.argv[1]))
    n = 0
    while True:
        with db.transaction() as session:
            for _ in range(5):
                n += 1
                create_contact(session, ContactDraft(
                    given_name=f"Crash{n}", family_name="Test",
                    emails=(EmailValue(f"c{n}@x.example"),),
                    phones=(PhoneValue(f"+47 55 {n % 100:02d} 12 34"),)))
        print(n, flush=True)
""")


def test_a_killed_writer_leaves_whole_transactions(data_dir: Path) -> None:
    db = open_database(data_dir)
    make_syncing(db)  # its changes are journaled: the journal must be whole too
    db.close()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    committed = 0
    deadline = time.monotonic() + 60
    while committed < 40 and time.monotonic() < deadline:
        committed = int(writer.stdout.readline())
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    writer.stdout.close()

    db = open_database(data_dir)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        contacts = conn.exec_driver_sql("SELECT count(*) FROM contacts").scalar_one()
        journaled = conn.exec_driver_sql(
            "SELECT count(*) FROM change_journal WHERE record_type = 'contact'"
        ).scalar_one()
        emails = conn.exec_driver_sql("SELECT count(*) FROM contact_emails").scalar_one()
        indexed = len(indexed_words(conn))
    assert contacts >= committed
    assert contacts % 5 == 0
    assert journaled == emails == indexed == contacts
    with db.reading() as session:
        assert [h.display_name for h in LOOKUP.lookup(session, f"crash{committed}")] == [
            f"Crash{committed} Test"
        ]
    db.close()
