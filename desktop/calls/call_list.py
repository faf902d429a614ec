"""A call list: contacts to walk one after another, logging as you go."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

MAX_CALL_LIST = 5_000


@dataclass
class CallList:
    """`ids` in the order to call; `position` is the contact now shown."""

    name: str
    ids: list[uuid.UUID]
    position: int = 0
    logged: set[uuid.UUID] = field(default_factory=set)

    @property
    def current(self) -> uuid.UUID | None:
        return self.ids[self.position] if self.ids else None

    def next(self) -> uuid.UUID | None:
        """Move on (stays on the last one); returns the contact now shown."""
        if self.position < len(self.ids) - 1:
            self.position += 1
        return self.current

    def previous(self) -> uuid.UUID | None:
        if self.position > 0:
            self.position -= 1
        return self.current

    def mark_logged(self, contact_id: uuid.UUID) -> None:
        if contact_id in self.ids:
            self.logged.add(contact_id)

    @property
    def at_end(self) -> bool:
        return self.position >= len(self.ids) - 1

    def progress(self) -> str:
        """ "3 of 24 · 2 logged"."""
        return f"{self.position + 1:,} of {len(self.ids):,} · {len(self.logged):,} logged"
