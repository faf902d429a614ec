"""The call sheet as a rep uses it: read it (offline, from the cache), dial, hang up and
log, add a profile, refresh in the background."""

from __future__ import annotations

import shutil
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox, QPushButton
from pytest_httpserver import HTTPServer

from db.clock import FixedClock
from desktop.calls.dialer import DialSettings
from desktop.contact_book import ContactBook
from desktop.settings import SOCIAL_ENABLED
from desktop.social.fetch import Fetcher, RateGate
from desktop.social.profiles import recognise
from desktop.social.refresh import RefreshPolicy
from desktop.ui.call_sheet import CallSheetWindow
from desktop.ui.log_dialog import LogDialog
from desktop.ui.main_window import MainWindow
from tests.desktop.conftest import when_dialog_opens
from tests.desktop.social.conftest import FIXTURES, fixture
from tests.factories import add_contact

NOW = datetime(2026, 11, 23, 8, 12, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, "Europe/Oslo")


def maya_with_snapshot(book: ContactBook, data_dir: Path) -> uuid.UUID:
    maya = add_contact(
        book,
        "Maya",
        "Lund",
        company="Fjordline Logistics",
        title="Head of Purchasing",
        phones=("+47 55 12 34 56",),
        region="NO",
    )
    book.add_note(maya, "Ask about the Hamburg depot.", pinned=True)
    ref = recognise("@maya.bsky.social")
    profile = book.add_profile(maya, ref.network, ref.handle, ref.url)
    avatar = data_dir / "avatars" / f"{profile}.png"
    avatar.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "avatar.png", avatar)
    book.store_snapshot(
        profile,
        fetched_at=NOW - timedelta(days=2),
        display_name="Maya Lund",
        headline="Head of Purchasing at Fjordline Logistics, Bergen.",
        counts={"followers": 1284},
        posts=[
            {
                "posted_at": "2026-11-18T07:42:10Z",
                "text": "Spoilage claims down a third.",
                "url": "https://bsky.app/profile/maya.bsky.social/post/3lbq",
            }
        ],
        details={},
        avatar_path=str(avatar),
    )
    return maya


def without_pauses(cancel: threading.Event) -> Fetcher:
    """A fetcher without the polite pause between requests (the tests hit one host)."""
    return Fetcher(gate=RateGate(spacing_s=0.0), cancelled=cancel)


def sheet_window(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path, **kwargs
) -> CallSheetWindow:  # type: ignore[no-untyped-def]
    sheet = CallSheetWindow(
        book,
        window.follow_ups,
        data_dir / "avatars",
        policy=kwargs.pop("policy", RefreshPolicy(enabled=False)),
        default_region="NO",
        **kwargs,
    )
    qtbot.addWidget(sheet)
    sheet.show()
    return sheet


