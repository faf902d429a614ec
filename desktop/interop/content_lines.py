"""vCard (RFC 6350, 2426, vCard 2.1) and iCalendar content lines, read and written.

Reading is forgiving where real files are sloppy: folded lines (space or tab), vCard
2.1 quoted-printable values with soft line breaks and a CHARSET, bare 2.1 type
parameters (`TEL;CELL:`), RFC 6868 caret escapes in parameters. A line that cannot be
read is reported with its line number and the rest of the card is kept.

Hand-written rather than vobject: vobject 0.9.9 rejects 2.1 quoted-printable soft line
breaks (the usual form of old phone and Outlook exports) and stops the whole file at the
first bad line, and it rewrites the values it knows through its own objects, which
loses the exact text a lossless round trip needs.
"""

from __future__ import annotations

import binascii
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from db.errors import InputError

_NAME = re.compile(r"(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SIMPLE_HEAD = re.compile(r"(?:[A-Za-z0-9-]+\.)?[A-Za-z0-9-]+(?:;[^;:=\"]*(?:=[^;:\"]*)?)*")
_FOLD_AT = 75  # octets per physical line, as RFC 6350 and RFC 5545 ask


@dataclass(frozen=True)
class ContentLine:
    """One property. `value` is as written (still escaped) after transfer decoding;
    `params` maps an upper-case name to its values; `raw` is the unfolded line."""

    name: str
    value: str
    params: dict[str, list[str]] = field(default_factory=dict)
    group: str = ""
    raw: str = ""
    number: int = 0  # the physical line it started on

    def param(self, name: str) -> str:
        values = self.params.get(name, [])
        return values[0] if values else ""

    @property
    def types(self) -> set[str]:
        return {t.lower() for value in self.params.get("TYPE", []) for t in value.split(",")}


@dataclass
class Component:
    """A BEGIN/END block (VCARD, VCALENDAR, VTODO...) with its lines and children."""

    name: str
    number: int
    lines: list[ContentLine] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def all(self, name: str) -> list[ContentLine]:
        return [line for line in self.lines if line.name == name]

    def first(self, name: str) -> ContentLine | None:
        return next((line for line in self.lines if line.name == name), None)


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded lines with the number of the physical line each starts on."""
    current: list[str] = []
    start = 0
    quoted_printable = False
    # Only CR and LF end lines: str.splitlines would also split at NEL, LS, FS...
    for number, physical in enumerate(_LINE_BREAK.split(text), start=1):
        if current and physical[:1] in (" ", "\t"):
            current.append(physical[1:])
            continue
        if current and quoted_printable and current[-1].endswith("="):
            current[-1] = current[-1][:-1]  # a 2.1 quoted-printable soft line break
            current.append(physical)
            continue
        if current:
            yield start, "".join(current)
        current, start = [physical], number
        head = physical.split(":", 1)[0].upper()
        quoted_printable = "QUOTED-PRINTABLE" in head
    if current:
        yield start, "".join(current)


def parse_line(number: int, line: str) -> ContentLine:
    """One unfolded line; ValueError says what is wrong with it."""
    colon = line.find(":")
    head = line[:colon]
    if colon > 0 and '"' not in head and _SIMPLE_HEAD.fullmatch(head):
        return _parse_simple(number, line, head, line[colon + 1 :])
    return _parse_general(number, line)


def _parse_general(number: int, line: str) -> ContentLine:
    """Any line, quoted parameters (which may hold ";" and ":") included."""
    match = _NAME.match(line)
    if not match or match.end() == 0:
        raise InputError("does not start with a property name")
    group, name = match.group(1) or "", match.group(2).upper()
    position = match.end()
    params: dict[str, list[str]] = {}
    while position < len(line) and line[position] == ";":
        position += 1
        key_end = position
        while key_end < len(line) and line[key_end] not in "=;:":
            key_end += 1
        key = line[position:key_end].strip().upper()
        position = key_end
        if position < len(line) and line[position] == "=":
            values, position = _param_values(line, position + 1)
            params.setdefault(key, []).extend(values)
        elif key:
            params.setdefault("TYPE", []).append(key)  # vCard 2.1: TEL;CELL;VOICE:
    if position >= len(line) or line[position] != ":":
        raise InputError(f"{name} has no “:” before its value")
    value = _transfer_decode(line[position + 1 :], params)
    return ContentLine(name, value, params, group, line, number)


def _parse_simple(number: int, line: str, head: str, value: str) -> ContentLine:
    """The usual line, with no quoted parameter: split at ";", "=" and ","."""
    name_part, *param_parts = head.split(";")
    group, _, name = name_part.rpartition(".")
    params: dict[str, list[str]] = {}
    for part in param_parts:
        key, equals, values = part.partition("=")
        if equals:
            params.setdefault(key.strip().upper(), []).extend(
                _caret_decode(v) for v in values.split(",")
            )
        elif key.strip():
            params.setdefault("TYPE", []).append(key.strip().upper())  # vCard 2.1: TEL;CELL:
    return ContentLine(name.upper(), _transfer_decode(value, params), params, group, line, number)


def _param_values(line: str, position: int) -> tuple[list[str], int]:
    values: list[str] = []
    while True:
        if position < len(line) and line[position] == '"':
            end = line.find('"', position + 1)
            if end < 0:
                raise InputError("has a parameter with an unclosed quote")
            values.append(_caret_decode(line[position + 1 : end]))
            position = end + 1
        else:
            end = position
            while end < len(line) and line[end] not in ",;:":
                end += 1
            values.append(_caret_decode(line[position:end]))
            position = end
        if position < len(line) and line[position] == ",":
            position += 1
            continue
        return values, position


def _caret_decode(value: str) -> str:
    """RFC 6868: ^n newline, ^' double quote, ^^ caret."""
    if "^" not in value:
        return value
    return re.sub(r"\^([n'^])", lambda m: {"n": "\n", "'": '"', "^": "^"}[m.group(1)], value)


def _transfer_decode(value: str, params: dict[str, list[str]]) -> str:
    encoding = {v.upper() for v in params.get("ENCODING", [])}
    if "QUOTED-PRINTABLE" in encoding:
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        data = quopri.decodestring(value.encode("ascii", errors="replace"))
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return data.decode("cp1252", errors="replace")
    return value


def read_components(text: str, wanted: str) -> Iterator[Component]:
    """Each top-level `wanted` block (VCARD, VCALENDAR) in `text`, with problems noted."""
    stack: list[Component] = []
    for number, line in logical_lines(text):
        if not line.strip():
            continue
        try:
            parsed = parse_line(number, line)
        except ValueError as error:
            if stack:
                stack[-1].problems.append((number, f"line {number} {error}; skipped"))
            continue
        if parsed.name == "BEGIN":
            kind = parsed.value.strip().upper()
            if not stack and kind != wanted:
                continue
            if stack and kind == wanted:  # a block that never ended
                unfinished = stack[0]
                unfinished.problems.append((number, f"has no END:{wanted}; ended at line {number}"))
                stack.clear()
                yield unfinished
            block = Component(kind, number)
            if stack:
                stack[-1].children.append(block)
            stack.append(block)
        elif parsed.name == "END" and stack:
            done = stack.pop()
            if not stack:
                yield done
        elif stack:
            stack[-1].lines.append(parsed)
    if stack:
        stack[0].problems.append((stack[0].number, f"has no END:{wanted}"))
        yield stack[0]


# Values: escaping and structure


def split_escaped(value: str, separator: str) -> list[str]:
    """Split on `separator` where it is not backslash-escaped; pieces stay escaped."""
    pieces: list[str] = []
    current: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    pieces.append("".join(current))
    return pieces


def unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def escape(value: str) -> str:
    """A text value for writing: backslash, comma, semicolon and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def text_list(value: str) -> list[str]:
    """A comma-separated list of text values (CATEGORIES, NICKNAME), unescaped."""
    return [unescape(piece) for piece in split_escaped(value, ",")]


def structured(value: str, size: int) -> list[str]:
    """A semicolon-structured value (N, ADR, ORG) as `size` unescaped components."""
    parts = [unescape(piece) for piece in split_escaped(value, ";")]
    return (parts + [""] * size)[:size] if size else parts


def decode_base64(value: str) -> bytes:
    """Base64 with whitespace ignored; ValueError when it is not base64."""
    try:
        return binascii.a2b_base64("".join(value.split()).encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as error:
        raise InputError(f"is not valid base64 ({error})") from None


# Writing


def param_value(value: str) -> str:
    """A parameter value, quoted when it must be, with RFC 6868 caret escapes."""
    value = value.replace("^", "^^").replace("\n", "^n").replace('"', "^'")
    return f'"{value}"' if any(c in value for c in ",;:") else value


def line(name: str, value: str, params: dict[str, str] | None = None, group: str = "") -> str:
    """One folded content line (CRLF-terminated); `value` must already be escaped."""
    head = f"{group}.{name}" if group else name
    for key, param in (params or {}).items():
        head += f";{key}={param}"
    return fold(f"{head}:{value}")


def fold(text: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character; CRLF-terminated."""
    if len(text) <= _FOLD_AT // 4 or len(text.encode("utf-8")) <= _FOLD_AT:
        return text + "\r\n"
    out: list[str] = []
    current: list[str] = []
    size = 0
    limit = _FOLD_AT
    for char in text:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [], 0, _FOLD_AT - 1  # continuation lines start with a space
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out) + "\r\n"
