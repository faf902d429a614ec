"""Turning a phone number into a call: a `tel:` link by default (the system's handler),
`sip:` or `callto:` for softphones, or a command template such as
`linphone-cli call {number}` run without a shell."""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from db.errors import InputError
from desktop.settings import CALLS_COMMAND, CALLS_SCHEME, Settings

SCHEMES = ("tel", "sip", "callto")


@dataclass(frozen=True)
class DialSettings:
    scheme: str = "tel"
    command: str = ""  # a template with {number}; used instead of a link when set

    @classmethod
    def from_settings(cls, settings: Settings) -> DialSettings:
        """How numbers are dialed: `calls/scheme` (tel, sip, callto) or `calls/command`."""
        return cls(scheme=settings.get(CALLS_SCHEME), command=settings.get(CALLS_COMMAND))

    def save(self, settings: Settings) -> None:
        settings.set(CALLS_SCHEME, self.scheme)
        settings.set(CALLS_COMMAND, self.command)


def dial_number(number: str, e164: str | None) -> str:
    """What to dial: E.164 when known, else the digits and a leading + as typed."""
    if e164:
        return e164
    cleaned = re.sub(r"[^\d+]", "", number)
    return cleaned[:1] + cleaned[1:].replace("+", "") if cleaned else ""


def dial_link(number: str, settings: DialSettings) -> str:
    """The link the system's handler opens: tel:+4755123456."""
    scheme = settings.scheme if settings.scheme in SCHEMES else "tel"
    return f"{scheme}:{number}"


def dial_command(number: str, settings: DialSettings) -> list[str]:
    """The softphone command to run, as arguments (no shell, so a number cannot inject)."""
    if "{number}" not in settings.command:
        raise InputError("The dial command must contain {number}, e.g. linphone-cli call {number}")
    return [part.replace("{number}", number) for part in shlex.split(settings.command)]


def dial(
    number: str,
    settings: DialSettings,
    open_link: Callable[[str], bool],
    run: Callable[[list[str]], object] = subprocess.Popen,
) -> str:
    """Start a call to `number` (already cleaned); returns what was opened or run."""
    if not number:
        raise InputError("This phone number has no digits to dial.")
    if settings.command.strip():
        arguments = dial_command(number, settings)
        run(arguments)
        return " ".join(arguments)
    link = dial_link(number, settings)
    if not open_link(link):
        raise OSError(f"Nothing on this computer handles {settings.scheme}: links.")
    return link