def test_the_sheet_shows_everything_from_the_cache(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    maya = maya_with_snapshot(book, data_dir)
    sheet = sheet_window(qtbot, book, window, data_dir)
    sheet.show_contact(maya)
    text = sheet.body.toPlainText()
    assert "09:12 in Oslo, a good time to call" in text
    assert "Ask about the Hamburg depot." in text
    assert "Head of Purchasing at Fjordline Logistics, Bergen." in text
    assert "2026-11-18 · Spoilage claims down a third." in text
    assert "fetched 2 days ago" in text
    assert "No next step." in text
    assert sheet.photo.isVisible() and not sheet.initials.isVisible()
    assert sheet.status.text() == "Profile fetching is turned off; showing what was cached."
    assert sheet.name.text() == "Maya Lund"


def test_dial_then_hang_up_logs_the_call_with_its_length(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path, clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    maya = maya_with_snapshot(book, data_dir)
    opened: list[str] = []
    sheet = sheet_window(
        qtbot, book, window, data_dir, opener=lambda link: opened.append(link) or True
    )
    sheet.show_contact(maya)
    [button] = [b for b in sheet.findChildren(QPushButton) if b.objectName() == "dialButton"]
    assert button.text() == "Call +47 55 12 34 56 (work)"
    button.click()
    assert opened == ["tel:+4755123456"]
    assert sheet.call_bar.isVisible()
    clock.set(NOW + timedelta(minutes=2, seconds=30))
    sheet._tick()
    assert sheet.call_label.text() == "On a call with Maya Lund · 02:30"
    seen: dict[str, str] = {}

    def how_did_it_go(dialog: QDialog) -> None:
        assert isinstance(dialog, LogDialog)
        seen["duration"] = dialog.duration.text()
        seen["title"] = dialog.windowTitle()
        dialog.notes.setPlainText("Wants pricing by Thursday.")
        dialog.follow_up.setChecked(False)
        dialog.accept()

    when_dialog_opens(how_did_it_go)
    sheet.hang_up()
    assert seen == {"duration": "3 min", "title": "How did the call go?"}
    [entry] = book.history(maya)
    assert (entry.kind, entry.duration_minutes, entry.notes) == (
        "call",
        3,
        "Wants pricing by Thursday.",
    )
    assert not sheet.call_bar.isVisible()
    assert "Wants pricing by Thursday." in sheet.body.toPlainText()


def test_a_softphone_command_is_run_without_a_shell(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    maya = maya_with_snapshot(book, data_dir)
    ran: list[list[str]] = []
    sheet = sheet_window(
        qtbot,
        book,
        window,
        data_dir,
        dial_settings=DialSettings(command="linphone-cli call {number}"),
        runner=ran.append,
    )
    sheet.show_contact(maya)
    sheet.dial("+4755123456")
    assert ran == [["linphone-cli", "call", "+4755123456"]]


def test_adding_a_profile_says_what_form_is_expected(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    maya = add_contact(book, "Maya", "Lund")
    sheet = sheet_window(qtbot, book, window, data_dir)
    sheet.show_contact(maya)
    answers = iter([("https://linkedin.com/feed/", True), ("linkedin.com/in/maya-lund", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: next(answers))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    sheet.add_profile()
    assert warnings == ["A LinkedIn profile looks like linkedin.com/in/name."]
    sheet.add_profile()
    [profile] = book.profiles(maya)
    assert profile.network == "linkedin"
    assert "link only: LinkedIn profiles are not public" in sheet.body.toPlainText()
    sheet.remove_profile(profile.id)
    assert book.profiles(maya) == []


def test_a_due_profile_is_refreshed_in_the_background(
    qtbot,
    book: ContactBook,
    window: MainWindow,
    data_dir: Path,
    httpserver: HTTPServer,
    monkeypatch,
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CALLSHEET_GITHUB_URL", httpserver.url_for("").rstrip("/"))
    httpserver.expect_request("/users/mayalund").respond_with_data(
        fixture("github_user.json").replace(
            '"https://avatars.githubusercontent.com/u/5123456?v=4"', "null"
        ),
        content_type="application/json",
    )
    maya = add_contact(book, "Maya", "Lund")
    ref = recognise("github.com/mayalund")
    book.add_profile(maya, ref.network, ref.handle, ref.url)
    sheet = sheet_window(
        qtbot,
        book,
        window,
        data_dir,
        policy=RefreshPolicy(),
        fetcher_factory=without_pauses,
    )
    sheet.show_contact(maya)
    assert sheet.status.text() == "Refreshing profiles…"
    qtbot.waitUntil(lambda: sheet.status.text().startswith("Profiles: updated 1"), timeout=10_000)
    assert "Data pipelines for cold-chain logistics." in sheet.body.toPlainText()
    assert "fetched today" in sheet.body.toPlainText()


def test_closing_the_sheet_cancels_a_refresh(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    made: list[threading.Event] = []

    def factory(cancel: threading.Event) -> Fetcher:
        made.append(cancel)
        return Fetcher(gate=RateGate(spacing_s=0.0), cancelled=cancel)

    maya = add_contact(book, "Maya", "Lund", emails=("maya@fjordline.example",))
    sheet = sheet_window(
        qtbot,
        book,
        window,
        data_dir,
        policy=RefreshPolicy(disabled=frozenset({"github"}), by_email=True),
        fetcher_factory=factory,
    )
    import os

    os.environ["CALLSHEET_GRAVATAR_URL"] = "http://127.0.0.1:9"
    try:
        sheet.show_contact(maya)
        sheet.close()
        qtbot.waitUntil(lambda: bool(made) and made[0].is_set(), timeout=5000)
        qtbot.waitUntil(lambda: not sheet._refreshing, timeout=10_000)
    finally:
        del os.environ["CALLSHEET_GRAVATAR_URL"]


def test_f9_opens_the_sheet_of_the_contact_shown(
    qtbot, book: ContactBook, data_dir: Path, open_window
) -> None:  # type: ignore[no-untyped-def]
    maya = add_contact(book, "Maya", "Lund")
    window: MainWindow = open_window()
    assert window.sheet_action.shortcut().toString() == "F9"
    window.settings.set(SOCIAL_ENABLED, False)
    window.sheet_action.trigger()
    assert window.call_sheet is not None and window.call_sheet.isVisible()
    assert window.call_sheet.sheet is not None and window.call_sheet.sheet.contact.id == maya
    window.call_sheet.close()


def test_a_gone_profile_says_so_and_profiles_show_on_the_contact(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    maya = add_contact(book, "Maya", "Lund")
    ref = recognise("github.com/mayalund")
    profile = book.add_profile(maya, ref.network, ref.handle, ref.url)
    book.store_profile_error(profile, "api says 404", gone_at=NOW - timedelta(days=1))
    sheet = sheet_window(qtbot, book, window, data_dir)
    sheet.show_contact(maya)
    assert "no longer exists (checked yesterday)" in sheet.body.toPlainText()
    window.refresh_all(select=maya)
    shown = [
        window.detail.fields_form.itemAt(n).widget().text()
        for n in range(window.detail.fields_form.count())
        if window.detail.fields_form.itemAt(n).widget() is not None
    ]
    assert any("mayalund" in text and "no longer exists" in text for text in shown)


def test_the_next_call_is_offered_at_nine_their_time(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.schedule_dialog import ScheduleDialog

    boston = add_contact(book, "Ann", "Lee", phones=("+1 617 555 0100",), region="US")
    sheet = sheet_window(qtbot, book, window, data_dir, opener=lambda _link: True)
    sheet.show_contact(boston)
    sheet.dial("+16175550100")
    seen: dict[str, str] = {}

    def log(dialog: QDialog) -> None:
        assert isinstance(dialog, LogDialog) and dialog.follow_up.isChecked()
        when_dialog_opens(next_step)
        dialog.accept()

    def next_step(dialog: QDialog) -> None:
        assert isinstance(dialog, ScheduleDialog)
        seen["zone"] = dialog.zone.currentText()
        seen["time"] = dialog.start_time.currentText()
        dialog.reject()

    when_dialog_opens(log)
    sheet.hang_up()
    assert seen == {"zone": "America/New_York", "time": "09:00"}


def settings_in_memory():  # type: ignore[no-untyped-def]
    from desktop.defaults import MachineDefaults
    from desktop.settings import Settings
    from tests.factories import MemoryStore

    return Settings(MemoryStore(), MachineDefaults())


def test_nothing_is_looked_up_by_email_until_the_user_says_so_and_each_fetch_is_logged(
    qtbot,
    book: ContactBook,
    window: MainWindow,
    data_dir: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # type: ignore[no-untyped-def]
    import logging

    from desktop.settings import SOCIAL_BY_EMAIL
    from desktop.social.sources import gravatar

    monkeypatch.setenv("CALLSHEET_GRAVATAR_URL", httpserver.url_for("").rstrip("/"))
    address = "maya@fjordline.example"
    body = fixture("gravatar_profile.json").replace("HASH", gravatar.email_hash(address))
    httpserver.expect_request(f"/v3/profiles/{gravatar.email_hash(address)}").respond_with_data(
        body, content_type="application/json"
    )
    maya = add_contact(book, "Maya", "Lund", emails=(address,))
    settings = settings_in_memory()
    sheet = sheet_window(
        qtbot,
        book,
        window,
        data_dir,
        policy=RefreshPolicy.from_settings(settings),
        settings=settings,
        fetcher_factory=without_pauses,
    )
    sheet.show_contact(maya)
    assert sheet.email_question.isVisible()
    qtbot.wait(300)
    assert httpserver.log == []  # not asked yet: nothing sent
    caplog.set_level(logging.INFO, logger="desktop.social.fetch")
    qtbot.mouseClick(sheet.findChild(QPushButton, "allowEmailLookup"), Qt.MouseButton.LeftButton)
    assert settings.get(SOCIAL_BY_EMAIL) == "yes" and not sheet.email_question.isVisible()
    qtbot.waitUntil(lambda: len(httpserver.log) >= 1, timeout=10_000)
    qtbot.waitUntil(lambda: not sheet._refreshing, timeout=10_000)
    assert any("/v3/profiles/" in r.getMessage() for r in caplog.records)
    sheet.show_contact(maya)
    assert not sheet.email_question.isVisible()  # asked once


def test_a_declined_lookup_is_not_asked_again(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from desktop.settings import SOCIAL_BY_EMAIL

    maya = add_contact(book, "Maya", "Lund", emails=("maya@fjordline.example",))
    settings = settings_in_memory()
    sheet = sheet_window(
        qtbot,
        book,
        window,
        data_dir,
        policy=RefreshPolicy.from_settings(settings),
        settings=settings,
    )
    sheet.show_contact(maya)
    qtbot.mouseClick(sheet.findChild(QPushButton, "denyEmailLookup"), Qt.MouseButton.LeftButton)
    assert settings.get(SOCIAL_BY_EMAIL) == "no"
    assert not sheet.policy.allows("gravatar")
    sheet.show_contact(maya)
    assert not sheet.email_question.isVisible() and not sheet._refreshing


def test_offline_the_sheet_says_so_and_shows_what_is_cached(
    qtbot, book: ContactBook, window: MainWindow, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as closed:  # a loopback port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("CALLSHEET_BLUESKY_URL", f"http://127.0.0.1:{port}")
    maya = maya_with_snapshot(book, data_dir)
    sheet = sheet_window(
        qtbot,
        book,
        window,
        data_dir,
        policy=RefreshPolicy(),
        fetcher_factory=without_pauses,
    )
    sheet.show_contact(maya)
    sheet.refresh(force=True)
    qtbot.waitUntil(lambda: not sheet._refreshing, timeout=10_000)
    status = sheet.status.text()
    assert status.startswith(f"Offline (could not reach 127.0.0.1:{port})"), status
    assert "Showing the profiles fetched 2 days ago." in status
    assert "Spoilage claims down a third." in sheet.body.toPlainText()


def test_esc_and_ctrl_w_close_the_sheet_and_it_opens_beside_the_window(
    qtbot, book: ContactBook, open_window
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QKeySequence

    maya = add_contact(book, "Maya", "Lund")
    window: MainWindow = open_window()
    window.settings.set(SOCIAL_ENABLED, False)
    window.resize(700, 500)
    window.move(0, 0)
    for keys in ("Escape", "Ctrl+W"):
        sheet = window.follow_up_actions.open_sheet(maya)
        assert sheet is not None
        qtbot.waitExposed(sheet)
        sheet.activateWindow()  # as it is when it opens in front of the user
        qtbot.waitUntil(lambda: QApplication.activeWindow() is sheet, timeout=5_000)  # noqa: B023
        if keys == "Escape":  # beside the main window, not over its top-left corner
            assert sheet.frameGeometry().left() > window.frameGeometry().left()
        qtbot.keyClick(
            sheet, QKeySequence(keys)[0].key(), QKeySequence(keys)[0].keyboardModifiers()
        )
        assert not sheet.isVisible()
