"""Sync from the main window: in the background on start, every few minutes and shortly
after an edit, on demand with File > Sync Now (Ctrl+Shift+S, which stops a run too),
and its state in the status bar (last synced, offline with what waits, or what to do)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from db.errors import CallsheetError
from desktop.credentials import CredentialStore
from desktop.settings import SYNC_AUTOMATIC, SYNC_EVERY_MINUTES, keeps_trashed_on_server
from desktop.ui.controller import WindowController
from desktop.wording import counted

log = logging.getLogger(__name__)

FIRST_SYNC_MS = 5_000  # after start-up has settled
AFTER_EDIT_MS = 20_000  # an edit goes out this long after the last one of a burst


@dataclass
class Outcome:
    """How one run over every account went, for the status bar."""

    accounts: int = 0
    changed_here: bool = False  # something arrived: the views refresh
    offline: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    password_needed: list[str] = field(default_factory=list)
    pending: int = 0
    conflicts: int = 0
    stopped: bool = False


class _Progress(QObject):
    """Carries progress lines from the sync thread to the status bar."""

    said = Signal(str)


class SyncController(WindowController):
    def start(self, credentials: CredentialStore | None = None) -> None:
        self.credentials = credentials or CredentialStore()
        self.status = QLabel()
        self.status.setObjectName("syncStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.linkActivated.connect(self._link)
        self.status.hide()
        self.window.statusBar().addPermanentWidget(self.status)
        self._progress = _Progress(self)
        self._progress.said.connect(self._show_progress)
        self._stop = threading.Event()
        self.running = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.background)
        self.after_edit = QTimer(self)
        self.after_edit.setSingleShot(True)
        self.after_edit.setInterval(AFTER_EDIT_MS)
        self.after_edit.timeout.connect(self.background)
        self.window.undo_stack.indexChanged.connect(lambda _index: self._edited())
        self.apply_settings()
        QTimer.singleShot(FIRST_SYNC_MS, self.background)

    def apply_settings(self) -> None:
        settings = self.window.settings
        self.automatic = settings.get(SYNC_AUTOMATIC)
        self.timer.stop()
        if self.automatic:
            self.timer.start(settings.get(SYNC_EVERY_MINUTES) * 60_000)

    def _edited(self) -> None:
        if self.automatic:
            self.after_edit.start()

    # Running
    def background(self) -> None:
        """A run nobody asked for: only when there is an account and none is running."""
        if not self.running and self.automatic:
            self.sync()

    def sync_now(self) -> None:
        """File > Sync Now: start a run, or stop the one running."""
        if self.running:
            self.stop()
            self.say("Stopping the sync after the record it is on…")
            return
        if not self.book.sync_accounts():
            self.say("No sync account yet: add one here.", 10_000)
            self.window.edit_preferences(page="sync")
            return
        self.sync(asked=True)

    def sync(self, asked: bool = False) -> None:
        if not self.book.sync_accounts():
            self.status.hide()
            return
        self.running = True
        self._stop.clear()
        self.window.sync_now_action.setText("Stop &Sync")
        if asked:
            self._show_progress("Syncing…")
        self.window.jobs.start(
            self._run_all,
            self.window.default_region,
            asked,
            keeps_trashed_on_server(self.window.settings),  # read here: settings are the UI's
            on_done=self._finished,
            on_failed=self._failed,
        )

    def stop(self) -> None:
        self._stop.set()

    def _run_all(self, region: str, asked: bool, keep_trashed: bool) -> Outcome:
        """On the worker thread: every account in turn."""
        from desktop.sync.accounts import NoPassword, sync_now
        from desktop.sync.dav import ServerUnreachable
        from desktop.sync.engine import STAGE_WORDS

        outcome = Outcome()
        for account in self.book.sync_accounts():
            outcome.accounts += 1

            def progress(stage: str, done: int, total: int, name: str = account.name) -> None:
                if total and (asked or total > 50):
                    doing = STAGE_WORDS.get(stage, stage)
                    text = f"Syncing with {name}: {doing} {done:,} of {total:,}"
                    self._progress.said.emit(text)

            try:
                report = sync_now(
                    self.book,
                    self.credentials,
                    account,
                    region,
                    progress=progress,
                    cancelled=self._stop.is_set,
                    keep_trashed=keep_trashed,
                )
            except ServerUnreachable:
                outcome.offline.append(account.name)
            except NoPassword:
                outcome.password_needed.append(account.name)
            except CallsheetError as error:
                outcome.failures.append(f"{account.name}: {error}")
            else:
                outcome.changed_here |= bool(report.pulled or report.trashed)
                outcome.failures += [f"{account.name}: {p}" for p in report.problems]
                outcome.stopped |= report.stopped
            outcome.pending += self.book.sync_pending(account.id, keep_trashed)
            if self._stop.is_set():
                outcome.stopped = True
                break
        outcome.conflicts = len(self.book.conflicts())
        return outcome

    def _finished(self, outcome: Outcome) -> None:
        self._done_running()
        if outcome.changed_here:
            self.window.refresh_all()
            self.window.reminders.rearm()  # a follow-up that arrived may ring first
        self.show_outcome(outcome)

    def _failed(self, error: Exception) -> None:
        self._done_running()
        if not isinstance(error, CallsheetError):
            raise error
        self._set_status(f"Sync failed: {error}", str(error))

    def _done_running(self) -> None:
        self.running = False
        self.window.sync_now_action.setText("&Sync Now")

    # The status bar
    def show_outcome(self, outcome: Outcome) -> None:
        if not outcome.accounts:
            self.status.hide()
            return
        waiting = f"{counted(outcome.pending, 'change')} waiting" if outcome.pending else ""
        if outcome.password_needed:
            names = ", ".join(outcome.password_needed)
            text = f"Sync needs the password for {names}: <a href='prefs'>enter it</a>"
            tip = "No password is kept for this account on this computer."
        elif outcome.failures:
            text = "Sync problem: <a href='prefs'>details</a>"
            tip = "\n".join(outcome.failures[:5])
        elif outcome.offline:
            text = "Offline" + (f": {waiting}, kept until the server answers" if waiting else "")
            tip = "The sync server did not answer; nothing is lost, and it is tried again."
        elif outcome.stopped:
            text = "Sync stopped" + (f": {waiting}" if waiting else "")
            tip = "Sync Now (Ctrl+Shift+S) goes on from where it stopped."
        else:
            when = self.book.clock.now().astimezone().strftime("%H:%M")
            text = f"Synced {when}" + (f", {waiting}" if waiting else "")
            tip = "Sync Now: Ctrl+Shift+S"
        if outcome.conflicts:
            text += f" · <a href='conflicts'>{counted(outcome.conflicts, 'conflict')}</a>"
        self._set_status(text, tip)

    def _set_status(self, text: str, tip: str) -> None:
        self.status.setText(text)
        self.status.setToolTip(tip)
        self.status.show()

    def _show_progress(self, text: str) -> None:
        if self.running:
            self._set_status(text, "Ctrl+Shift+S stops the sync.")

    def _link(self, target: str) -> None:
        if target == "conflicts":
            self.show_conflicts()
        else:
            self.window.edit_preferences(page="sync")

    def show_conflicts(self) -> None:
        from desktop.ui.conflict_log import ConflictLogDialog

        dialog = ConflictLogDialog(self.book, self.window.default_region, self.window)
        restored = []
        dialog.restored.connect(lambda: restored.append(True))
        dialog.restored.connect(lambda: self.window.refresh_all())
        dialog.exec()
        dialog.deleteLater()
        if restored and not self.running:
            self.sync()  # sends what was put back, and counts the conflicts left
