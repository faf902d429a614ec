"""Record identifiers: UUIDv7, generated on the client, sorting by creation time."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator


def new_id() -> uuid.UUID:
    """A fresh UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then 74 random bits."""
    millis = time.time_ns() // 1_000_000
    value = (millis & 0xFFFF_FFFF_FFFF) << 80
    value |= int.from_bytes(os.urandom(10), "big") & ((1 << 80) - 1)
    value &= ~(0xF << 76)
    value |= 0x7 << 76
    value &= ~(0x3 << 62)
    value |= 0x2 << 62
    return uuid.UUID(int=value)


_RUN = 4096
_RANDOM_BITS = ((1 << 80) - 1) & ~(0xF << 76) & ~(0x3 << 62)  # less version and variant


def hex_ids() -> Iterator[str]:
    """Fresh UUIDv7s as 32 hex digits, as `new_id().hex` gives, for bulk writes: one
    clock reading and one call for randomness per run of 4,096."""
    while True:
        millis = time.time_ns() // 1_000_000
        head = ((millis & 0xFFFF_FFFF_FFFF) << 80) | (0x7 << 76) | (0x2 << 62)
        noise = os.urandom(10 * _RUN)
        for start in range(0, len(noise), 10):
            random_part = int.from_bytes(noise[start : start + 10], "big") & _RANDOM_BITS
            yield f"{head | random_part:032x}"
