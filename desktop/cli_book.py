"""Opening the book for a command: waits said on stderr, backups where settings say."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.contact_book import ContactBook


def say_waiting(message: str) -> None:
    """Tell the user on stderr that the command waits for another job on the book."""
    print(f"callsheet: {message[:1].lower()}{message[1:]}", file=sys.stderr, flush=True)


def open_book(data_dir: Path, *, create: bool = True) -> ContactBook:
    """The book in `data_dir`, backed up where the user's (or IT's) settings say."""
    from desktop.contact_book import ContactBook
    from desktop.paths import config_dir
    from desktop.settings import backup_plan, read_only_settings

    plan = backup_plan(read_only_settings(config_dir()), data_dir.expanduser().absolute())
    return ContactBook.open(data_dir, create=create, on_wait=say_waiting, backups=plan)
