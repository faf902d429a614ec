"""The errors a user can meet, each with a message that says what to do.

Everything raised on purpose by Callsheet derives from `CallsheetError`; its
`str()` is the one line the CLI prints and the text the app shows in a dialog.
Anything else that escapes is a bug: the CLI prints one line and logs the
traceback, the app logs it and says "something went wrong".

    CallsheetError
    ├── ValidationError      a form that cannot be saved, problem by field
    ├── InputError           one typed value that cannot be read (a date, a phone, a rule)
    │   └── db.recurrence.RecurrenceError
    ├── NotFoundError
    ├── DatabaseError        the file: not a database, empty, newer, locked, read-only,
    │                        missing, damaged; a backup that cannot be restored
    ├── desktop.social.fetch.FetchError   a profile source that gave nothing usable
    └── import/export and start-up errors (ImportFileError, ExportError, NoDisplayError)
"""

from __future__ import annotations

from pathlib import Path


class CallsheetError(Exception):
    """An expected failure with a message meant for the user."""


class ValidationError(CallsheetError):
    """Input that cannot be saved; `problems` maps a field name to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{field}: {why}" for field, why in self.problems.items()))


class InputError(CallsheetError, ValueError):
    """One value a user typed or a file held that cannot be read; says what would work.

    Also a `ValueError`, so parsers of typed text can be used where one is expected.
    """


class NotFoundError(CallsheetError):
    """A record that does not exist (or no longer exists)."""


class DatabaseError(CallsheetError):
    """A database file that cannot be opened or written; names the file."""

    def __init__(self, path: Path, what: str, todo: str) -> None:
        self.path = path
        self.what = what
        self.todo = todo
        super().__init__(f"{path}: {what}. {todo}")


class NotADatabaseError(DatabaseError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "this file is not a Callsheet database (it may be damaged or another kind of file)",
            "Move it aside or restore it from a backup, or choose another data directory "
            "with --data-dir. Callsheet has not changed it.",
        )


class EmptyDatabaseError(DatabaseError):
    """A database file of zero bytes: cut off, not new (Callsheet never leaves one)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "this file is empty (0 bytes): it was probably cut off by a crash or a full disk",
            "Move it aside and restore a backup (`callsheet backup --list` shows them), or "
            "move it aside to start a new book. Callsheet has not changed it.",
        )


class NewerDatabaseError(DatabaseError):
    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            path,
            f"this database was written by a newer Callsheet (schema {revision})",
            "Install the newer version of Callsheet to open it. It has not been changed.",
        )


class DamagedDatabaseError(DatabaseError):
    """A book that fails SQLite's integrity check: used no further until restored."""

    def __init__(self, path: Path, problem: str, backup: Path | None = None) -> None:
        self.problem = problem
        self.backup = backup
        restore = (
            f"Restore the last backup: callsheet restore {backup}"
            if backup is not None
            else "Restore a backup kept elsewhere with callsheet restore FILE"
        )
        super().__init__(
            path,
            f"this book is damaged ({problem})",
            f"{restore} (or File > Restore from Backup). Callsheet has not changed it.",
        )

    def naming(self, backup: Path | None) -> DamagedDatabaseError:
        """The same error, pointing at `backup` as the one to restore."""
        return DamagedDatabaseError(self.path, self.problem, backup)


class DiskFullError(DatabaseError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "the disk is full",
            "Free some space and try again; finding and exporting still work meanwhile.",
        )


class UnusableBackupError(DatabaseError):
    """A file offered as a backup that cannot be restored; the book is left as it is."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(path, why, "Choose another backup. Your book has not been changed.")


class DatabaseLockedError(DatabaseError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "the database is locked by another program",
            "Close the other Callsheet window or program using it and try again.",
        )


class ReadOnlyDatabaseError(DatabaseError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "the database or its folder cannot be written",
            "Check the folder's permissions and free disk space, or choose another "
            "data directory with --data-dir.",
        )


class MissingDatabaseError(DatabaseError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "there is no Callsheet database here",
            "Open the app once or run `callsheet seed` to create one, or point --data-dir "
            "at the folder that holds callsheet.db.",
        )


class DataDirectoryError(DatabaseError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            path,
            f"the data directory cannot be used ({reason})",
            "Create it or fix its permissions, or choose another one with --data-dir.",
        )
