"""The call sheet window: who they are, their local time, one-click dialing with a call
timer, promises, talking points, last interactions and their public profiles (from the
cache; refreshed in the background when due). Hanging up asks how it went."""

from __future__ import annotations

import logging
import math
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.errors import CallsheetError
from desktop.calls.dialer import DialSettings, dial, dial_number
from desktop.calls.sheet import CallSheet, build_sheet
from desktop.calls.sheet_html import render_html
from desktop.contact_book import ContactBook
from desktop.settings import SOCIAL_BY_EMAIL, Settings
from desktop.social.fetch import Fetcher, RateGate
from desktop.social.profiles import recognise
from desktop.social.refresh import ProfileRefresher, RefreshPolicy, RefreshReport
from desktop.ui.avatar import InitialsAvatar
from desktop.ui.follow_ups import FollowUps
from desktop.ui.workers import JobRunner

log = logging.getLogger(__name__)
AVATAR = 72


def open_link(link: str) -> bool:
    return QDesktopServices.openUrl(QUrl(link))


class CallSheetWindow(QWidget):
    """One window, showing one contact at a time. `fetcher_factory` makes the HTTP
    client for a background refresh (tests point it at loopback)."""

    failed = Signal(object)
    changed = Signal(object)  # a contact whose history or profiles changed

    def __init__(
        self,
        book: ContactBook,
        follow_ups: FollowUps,
        avatars: Path,
        *,
        dial_settings: DialSettings = DialSettings(),  # noqa: B008
        policy: RefreshPolicy = RefreshPolicy(),  # noqa: B008
        fetcher_factory: Callable[[threading.Event], Fetcher] | None = None,
        opener: Callable[[str], bool] = open_link,
        runner: Callable[[list[str]], object] | None = None,
        default_region: str = "US",
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("callSheet")
        self.setWindowTitle("Call sheet")
        self.book = book
        self.follow_ups = follow_ups
        self.avatars = avatars
        self.dial_settings = dial_settings
        self.policy = policy
        self.fetcher_factory = fetcher_factory or (
            lambda cancel: Fetcher(cancelled=cancel, gate=RateGate.kept_in(avatars.parent))
        )
        self.opener = opener
        self.runner = runner
        self.default_region = default_region
        self.settings = settings
        self.jobs = JobRunner(self, serial=True)
        self._placed = False
        self.sheet: CallSheet | None = None
        self.call_started: datetime | None = None
        self._cancel = threading.Event()
        self._refreshing = False
        self._build()
        self.resize(620, 760)

    # Building
    def _build(self) -> None:
        self.initials = InitialsAvatar(AVATAR)
        self.photo = QLabel()
        self.photo.setFixedSize(AVATAR, AVATAR)
        self.photo.hide()
        self.name = QLabel()
        self.name.setObjectName("sheetName")
        self.name.setStyleSheet("font-size: 17pt; font-weight: 600;")
        self.name.setWordWrap(True)
        self.role = QLabel()
        self.role.setWordWrap(True)
        titles = QVBoxLayout()
        titles.addWidget(self.name)
        titles.addWidget(self.role)
        titles.addStretch(1)
        header = QHBoxLayout()
        header.addWidget(self.initials)
        header.addWidget(self.photo)
        header.addLayout(titles, 1)

        self.phones = QHBoxLayout()
        self.call_bar = QFrame()
        self.call_bar.setObjectName("callBar")
        self.call_bar.setStyleSheet(
            "QFrame#callBar { background: #e8f5e9; border: 1px solid #81c784; border-radius: 4px; }"
        )
        self.call_label = QLabel()
        self.call_label.setObjectName("callTimer")
        self.call_label.setStyleSheet("font-weight: 600; color: #1b5e20;")
        self.hang_up_button = QPushButton("Hang up and log…")
        self.hang_up_button.setToolTip("End the call and say how it went (Ctrl+Shift+H)")
        self.hang_up_button.clicked.connect(self.hang_up)
        bar = QHBoxLayout(self.call_bar)
        bar.setContentsMargins(10, 6, 10, 6)
        bar.addWidget(self.call_label, 1)
        bar.addWidget(self.hang_up_button)
        self.call_bar.hide()
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)

        self.body = QTextBrowser()
        self.body.setObjectName("sheetBody")
        self.body.setOpenLinks(False)
        self.body.anchorClicked.connect(self._link)

        self.status = QLabel()
        self.status.setObjectName("sheetStatus")
        self.status.setStyleSheet("color: #546e7a;")
        self.status.setWordWrap(True)
        self.email_question = self._build_email_question()
        add = QPushButton("Add profile…")
        add.clicked.connect(self.add_profile)
        self.refresh_button = QPushButton("Refresh profiles")
        self.refresh_button.setToolTip("Fetch the public profiles now (F5)")
        self.refresh_button.clicked.connect(lambda: self.refresh(force=True))
        schedule = QPushButton("Schedule…")
        schedule.clicked.connect(self._schedule)
        log = QPushButton("Log call…")
        log.setToolTip("Log a call without dialing (Ctrl+H)")
        log.clicked.connect(self._log)
        buttons = QHBoxLayout()
        for button in (add, self.refresh_button, schedule, log):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(self.phones)
        layout.addWidget(self.call_bar)
        layout.addWidget(self.email_question)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("F5"), self, lambda: self.refresh(force=True))
        QShortcut(QKeySequence("Ctrl+Shift+H"), self, self.hang_up)
        closing = QShortcut(self)  # Esc, Ctrl+W and the platform's own Close key
        keys = [QKeySequence("Escape"), QKeySequence("Ctrl+W")]
        keys += [
            k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Close) if k not in keys
        ]
        closing.setKeys(keys)
        closing.activated.connect(self.close)

    def _build_email_question(self) -> QFrame:
        """Asked once: may contacts be looked up by email address (Gravatar)?"""
        frame = QFrame()
        frame.setObjectName("emailQuestion")
        frame.setStyleSheet(
            "QFrame#emailQuestion { background: #fff8e1; border: 1px solid #ffca28; "
            "border-radius: 4px; }"
        )
        question = QLabel(
            "Also look for public profiles by email address? Callsheet would send a hash "
            "of each contact's email address to Gravatar (gravatar.com). You can change "
            "this later in Preferences."
        )
        question.setWordWrap(True)
        allow = QPushButton("Look up by email")
        allow.setObjectName("allowEmailLookup")
        allow.clicked.connect(lambda: self.answer_email_question(True))
        deny = QPushButton("Don't")
        deny.setObjectName("denyEmailLookup")
        deny.clicked.connect(lambda: self.answer_email_question(False))
        row = QHBoxLayout(frame)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(question, 1)
        row.addWidget(allow)
        row.addWidget(deny)
        frame.hide()
        return frame

    def _email_question_due(self) -> bool:
        settings = self.settings
        return (
            settings is not None
            and self.sheet is not None
            and bool(self.sheet.contact.emails)
            and self.policy.enabled
            and "gravatar" not in self.policy.disabled
            and settings.get(SOCIAL_BY_EMAIL) == ""
            and not settings.is_locked(SOCIAL_BY_EMAIL)
        )

    def answer_email_question(self, allowed: bool) -> None:
        """Remember the answer; with a yes, look this contact up at once."""
        if self.settings is None:
            return
        self.settings.set(SOCIAL_BY_EMAIL, "yes" if allowed else "no")
        self.settings.sync()
        self.policy = RefreshPolicy.from_settings(self.settings)
        self.email_question.hide()
        log.info("Profile lookups by email address %s", "allowed" if allowed else "declined")
        if allowed:
            self.refresh(force=False)

    # Showing
    def show_contact(self, contact_id: uuid.UUID) -> None:
        """Show a contact's sheet from the cache, then refresh what is due behind it."""
        if self.sheet is not None and self.sheet.contact.id != contact_id:
            self._cancel.set()
        self.reload(contact_id)
        self.refresh(force=False)

    def reload(self, contact_id: uuid.UUID | None = None) -> None:
        target = contact_id or (self.sheet.contact.id if self.sheet else None)
        if target is None:
            return
        now = self.book.clock.moment()
        try:
            self.sheet = build_sheet(self.book, target, now, self.default_region)
        except CallsheetError as error:
            self.failed.emit(error)
            return
        contact = self.sheet.contact
        self.setWindowTitle(f"Call sheet: {contact.display_name}")
        self.name.setText(contact.display_name)
        self.role.setText(" · ".join(part for part in (contact.title, contact.company) if part))
        self._show_photo()
        self._fill_phones()
        scroll = self.body.verticalScrollBar().value()
        self.body.setHtml(render_html(self.sheet, now.zone))
        self.body.verticalScrollBar().setValue(scroll)
        if not self._refreshing:
            self.status.setText(self._freshness())
        self.email_question.setVisible(self._email_question_due())

    def _show_photo(self) -> None:
        assert self.sheet is not None
        self.initials.set_name(self.sheet.contact.display_name)
        for profile in self.sheet.live_profiles:
            if profile.avatar_path and Path(profile.avatar_path).exists():
                pixmap = QPixmap(profile.avatar_path)
                if not pixmap.isNull():
                    self.photo.setPixmap(pixmap.scaled(AVATAR, AVATAR))
                    self.photo.show()
                    self.initials.hide()
                    return
        self.photo.hide()
        self.initials.show()

    def _fill_phones(self) -> None:
        assert self.sheet is not None
        while self.phones.count():
            item = self.phones.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # gone at once, not at the next event loop turn
                widget.deleteLater()
        for phone in self.sheet.contact.phones:
            button = QPushButton(f"Call {phone.number} ({phone.label})")
            button.setObjectName("dialButton")
            number = dial_number(phone.number, phone.e164)
            button.clicked.connect(lambda _c=False, n=number: self.dial(n))
            self.phones.addWidget(button)
        if not self.sheet.contact.phones:
            self.phones.addWidget(QLabel("No phone number."))
        self.phones.addStretch(1)

    def _freshness(self) -> str:
        assert self.sheet is not None
        fetched = [p.fetched_at for p in self.sheet.live_profiles if p.fetched_at]
        if not self.policy.enabled:
            return "Profile fetching is turned off; showing what was cached."
        if not fetched:
            return "No profile snapshots yet."
        days = (self.sheet.built_at - max(fetched)).days
        when = "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"
        return f"Profiles fetched {when}."

    # Calling
    def dial(self, number: str) -> None:
        """Open the number through the phone handler and start the call timer."""
        try:
            if self.runner is None:
                opened = dial(number, self.dial_settings, self.opener)
            else:
                opened = dial(number, self.dial_settings, self.opener, self.runner)
        except (ValueError, OSError) as error:
            QMessageBox.warning(self, "Could not dial", str(error))
            return
        self.call_started = self.book.clock.now()
        self.call_bar.show()
        self._tick()
        self.ticker.start()
        self.status.setText(f"Dialing: {opened}")

    def _tick(self) -> None:
        if self.call_started is None or self.sheet is None:
            return
        seconds = max(int((self.book.clock.now() - self.call_started).total_seconds()), 0)
        name = self.sheet.contact.display_name
        self.call_label.setText(f"On a call with {name} · {seconds // 60:02d}:{seconds % 60:02d}")

    def hang_up(self) -> None:
        """End the call: log it with its length, then offer the next step."""
        if self.call_started is None or self.sheet is None:
            return
        self.ticker.stop()
        seconds = (self.book.clock.now() - self.call_started).total_seconds()
        started, self.call_started = self.call_started, None
        self.call_bar.hide()
        contact = self.sheet.contact
        logged = self.follow_ups.record_history(
            [(contact.id, contact.display_name)],
            call_started=started.astimezone(UTC),
            call_minutes=max(math.ceil(seconds / 60), 1) if seconds > 0 else 0,
            their_zone=self.sheet.local.zone if self.sheet.local else None,
        )
        if logged is not None:
            self.changed.emit(contact.id)
        self.reload()

    def _log(self) -> None:
        self._with_contact(self.follow_ups.record_history)

    def _schedule(self) -> None:
        self._with_contact(self.follow_ups.schedule)

    def _with_contact(self, action: Callable[[list[tuple[uuid.UUID, str]]], object]) -> None:
        """Run a follow-up action for the sheet's contact; show what it changed."""
        if self.sheet is None:
            return
        contact = self.sheet.contact
        if action([(contact.id, contact.display_name)]) is not None:
            self.changed.emit(contact.id)
            self.reload()

    # Profiles
    def add_profile(self) -> None:
        if self.sheet is None:
            return
        text, ok = QInputDialog.getText(
            self,
            "Add a profile",
            "Paste a profile link or handle (LinkedIn, X, Bluesky, Mastodon, GitHub, a web site):",
        )
        if not ok or not text.strip():
            return
        try:
            ref = recognise(text)
            self.book.add_profile(self.sheet.contact.id, ref.network, ref.handle, ref.url)
        except (ValueError, CallsheetError) as error:
            QMessageBox.warning(self, "Not added", str(error))
            return
        self.changed.emit(self.sheet.contact.id)
        self.reload()
        self.refresh(force=False)

    def remove_profile(self, profile_id: uuid.UUID) -> None:
        try:
            self.book.set_profile_trashed(profile_id, True)
        except CallsheetError as error:
            self.failed.emit(error)
            return
        self.status.setText("Profile removed.")
        self.reload()

    def refresh(self, *, force: bool) -> None:
        """Fetch due profiles (all with `force`) on a worker; the sheet stays usable."""
        if self.sheet is None or self._refreshing or not self.policy.enabled:
            if force and not self.policy.enabled:
                self.status.setText("Profile fetching is turned off in the settings.")
            return
        contact_id = self.sheet.contact.id
        now = self.book.clock.now()
        due = any(self.policy.due(p, now) for p in self.sheet.profiles)
        looked_up = {p.handle.lower() for p in self.sheet.profiles if p.network == "gravatar"}
        unchecked = any(e.address.lower() not in looked_up for e in self.sheet.contact.emails)
        if not force and not due and not (unchecked and self.policy.allows("gravatar")):
            return
        self._cancel = threading.Event()
        cancel = self._cancel
        self._refreshing = True
        self.refresh_button.setEnabled(False)
        self.status.setText("Refreshing profiles…")

        def work() -> RefreshReport:
            fetcher = self.fetcher_factory(cancel)
            try:
                refresher = ProfileRefresher(self.book, fetcher, self.avatars, self.policy)
                return refresher.refresh_contact(contact_id, force=force)
            finally:
                fetcher.close()

        self.jobs.start(
            work,
            on_done=lambda report: self._refreshed(contact_id, report),
            on_failed=lambda error: self._refreshed(contact_id, None, error),
        )

    def _refreshed(
        self, contact_id: uuid.UUID, report: RefreshReport | None, error: object = None
    ) -> None:
        self._refreshing = False
        self.refresh_button.setEnabled(True)
        if self.sheet is None or self.sheet.contact.id != contact_id:
            return
        self.reload()
        if report is not None and report.offline:
            hosts = ", ".join(sorted(report.unreachable))
            self.status.setText(f"Offline (could not reach {hosts}). " + self._cached())
        elif report is not None:
            self.status.setText(f"Profiles: {report.summary()}. " + self._freshness())
        else:
            self.status.setText(f"Could not refresh profiles: {error}")

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("callsheet:remove-profile/"):
            self.remove_profile(uuid.UUID(text.rsplit("/", 1)[1]))
        elif text == "callsheet:add-profile":
            self.add_profile()
        elif url.scheme() in ("https", "http"):
            self.opener(text)

    def _cached(self) -> str:
        """What an offline sheet shows, said plainly."""
        freshness = self._freshness()
        if freshness.startswith("Profiles fetched"):
            return "Showing the " + freshness[0].lower() + freshness[1:]
        return "Nothing is cached for this contact yet."

    def showEvent(self, event: object) -> None:
        if not self._placed:
            self._placed = True
            self._place_beside_parent()
        super().showEvent(event)  # type: ignore[arg-type]

    def _place_beside_parent(self) -> None:
        """Open beside the main window where the screen has room (the list stays
        visible), else over its right part; never at the screen's corner."""
        parent = self.parentWidget()
        if parent is None or parent.screen() is None:
            return
        screen = parent.screen().availableGeometry()
        frame = parent.frameGeometry()
        width, height = min(self.width(), screen.width()), min(self.height(), screen.height())
        if frame.right() + width <= screen.right():
            x = frame.right() + 1
        elif frame.left() - width >= screen.left():
            x = frame.left() - width
        else:
            x = max(screen.left(), min(frame.right() - width, screen.right() - width))
        # Not yet on screen, the sheet's own frame is unknown: align its inside with the
        # main window's inside, so both title bars show.
        top = parent.geometry().top()
        y = max(screen.top() + top - frame.top(), min(top, screen.bottom() - height))
        self.resize(width, height)
        self.move(x, y)

    def closeEvent(self, event: object) -> None:
        if self.call_started is not None:
            self.hang_up()  # a call in progress is logged, not lost with the window
        self._cancel.set()
        self.ticker.stop()
        super().closeEvent(event)  # type: ignore[arg-type]
