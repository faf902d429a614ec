"""Which kind an import file is: by its name, else by its first line. Kept apart from
the readers so the window can tell a droppable file without loading them."""

from __future__ import annotations

from pathlib import Path

_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".vcf": "vcf", ".vcard": "vcf",
             ".ics": "ics", ".ical": "ics"}  # fmt: skip
IMPORT_SUFFIXES = frozenset(_SUFFIXES)


def detect_format(path: Path, given: str | None = None) -> str:
    """The format asked for, else the file's suffix, else a look at its first line."""
    if given:
        return given
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    if by_suffix:
        return by_suffix
    try:
        with path.open("rb") as handle:
            start = handle.read(200).lstrip(b"\xef\xbb\xbf").lstrip().upper()
    except OSError:
        return "csv"
    if start.startswith(b"BEGIN:VCARD"):
        return "vcf"
    if start.startswith(b"BEGIN:VCALENDAR"):
        return "ics"
    return "csv"
