"""The backup and restore commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli_book import open_book

if TYPE_CHECKING:
    from db.backups import BackupFile

EXIT_OK, EXIT_FAILED = 0, 1


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser(
        "backup", help="back the book up now (kept with the automatic backups unless --out)"
    )
    backup.add_argument("--out", type=Path, metavar="FILE", help="write the backup to FILE")
    backup.add_argument("--list", action="store_true", help="list the backups a restore can use")

    restore = commands.add_parser(
        "restore", help="put the book back as a backup holds it (the current one is kept)"
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup (see backup --list)")


def run_backup(args: argparse.Namespace) -> int:
    book = open_book(args.data_dir, create=False)
    try:
        if args.list:
            found = book.backup_list()
            for backup in found:
                print(describe(backup))
            if not found:
                print(f"callsheet: no backups yet in {book.backups.folder}.", file=sys.stderr)
            return EXIT_OK
        written = book.back_up_to(args.out) if args.out else book.back_up("manual")
    finally:
        book.close()
    print(f"Backed up {book.path} to {written}.")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from db.errors import DamagedDatabaseError
    from desktop.contact_book import ContactBook
    from desktop.wording import counted

    try:
        book = open_book(args.data_dir, create=False)
    except DamagedDatabaseError as error:
        aside = ContactBook.replace_damaged(args.data_dir, args.file)
        book = open_book(args.data_dir, create=False)
        book.close()
        print(f"Restored {error.path} from {args.file}. The damaged book was moved to {aside}.")
        return EXIT_OK
    try:
        summary, kept = book.restore_backup(args.file)
    finally:
        book.close()
    print(
        f"Restored {book.path} from {args.file}: {counted(summary.contacts, 'contact')}. "
        f"The book as it was is kept in {kept}."
    )
    return EXIT_OK


def describe(backup: BackupFile) -> str:
    """One line per backup: when (local time), why, size and file."""
    from desktop.wording import file_size

    when = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{when}  {backup.description:<22}  {file_size(backup.size):>9}  {backup.path}"
