"""The credential store over a real keyring backend: kept, read, forgotten; the keychain's
failures as clear messages; and passwords in memory where no keychain exists."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import keyring.errors
import pytest

from desktop.credentials import CredentialError, CredentialStore, account_key
from tests.conftest import MemoryKeyring

ACCOUNT = account_key("https://dav.example.com/", "maya")


def test_a_password_is_kept_in_the_keychain_under_the_account_key() -> None:
    store = CredentialStore()
    store.set(ACCOUNT, "s3cret")
    assert store.get(ACCOUNT) == "s3cret"
    assert keyring.get_password("Callsheet", "https://dav.example.com/:maya") == "s3cret"
    assert not store.in_memory and "system keychain" in store.describe()
    store.delete(ACCOUNT)
    store.delete(ACCOUNT)  # forgetting twice is not an error
    assert store.get(ACCOUNT) is None


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("D-Bus said no")


def test_a_locked_or_failing_keychain_says_what_to_do() -> None:
    keyring.set_keyring(LockedKeyring())
    store = CredentialStore()
    with pytest.raises(CredentialError, match=r"keychain is locked.*Unlock it"):
        store.get(ACCOUNT)
    with pytest.raises(CredentialError, match=r"could not save the password \(D-Bus said no\)"):
        store.set(ACCOUNT, "s3cret")


def test_without_a_keychain_passwords_live_in_memory_for_this_run_and_it_says_so() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    store = CredentialStore()
    assert store.in_memory
    assert "No keychain was found" in store.describe()
    store.set(ACCOUNT, "s3cret")
    assert store.get(ACCOUNT) == "s3cret"
    assert CredentialStore().get(ACCOUNT) is None  # nothing was written anywhere


def test_the_store_loads_the_keychain_only_when_first_asked() -> None:
    store = CredentialStore()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # chosen after the store was made
    assert store.in_memory
