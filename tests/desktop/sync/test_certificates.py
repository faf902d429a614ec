"""A server whose certificate no authority vouches for (issue 16.1): refused until the
user confirms its fingerprint, then that certificate and no other is trusted. A real
Radicale over HTTPS on loopback, with certificates from a throwaway authority."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from PySide6.QtWidgets import QDialog, QMessageBox

from db.contact_values import ContactDraft
from desktop.cli import main
from desktop.contact_book import ContactBook
from desktop.credentials import CredentialStore
from desktop.sync.accounts import set_up, sync_now
from desktop.sync.certificates import UntrustedCertificate, fingerprint
from desktop.ui.sync_account_dialog import SyncAccountDialog
from tests.desktop.conftest import when_dialog_opens
from tests.desktop.sync.conftest import DavServer
from tests.radicale_server import running_radicale

WAIT_MS = 60_000


@dataclass(frozen=True)
class TlsServer(DavServer):
    certificate: str = ""  # the PEM the server shows


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    folder = tmp_path_factory.mktemp("radicale-tls")
    issued = trustme.CA().issue_cert("127.0.0.1")
    certificate, key = folder / "server.pem", folder / "server.key"
    issued.cert_chain_pems[0].write_to_path(certificate)
    issued.private_key_pem.write_to_path(key)
    with running_radicale(folder / "server", tls=(certificate, key)) as (url, users):
        yield TlsServer(url, users, issued.cert_chain_pems[0].bytes().decode())


def test_an_untrusted_server_is_refused_with_its_fingerprint(
    tls_server: TlsServer, data_dir: Path
) -> None:
    user, password = tls_server.add_user()
    with ContactBook.open(data_dir) as book:
        with pytest.raises(UntrustedCertificate) as refused:
            set_up(book, CredentialStore(), tls_server.url, user, password)
        assert book.sync_accounts() == []
    assert refused.value.fingerprint == fingerprint(tls_server.certificate)
    assert refused.value.fingerprint in str(refused.value)


def test_a_pinned_certificate_is_trusted_and_no_other(
    tls_server: TlsServer, data_dir: Path
) -> None:
    user, password = tls_server.add_user()
    credentials = CredentialStore()
    with ContactBook.open(data_dir) as book:
        added = set_up(
            book, credentials, tls_server.url, user, password, certificate=tls_server.certificate
        )
        assert added.tls_certificate == tls_server.certificate
        book.create(ContactDraft(given_name="Maya", family_name="Lund"))
        assert sync_now(book, credentials, added, "NO").pushed == 1

        other = trustme.CA().issue_cert("127.0.0.1").cert_chain_pems[0].bytes().decode()
        impostor = book.add_sync_account(
            "Pinned elsewhere", added.server_url, user, added.contacts_url or "",
            tls_certificate=other,
        )  # fmt: skip
        with pytest.raises(UntrustedCertificate):
            sync_now(book, credentials, impostor, "NO")


def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_trusts_only_the_fingerprint_it_is_given(
    tls_server: TlsServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user, password = tls_server.add_user()
    add = ["--data-dir", str(data_dir), "sync", "add", tls_server.url, "--user", user,
           "--password-stdin"]  # fmt: skip
    real = fingerprint(tls_server.certificate)

    code, _, err = run_cli(capsys, monkeypatch, *add, stdin=f"{password}\n")
    assert code == 1 and f"--trust-certificate {real}" in err

    wrong = "AA:" * 31 + "AA"
    code, _, err = run_cli(
        capsys, monkeypatch, *add, "--trust-certificate", wrong, stdin=f"{password}\n"
    )
    assert code == 1 and "not the one given" in err

    code, _, err = run_cli(
        capsys, monkeypatch, *add, "--trust-certificate", real.lower(), stdin=f"{password}\n"
    )
    assert code == 0, err
    with ContactBook.open(data_dir) as book:
        assert book.sync_accounts()[0].tls_certificate == tls_server.certificate


def test_add_account_asks_before_trusting_a_certificate(
    qtbot,  # type: ignore[no-untyped-def]
    tls_server: TlsServer,
    book: ContactBook,
) -> None:
    user, password = tls_server.add_user()
    dialog = SyncAccountDialog(book, CredentialStore(), tls_server.url)
    qtbot.addWidget(dialog)
    dialog.user.setText(user)
    dialog.password.setText(password)
    asked: list[str] = []

    def answer(trust: bool) -> Callable[[QDialog], None]:
        def press(box: QDialog) -> None:
            assert isinstance(box, QMessageBox)
            asked.append(box.informativeText())
            wanted = "&Trust This Certificate" if trust else "Cancel"
            [button] = [b for b in box.buttons() if b.text() == wanted]
            button.click()

        return press

    when_dialog_opens(answer(trust=False))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(asked) and dialog.save_button.isEnabled(), timeout=WAIT_MS)
    assert book.sync_accounts() == [] and "not trusted" in dialog.problems_label.text()
    assert fingerprint(tls_server.certificate) in asked[0]

    when_dialog_opens(answer(trust=True))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.account is not None, timeout=WAIT_MS)
    assert book.sync_accounts()[0].tls_certificate == tls_server.certificate
