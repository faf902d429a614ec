"""Text folding shared by sorting and lookup: case and diacritics do not matter."""

from __future__ import annotations

import re
import unicodedata

_SPECIAL_FOLDS = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
    }
)


_NOT_DIGITS = re.compile(r"[^0-9]+")


def fold(text: str) -> str:
    """Lower-case `text` and strip its diacritics: "Øyvind Müller" -> "oyvind muller"."""
    if text.isascii():  # nothing to strip: the common case, made cheap
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def sort_key(text: str) -> str:
    """The key a name is sorted by: folded, with runs of white space collapsed."""
    return " ".join(fold(text).split())


def digits(text: str) -> str:
    """Only the ASCII digits of `text` ("+1 (555) 010-1234" -> "15550101234")."""
    return _NOT_DIGITS.sub("", text)
