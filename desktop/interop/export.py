"""Writing an export file: contacts as CSV or vCard, or follow-ups and history as
iCalendar. The file is written beside its destination and moved into place, so a
failed export never leaves half a file where a good one was."""

from __future__ import annotations

import glob
import os
import stat
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TypeVar

from sqlalchemy.orm import Session

from db.errors import CallsheetError
from db.exports import flat_contacts, load_contacts, most_parts
from desktop.interop import csv_export
from desktop.interop.ical import write_calendar
from desktop.interop.vcard import write_vcard

Written = TypeVar("Written")
# Told (done, total) now and then; a False answer stops the export.
Progress = Callable[[int, int], object]
PROGRESS_EVERY = 500


class ExportError(CallsheetError):
    """The export file could not be written."""


PART = ".part"  # the temporary file an export writes before moving it into place


class ExportCancelled(CallsheetError):
    """The user stopped the export; no file was written."""


def write_export(
    session: Session,
    ids: Sequence[uuid.UUID],
    format: str,
    out: Path,
    vcard_version: str = "4.0",
    progress: Progress | None = None,
) -> int:
    """Write the contacts `ids` (or, for ics, their follow-ups and history) to `out`;
    returns how many records were written."""
    _remove_orphans(out)
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then moved
            "w",
            encoding="utf-8-sig" if format == "csv" else "utf-8",
            newline="",
            dir=out.parent,
            prefix=f".{out.name}.{os.getpid()}.",
            suffix=PART,
            delete=False,
        )
    except OSError as error:
        raise ExportError(f"{out.parent} cannot be written to: {error.strerror}.") from None
    try:
        with handle:
            count = _write(session, ids, format, handle, vcard_version, progress)
        os.chmod(handle.name, _file_mode(out))
        os.replace(handle.name, out)
    except OSError as error:
        Path(handle.name).unlink(missing_ok=True)
        raise ExportError(f"{out} cannot be written: {error.strerror}.") from None
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return count


def _remove_orphans(out: Path) -> None:
    """Delete what killed exports to `out` left behind: temporary files whose process
    is gone (one still running keeps its own)."""
    if os.name != "posix":  # no signal-0 probe elsewhere; leave them
        return
    for orphan in out.parent.glob(f".{glob.escape(out.name)}.*{PART}"):
        pid = orphan.name[len(out.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            orphan.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        pass
    return True


def _file_mode(out: Path) -> int:
    """The mode a file written in place would get: the replaced file's, else what the
    user's umask allows (a temporary file starts readable by its owner only)."""
    try:
        return stat.S_IMODE(out.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux says it without changing it
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write(
    session: Session,
    ids: Sequence[uuid.UUID],
    format: str,
    handle: IO[str],
    vcard_version: str,
    progress: Progress | None,
) -> int:
    if format == "ics":
        data = write_calendar(session, set(ids))
        handle.write(data.decode("utf-8"))
        return data.count(b"BEGIN:VTODO") + data.count(b"BEGIN:VJOURNAL")
    if format == "csv":  # the header counts columns for the widest contact: asked first
        parts = most_parts(session, ids)
        rows = _reported(flat_contacts(session, ids), len(ids), progress)
        return csv_export.write_csv(rows, parts, handle)
    count = 0
    for contact in _reported(load_contacts(session, ids), len(ids), progress):
        handle.write(write_vcard(contact, vcard_version))
        count += 1
    return count


def _reported(
    contacts: Iterator[Written], total: int, progress: Progress | None
) -> Iterator[Written]:
    for done, contact in enumerate(contacts, start=1):
        yield contact
        if progress is not None and done % PROGRESS_EVERY == 0 and progress(done, total) is False:
            raise ExportCancelled("The export was stopped; no file was written.")
