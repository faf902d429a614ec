"""Reading a spreadsheet export (CSV or TSV) whatever its encoding and delimiter: UTF-8
with or without BOM, UTF-16, Windows-1252 and what charset-normalizer can tell; comma,
semicolon, tab or bar. Rows with the wrong number of cells are kept and reported."""

from __future__ import annotations

import codecs
import csv
import io
import stat
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from db.errors import CallsheetError

MAX_FILE_BYTES = 200_000_000
SAMPLE = 64_000
DELIMITERS = ",;\t|"
csv.field_size_limit(10_000_000)


class ImportFileError(CallsheetError):
    """A file that cannot be imported at all (empty, binary, gone, unreadable)."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    encoding: str
    delimiter: str
    ragged: list[int] = field(default_factory=list)  # spreadsheet row numbers (header = 1)

    def row_number(self, index: int) -> int:
        """The row as a spreadsheet numbers it: the header is row 1."""
        return index + 2


def read_table(path: Path, encoding: str | None = None) -> Table:
    """The file's header and rows, as text (in `encoding` if given, else detected)."""
    text, encoding = read_text(path, encoding)
    delimiter = sniff_delimiter(text[:SAMPLE])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise ImportFileError(f"{path} is not a readable table ({error}).") from None
    if not records:
        raise ImportFileError(f"{path} is empty: there is nothing to import.")
    headers = [cell.strip() for cell in records[0]]
    rows = records[1:]
    ragged = [n + 2 for n, row in enumerate(rows) if len(row) != len(headers)]
    return Table(headers, rows, encoding, delimiter, ragged)


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """A text file's contents and the encoding they were in (`encoding` if given, else
    detected); a binary file is refused, as `read_raw` refuses the others."""
    raw = read_raw(path)
    if encoding:
        return decode_as(raw, path, encoding), encoding
    return decode(raw, path)


def read_raw(path: Path) -> bytes:
    """A file's bytes; an empty, vanished or oversized file, or one that is not a plain
    file (a pipe, a device such as /dev/zero), is refused with a message saying so."""
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(status.st_mode):
            raise ImportFileError(f"{path} is not a plain file (a pipe or a device?).")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # a file that grows is still capped
        if len(raw) > MAX_FILE_BYTES:
            raise ImportFileError(
                f"{path} is more than {MAX_FILE_BYTES // 1_000_000} MB; at most 200 MB can "
                "be imported."
            )
    except FileNotFoundError:
        raise ImportFileError(f"{path} no longer exists (was it moved or deleted?).") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a file.") from None
    except OSError as error:
        raise ImportFileError(f"{path} cannot be read: {error.strerror or error}.") from None
    if not raw.strip():
        raise ImportFileError(f"{path} is empty: there is nothing to import.")
    return raw


def decode_as(raw: bytes, path: Path, encoding: str) -> str:
    """Text in the encoding the user chose; one it cannot be is refused."""
    try:
        return raw.decode(encoding)
    except LookupError:
        raise ImportFileError(f"“{encoding}” is not an encoding Callsheet knows.") from None
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"{path} is not {encoding} text (byte {error.start:,} cannot be read that way); "
            "choose another encoding or let Callsheet detect it."
        ) from None


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Text and the encoding it was in. A file that is not text is refused."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace"), encoding
    if b"\x00" in raw[:SAMPLE]:
        raise ImportFileError(f"{path} is not a text file (it looks binary).")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw[: SAMPLE * 4]).best()
    guess = best.encoding if best is not None else "cp1252"
    try:
        guessed = raw.decode(guess)
    except (UnicodeDecodeError, LookupError):
        guess, guessed = "cp1252", raw.decode("cp1252", errors="replace")
    if any(ch >= "\u2e80" for ch in guessed):
        return guessed, guess  # Chinese, Japanese or Korean read cleanly: no Western misreading
    try:
        western = raw.decode("cp1252")
    except UnicodeDecodeError:
        return guessed, guess
    # Short samples cannot tell Windows' Western and Central European pages apart; the
    # Western one (Outlook's usual) wins unless the other reads as more letters.
    if sum(c.isalpha() for c in guessed) > sum(c.isalpha() for c in western):
        return guessed, guess
    return western, "cp1252"


def sniff_delimiter(sample: str) -> str:
    """The delimiter the header line and the first rows agree on."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(DELIMITERS, key=first.count) if first else ","
