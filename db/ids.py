"""Record identifiers: UUIDv7, generated on the client, sorting by creation time."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import overload


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


def id_bytes() -> Iterator[bytes]:
    """Fresh UUIDv7s as their 16 bytes (as `new_id().bytes` gives, and as the database
    stores them), for bulk writes: one clock reading and one call for randomness per
    run of 4,096."""
    while True:
        millis = time.time_ns() // 1_000_000
        head = ((millis & 0xFFFF_FFFF_FFFF) << 80) | (0x7 << 76) | (0x2 << 62)
        noise = os.urandom(10 * _RUN)
        for start in range(0, len(noise), 10):
            random_part = int.from_bytes(noise[start : start + 10], "big") & _RANDOM_BITS
            yield (head | random_part).to_bytes(16, "big")


class PackedIds(Sequence[uuid.UUID]):
    """Many record ids held as 16 bytes each, read back as UUIDs one at a time: a
    million cost 16 MB, where a list of UUID objects costs about a hundred."""

    _SIZE = 16

    def __init__(self, packed: bytes = b"") -> None:
        self._packed = packed

    @classmethod
    def of(cls, ids: Iterable[uuid.UUID]) -> PackedIds:
        return cls(b"".join(cid.bytes for cid in ids))

    def __len__(self) -> int:
        return len(self._packed) // self._SIZE

    @overload
    def __getitem__(self, index: int) -> uuid.UUID: ...

    @overload
    def __getitem__(self, index: slice) -> PackedIds: ...

    def __getitem__(self, index: int | slice) -> uuid.UUID | PackedIds:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return PackedIds.of(self[n] for n in range(start, stop, step))
            return PackedIds(self._packed[start * self._SIZE : stop * self._SIZE])
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        at = index * self._SIZE
        return uuid.UUID(bytes=self._packed[at : at + self._SIZE])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedIds):
            return self._packed == other._packed
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]
