"""`callsheet sync`: accounts added and removed, runs, status and the conflict log from
the command line, against a real Radicale (issue 16.1 and 16.5)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest

from db.contact_values import ContactDraft
from desktop.cli import main
from desktop.contact_book import ContactBook
from desktop.credentials import SERVICE, CredentialStore, account_key
from tests.desktop.sync.conftest import DavServer, Device, titles_about_to_conflict
from tests.radicale_server import free_port

Devices = Callable[[str], Device]


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    folder: Path,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(folder), "sync", *args])
    out, err = capsys.readouterr()
    return code, out, err


def stored_password(server: str, user: str) -> str | None:
    return keyring.get_keyring().get_password(SERVICE, account_key(server, user))


def test_an_account_added_from_the_command_line_syncs_both_ways(
    radicale: DavServer,
    account: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user, password = account
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    for folder in (laptop, desktop):
        code, out, err = run(
            capsys, monkeypatch, folder, "add", radicale.url, "--user", user,
            "--password-stdin", "--address-book", "Team", stdin=f"{password}\n",
        )  # fmt: skip
        assert code == 0, err
        assert "Added the account “127.0.0.1”" in out
        assert "It syncs contacts, follow-ups, history and notes." in out
    assert stored_password(radicale.url, user) == password

    with ContactBook.open(laptop) as book:
        maya_id = book.create(ContactDraft(given_name="Maya", family_name="Lund", title="Buyer"))
    code, out, err = run(capsys, monkeypatch, laptop)
    assert (code, out.strip()) == (0, "127.0.0.1: sent 1, fetched 0."), err

    code, out, err = run(capsys, monkeypatch, desktop)
    assert (code, out.strip()) == (0, "127.0.0.1: sent 0, fetched 1."), err
    with ContactBook.open(desktop) as book:
        assert book.contact(maya_id).title == "Buyer"

    code, out, _ = run(capsys, monkeypatch, desktop, "--status", "--json")
    (state,) = [json.loads(line) for line in out.splitlines()]
    assert state["name"] == "127.0.0.1" and state["user"] == user
    assert state["address_book"].endswith("/team/")
    assert state["task_list"].endswith("/callsheet/") and state["history_syncs"] is True
    assert (state["pending"], state["conflicts"], state["last_error"]) == (0, 0, None)
    assert state["last_synced_at"] is not None


def test_follow_ups_can_be_kept_off_the_server_and_turned_on_later(
    radicale: DavServer,
    account: tuple[str, str],
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user, password = account
    code, out, err = run(
        capsys, monkeypatch, data_dir, "add", radicale.url, "--user", user,
        "--password-stdin", "--name", "Office", "--no-tasks", stdin=f"{password}\n",
    )  # fmt: skip
    assert code == 0, err
    assert "It syncs contacts (follow-ups, history and notes stay on this computer)." in out

    code, out, err = run(capsys, monkeypatch, data_dir, "tasks", "Office", "--list", "Road")
    assert code == 0, err
    assert out.strip() == "“Office” now syncs contacts, follow-ups, history and notes."
    with ContactBook.open(data_dir) as book:
        assert (book.sync_account("Office").tasks_url or "").endswith("/road/")

    code, out, err = run(capsys, monkeypatch, data_dir, "tasks", "Office", "--off")
    assert code == 0, err
    with ContactBook.open(data_dir) as book:
        assert book.sync_account("Office").tasks_url is None


def test_a_refused_password_keeps_neither_account_nor_password(
    radicale: DavServer,
    account: tuple[str, str],
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user, _ = account
    code, out, err = run(
        capsys, monkeypatch, data_dir, "add", radicale.url, "--user", user,
        "--password-stdin", stdin="wrong\n",
    )  # fmt: skip
    assert code == 1 and out == ""
    assert err.startswith("callsheet: ") and len(err.strip().splitlines()) == 1
    assert "password" in err.lower()
    assert stored_password(radicale.url, user) is None
    with ContactBook.open(data_dir) as book:
        assert book.sync_accounts() == []


def test_without_a_terminal_or_stdin_the_password_is_asked_for_clearly(
    radicale: DavServer,
    account: tuple[str, str],
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = run(capsys, monkeypatch, data_dir, "add", radicale.url, "--user", account[0])
    assert code == 1
    assert "--password-stdin" in err


def test_offline_is_exit_code_3_and_the_changes_wait(
    devices: Devices,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laptop = devices("laptop")
    laptop.book.create(ContactDraft(given_name="Maya", family_name="Lund"))
    closed = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    nowhere = laptop.book.add_sync_account("Road", closed, "rep", f"{closed}rep/book/")
    CredentialStore().set(account_key(nowhere.server_url, "rep"), "secret")
    folder = Path(laptop.book.path).parent

    code, out, err = run(capsys, monkeypatch, folder, "--account", "road")
    assert (code, out) == (3, "")
    assert "Road: offline" in err and "1 waiting to be sent" in err
    assert laptop.book.sync_pending(nowhere.id) == 1
    assert laptop.book.sync_account(nowhere.id).last_error


def test_a_dry_run_says_what_would_travel_and_sends_nothing(
    devices: Devices,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laptop = devices("laptop")
    laptop.book.create(ContactDraft(given_name="Maya", family_name="Lund"))
    CredentialStore().set(account_key(laptop.account.server_url, laptop.account.username), "x")
    folder = Path(laptop.book.path).parent

    code, out, err = run(
        capsys, monkeypatch, folder, "--dry-run", "--password-stdin", stdin=f"{laptop.password}\n"
    )
    assert (code, out.strip()) == (0, "Office: would send 1, would fetch 0."), err
    assert laptop.book.sync_pending(laptop.account.id) == 1
    assert laptop.book.sync_account(laptop.account.id).last_synced_at is None


def test_conflicts_are_listed_and_an_account_is_removed_with_its_password(
    devices: Devices,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laptop, desktop = devices("laptop"), devices("desktop")
    maya_id = titles_about_to_conflict(laptop, desktop)
    account = desktop.account
    folder = Path(desktop.book.path).parent

    code, out, err = run(capsys, monkeypatch, folder)
    assert (code, out.strip()) == (0, "Office: sent 0, fetched 1, 1 in the conflict log."), err
    code, out, _ = run(capsys, monkeypatch, folder, "conflicts", "--json")
    (logged,) = [json.loads(line) for line in out.splitlines()]
    assert (logged["contact"], logged["lost"], logged["kept"]) == (
        "Maya Lund",
        "Chief buyer",
        "Head of buying",
    )
    code, out, _ = run(capsys, monkeypatch, folder, "conflicts")
    assert "Maya Lund, Job title: “Chief buyer” lost to “Head of buying” (Office)" in out

    code, out, _ = run(capsys, monkeypatch, folder, "remove", "office")
    assert code == 0 and "Removed the account “Office”" in out
    assert desktop.book.sync_accounts() == []
    assert desktop.book.contact(maya_id).title == "Head of buying"
    assert stored_password(account.server_url, account.username) is None


def test_sync_without_an_account_says_how_to_add_one(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ContactBook.open(data_dir).close()
    code, _, err = run(capsys, monkeypatch, data_dir)
    assert code == 1 and "callsheet sync add URL --user NAME" in err
