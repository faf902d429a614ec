"""Passwords (the sync account's) in the OS keychain, and nowhere else.

One store over `keyring`: the keychain is found the first time a password is asked
for, not at start-up; keyring's failures become a `CredentialError` that says what
to do. Where this computer has no keychain (a bare Linux session without a Secret
Service), a password is kept in memory for this run only and `in_memory` says so,
so the app can tell the user they will be asked again next time. Never in the
settings, the database or the log.

Reading can block until the user unlocks the keychain: call it off the UI thread.
"""

from __future__ import annotations

import threading
from typing import Any

from db.errors import CallsheetError

SERVICE = "Callsheet"


class CredentialError(CallsheetError):
    """The keychain refused or failed; the message says what to do."""


def account_key(server_url: str, username: str) -> str:
    """The keychain entry of one account: "https://dav.example.com/:maya"."""
    return f"{server_url.strip()}:{username.strip()}"


class CredentialStore:
    """The keychain's passwords for Callsheet, with an in-memory fallback."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service
        self._lock = threading.Lock()
        self._backend: Any = None
        self._memory: dict[str, str] = {}
        self._in_memory = False

    @property
    def in_memory(self) -> bool:
        """Whether passwords are held for this run only (no keychain here)."""
        self._load()
        return self._in_memory

    def describe(self) -> str:
        """Where passwords are kept, for the user."""
        if self.in_memory:
            return (
                "No keychain was found on this computer: passwords are kept in memory "
                "until Callsheet closes, and asked for again next time."
            )
        return f"Passwords are kept in the system keychain ({self._backend.name})."

    def get(self, account: str) -> str | None:
        """The stored password of `account`, or None."""
        with self._lock:
            self._load_locked()
            if self._in_memory:
                return self._memory.get(account)
            return self._call("read", self._backend.get_password, self.service, account)

    def set(self, account: str, password: str) -> None:
        with self._lock:
            self._load_locked()
            if self._in_memory:
                self._memory[account] = password
                return
            self._call("save", self._backend.set_password, self.service, account, password)

    def delete(self, account: str) -> None:
        """Forget `account`'s password (nothing happens when there is none)."""
        import keyring.errors

        with self._lock:
            self._load_locked()
            if self._in_memory:
                self._memory.pop(account, None)
                return
            try:
                self._call("remove", self._backend.delete_password, self.service, account)
            except CredentialError as error:
                if not isinstance(error.__cause__, keyring.errors.PasswordDeleteError):
                    raise

    def _load(self) -> None:
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> None:
        if self._backend is not None:
            return
        import keyring
        import keyring.backends.fail

        backend = keyring.get_keyring()
        chained = getattr(backend, "backends", None)
        self._in_memory = isinstance(backend, keyring.backends.fail.Keyring) or (
            chained is not None and not chained
        )
        self._backend = backend

    @staticmethod
    def _call(what: str, function: Any, *args: str) -> Any:
        import keyring.errors

        try:
            return function(*args)
        except keyring.errors.KeyringLocked as error:
            raise CredentialError(
                f"The keychain is locked, so Callsheet could not {what} the password. "
                "Unlock it (log in again or open your keychain app) and try again."
            ) from error
        except keyring.errors.KeyringError as error:
            raise CredentialError(
                f"The keychain could not {what} the password ({error or type(error).__name__}). "
                "Check that your keychain or Secret Service is running, then try again."
            ) from error
