"""Logging to a rotating file in the data directory; tracebacks go there, not to users."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
from pathlib import Path

LOG_FILENAME = "callsheet.log"


def configure(data_dir: Path, *, debug: bool = False) -> Path | None:
    """Send log records to `data_dir/callsheet.log` (rotating); returns its path if writable.

    Does nothing while `data_dir` does not exist (it is created when the database is),
    and nothing the second time for the same file.
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    path = data_dir / LOG_FILENAME
    if not data_dir.is_dir():
        return None
    for existing in root.handlers:
        if getattr(existing, "baseFilename", None) == str(path.absolute()):
            return path
    try:
        handler: logging.Handler = QuietFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path


class QuietFileHandler(logging.handlers.RotatingFileHandler):
    """The log file, which says nothing when it cannot be written (a full disk): the
    user has already been told what failed, in one line, and the log is no place to
    add a traceback to that on stderr."""

    dropped = 0

    def handleError(self, record: logging.LogRecord) -> None:
        type(self).dropped += 1

    def close(self) -> None:
        with contextlib.suppress(OSError):  # what could not be flushed is lost already
            super().close()
