"""An error nobody caught is logged with its traceback and told to the user in a dialog,
instead of being printed to a console nobody sees."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from db.errors import NotFoundError
from desktop.ui.unexpected_errors import UnexpectedErrors
from tests.desktop.conftest import when_dialog_opens


def raise_in_a_slot(qtbot, error: Exception) -> dict[str, str]:  # type: ignore[no-untyped-def]
    seen: dict[str, str] = {}

    def read_and_close(dialog: QMessageBox) -> None:  # type: ignore[override]
        seen.update(
            name=dialog.objectName(),
            text=dialog.text(),
            more=dialog.informativeText(),
            details=dialog.detailedText(),
        )
        dialog.accept()

    def boom() -> None:
        raise error

    hook = UnexpectedErrors(Path("/data/callsheet.log"), lambda: None).install()
    try:
        when_dialog_opens(read_and_close)  # type: ignore[arg-type]
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    finally:
        hook.uninstall()
    return seen


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_is_logged_and_shown_as_something_went_wrong(
    qtbot, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.ERROR)
    seen = raise_in_a_slot(qtbot, ZeroDivisionError("division by zero"))
    assert seen["name"] == "unexpectedError"
    assert seen["text"].startswith("Something went wrong")
    assert "/data/callsheet.log" in seen["more"]
    assert "ZeroDivisionError" in seen["details"]
    [record] = [r for r in caplog.records if r.message == "unexpected error"]
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError


@pytest.mark.qt_no_exception_capture
def test_an_expected_error_that_slipped_through_shows_its_own_message(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen = raise_in_a_slot(qtbot, NotFoundError("That contact is no longer there."))
    assert seen["text"] == "That contact is no longer there."
    assert seen["details"] == ""


def test_uninstall_puts_the_previous_hook_back() -> None:
    import sys

    before = sys.excepthook
    UnexpectedErrors(None, lambda: None).install().uninstall()
    assert sys.excepthook is before
