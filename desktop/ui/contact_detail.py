"""The contact detail view: a header, then Details, Notes and History tabs."""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.contact_values import ContactDetails
from db.errors import CallsheetError
from db.tasks import Bucket, TaskQuery
from desktop.contact_book import ContactBook
from desktop.models.formats import birthday, country_name, when
from desktop.models.task_list import OVERDUE_COLOR, describe_due
from desktop.social.profiles import NETWORK_TITLES
from desktop.ui.avatar import InitialsAvatar
from desktop.ui.undo import TrashNote
from desktop.wording import HISTORY_KIND_TITLES, KIND_TITLES, titled

ID_ROLE = Qt.ItemDataRole.UserRole

NOTE_ID = Qt.ItemDataRole.UserRole
NOTE_PINNED = NOTE_ID + 1
NOTE_BODY = NOTE_ID + 2
NOTE_PREVIEW = 600  # characters of a note the list shows; the editor holds all of it


class ContactDetailView(QWidget):
    """Signals:
    editRequested(): the user asked to edit the shown contact.
    companyChosen(object): the company (UUID) the user clicked on.
    failed(object): a CallsheetError to show the user.
    """

    editRequested = Signal()
    companyChosen = Signal(object)
    failed = Signal(object)
    scheduleRequested = Signal()
    recordRequested = Signal()
    historyEditRequested = Signal(object)  # a history entry's id
    clearRequested = Signal(object)
    editActivityRequested = Signal(object)
    sheetRequested = Signal()

    def __init__(self, book: ContactBook, undo: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.undo = undo
        self.details: ContactDetails | None = None
        self._editing_note: uuid.UUID | None = None
        self._build()
        self.show_contact(None)

    def _build(self) -> None:
        self.stack = QStackedWidget(self)
        self.empty = QLabel(
            "Select a contact to see everything about them.\n\n"
            "Ctrl+F looks someone up; Ctrl+N adds a new contact."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")
        self.stack.addWidget(self.empty)

        page = QWidget()
        self.avatar = InitialsAvatar(64)
        self.name_label = QLabel()
        self.name_label.setObjectName("contactName")
        self.name_label.setStyleSheet("font-size: 17pt; font-weight: 600;")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_label.setWordWrap(True)
        self.role_label = QLabel()
        self.role_label.setWordWrap(True)
        self.role_label.setTextFormat(Qt.TextFormat.RichText)
        self.role_label.linkActivated.connect(self._company_link)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Edit this contact (Ctrl+E)")
        self.edit_button.clicked.connect(self.editRequested)
        header = QHBoxLayout()
        header.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.addWidget(self.name_label)
        titles.addWidget(self.role_label)
        self.next_step_label = QLabel()
        self.next_step_label.setObjectName("nextStep")
        self.next_step_label.setWordWrap(True)
        titles.addWidget(self.next_step_label)
        titles.addStretch(1)
        header.addLayout(titles, 1)
        self.sheet_button = QPushButton("Call sheet")
        self.sheet_button.setToolTip("Everything before a call, and dialing (F9)")
        self.sheet_button.clicked.connect(self.sheetRequested)
        header_buttons = QVBoxLayout()
        header_buttons.addWidget(self.edit_button)
        header_buttons.addWidget(self.sheet_button)
        header_buttons.addStretch(1)
        header.addLayout(header_buttons)

        self.tabs = QTabWidget()
        self.fields = QWidget()
        self.fields_form = QFormLayout(self.fields)
        self.fields_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tabs.addTab(scroll, "&Details")
        self.tabs.addTab(self._build_notes(), "&Notes")
        self.history = QTreeWidget()
        self.history.setObjectName("historyList")
        self.history.setHeaderLabels(["When", "Kind", "Regarding", "Outcome", "Minutes", "Notes"])
        self.history.setRootIsDecorated(False)
        self.history.setAlternatingRowColors(True)
        self.history.setUniformRowHeights(True)
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        columns = self.history.header()
        columns.setStretchLastSection(True)
        for column in (0, 1, 3, 4):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        columns.resizeSection(2, 200)
        self.history.itemActivated.connect(self._history_activated)
        self.history.itemSelectionChanged.connect(self._update_history_buttons)
        self.history_empty = QLabel(
            "No history yet. Calls, meetings and emails you log will be listed here."
        )
        self.history_empty.setWordWrap(True)
        history_page = QWidget()
        history_layout = QVBoxLayout(history_page)
        history_layout.addWidget(self.history_empty)
        history_layout.addWidget(self.history, 1)
        record = QPushButton("Record history…")
        record.setToolTip("Log a call, meeting or email (Ctrl+H)")
        record.clicked.connect(self.recordRequested)
        self.edit_history_button = QPushButton("&Open…")
        self.edit_history_button.setToolTip("See and change the selected entry (Enter)")
        self.edit_history_button.clicked.connect(self._edit_current_history)
        history_buttons = QHBoxLayout()
        history_buttons.addWidget(record)
        history_buttons.addWidget(self.edit_history_button)
        history_buttons.addStretch(1)
        history_layout.addLayout(history_buttons)
        self.tabs.addTab(self._build_follow_ups(), "&Follow-ups")
        self.tabs.addTab(history_page, "&History")

        layout = QVBoxLayout(page)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

    def _build_follow_ups(self) -> QWidget:
        page = QWidget()
        self.follow_ups = QTreeWidget()
        self.follow_ups.setObjectName("contactFollowUps")
        self.follow_ups.setHeaderLabels(["Due", "Kind", "Regarding", "Priority"])
        self.follow_ups.setRootIsDecorated(False)
        self.follow_ups.setAlternatingRowColors(True)
        columns = self.follow_ups.header()
        columns.setStretchLastSection(False)
        for column in (0, 1, 3):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.follow_ups.itemActivated.connect(
            lambda item, _column: self.clearRequested.emit(item.data(0, ID_ROLE))
        )
        self.follow_ups_empty = QLabel("No next step. Schedule one so this lead does not go cold.")
        self.follow_ups_empty.setWordWrap(True)
        schedule = QPushButton("Schedule…")
        schedule.setToolTip("Schedule a follow-up with this contact (Ctrl+Shift+F)")
        schedule.clicked.connect(self.scheduleRequested)
        self.clear_activity_button = QPushButton("Clear…")
        self.clear_activity_button.setToolTip("Log how it went (Enter)")
        self.clear_activity_button.clicked.connect(lambda: self._emit_activity(self.clearRequested))
        self.edit_activity_button = QPushButton("Edit…")
        self.edit_activity_button.clicked.connect(
            lambda: self._emit_activity(self.editActivityRequested)
        )
        buttons = QHBoxLayout()
        for button in (schedule, self.clear_activity_button, self.edit_activity_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.follow_ups_empty)
        layout.addWidget(self.follow_ups, 1)
        layout.addLayout(buttons)
        return page

    def _emit_activity(self, signal: Signal) -> None:
        item = self.follow_ups.currentItem()
        if item is not None:
            signal.emit(item.data(0, ID_ROLE))  # type: ignore[attr-defined]

    def _fill_follow_ups(self) -> None:
        assert self.details is not None
        self.follow_ups.clear()
        now = self.book.clock.moment()
        rows = self.book.tasks(TaskQuery(Bucket.OPEN, contact_id=self.details.id), now, 0, 200)
        for row in rows:
            item = QTreeWidgetItem(
                self.follow_ups,
                [
                    describe_due(row.due, row.timing, now),
                    KIND_TITLES.get(row.kind, row.kind),
                    row.regarding,
                    row.priority.capitalize(),
                ],
            )
            item.setData(0, ID_ROLE, row.activity_id)
            if row.overdue:
                for column in range(4):
                    item.setForeground(column, OVERDUE_COLOR)
        if rows:
            self.follow_ups.setCurrentItem(self.follow_ups.topLevelItem(0))
            first = rows[0]
            what = titled(first.kind, first.regarding)
            due = describe_due(first.due, first.timing, now)
            overdue = " (overdue)" if first.overdue else ""
            self.next_step_label.setText(f"Next step: {what}, {due}{overdue}")
            color = "#c62828" if first.overdue else "#2e7d32"
        else:
            self.next_step_label.setText("⚑ No next step: Ctrl+Shift+F schedules one")
            color = "#b26a00"
        self.next_step_label.setStyleSheet(f"color: {color};")
        self.follow_ups_empty.setVisible(not rows)
        self.follow_ups.setVisible(bool(rows))
        self.clear_activity_button.setEnabled(bool(rows))
        self.edit_activity_button.setEnabled(bool(rows))

    def _build_notes(self) -> QWidget:
        page = QWidget()
        self.notes_list = QListWidget()
        self.notes_list.setWordWrap(True)
        self.notes_list.setSpacing(3)
        self.notes_list.setAlternatingRowColors(True)
        self.notes_list.currentItemChanged.connect(self._note_chosen)
        self.note_editor = QPlainTextEdit()
        self.note_editor.setPlaceholderText("Write a note… (Ctrl+Enter saves)")
        self.note_editor.setMaximumHeight(120)
        self.note_editor.textChanged.connect(self._note_text_changed)
        self.save_note_button = QPushButton("Add note")
        self.save_note_button.setEnabled(False)
        self.save_note_button.clicked.connect(self.save_note)
        self.new_note_button = QPushButton("New note")
        self.new_note_button.clicked.connect(self.start_new_note)
        self.pin_button = QPushButton("Pin as talking point")
        self.pin_button.setEnabled(False)
        self.pin_button.clicked.connect(self._toggle_pin)
        self.delete_note_button = QPushButton("Delete note")
        self.delete_note_button.setEnabled(False)
        self.delete_note_button.clicked.connect(self._delete_note)
        QShortcut(QKeySequence("Ctrl+Return"), self.note_editor, self.save_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_note_button)
        buttons.addWidget(self.new_note_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pin_button)
        buttons.addWidget(self.delete_note_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.notes_list, 1)
        layout.addWidget(self.note_editor)
        layout.addLayout(buttons)
        return page

    # Showing a contact
    def show_contact(self, contact_id: uuid.UUID | None) -> None:
        """Show a contact (None: the empty state). Saves a note being written first."""
        self.save_pending_note()
        if contact_id is None:
            self.details = None
            self.stack.setCurrentWidget(self.empty)
            return
        try:
            self.details = self.book.contact(contact_id)
        except CallsheetError as error:
            self.details = None
            self.stack.setCurrentWidget(self.empty)
            self.failed.emit(error)
            return
        self.stack.setCurrentIndex(1)
        self._fill_header()
        self._fill_fields()
        self._fill_notes()
        self._fill_follow_ups()
        self._fill_history()

    def reload(self) -> None:
        self.show_contact(self.details.id if self.details else None)

    def _fill_header(self) -> None:
        d = self.details
        assert d is not None
        self.avatar.set_name(d.display_name)
        self.name_label.setText(d.display_name)
        role = html.escape(d.title)
        if d.company:
            company = html.escape(d.company)
            link = f'<a href="company:{d.company_id}">{company}</a>' if d.company_id else company
            role = f"{role} · {link}" if role else link
        self.role_label.setText(role)
        self.role_label.setVisible(bool(role))

    def _fill_fields(self) -> None:
        d = self.details
        assert d is not None
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)

        def add(label: str, text: str, rich: bool = False) -> None:
            value = QLabel(text)
            value.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setOpenExternalLinks(rich)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            self.fields_form.addRow(f"{label}:", value)

        for email in d.emails:
            address = html.escape(email.address)
            add(f"Email ({email.label})", f'<a href="mailto:{address}">{address}</a>', rich=True)
        for phone in d.phones:
            shown = (
                phone.number
                if not phone.e164 or phone.e164 == phone.number
                else f"{phone.number}   ({phone.e164})"
            )
            add(f"Phone ({phone.label})", shown)
        for address in d.addresses:
            lines = [
                address.street,
                " ".join(p for p in (address.postal_code, address.city) if p),
                address.region,
                country_name(address.country) if address.country else "",
            ]
            add(f"Address ({address.label})", "\n".join(line for line in lines if line))
        for url in d.urls:
            target = url.url if "://" in url.url else f"https://{url.url}"
            add(
                f"Web ({url.label})",
                f'<a href="{html.escape(target)}">{html.escape(url.url)}</a>',
                rich=True,
            )
        for profile in self.book.profiles(d.id):
            if profile.network == "gravatar" or not profile.url.startswith("https://"):
                continue
            title = NETWORK_TITLES.get(profile.network, profile.network.capitalize())
            link = f'<a href="{html.escape(profile.url)}">{html.escape(profile.handle)}</a>'
            add(title, link + (" (no longer exists)" if profile.gone_at else ""), rich=True)
        referrer = self.book.referrer(d.id) if d.referred_by_id else None
        if referrer is not None:
            add("Referred by", referrer[1])
        if d.nickname:
            add("Nickname", d.nickname)
        if d.department:
            add("Department", d.department)
        if d.birthday:
            add("Birthday", birthday(d.birthday))
        add("Groups", ", ".join(g.name for g in d.groups) or "None")
        if d.owner:
            add("Account owner", d.owner)
        for label, value in sorted(d.custom_fields.items()):
            add(label, value)
        if d.background:
            add("Background", d.background)
        add("Added", when(d.created_at))
        add("Updated", when(d.updated_at))

    def _fill_notes(self) -> None:
        assert self.details is not None
        self.notes_list.blockSignals(True)
        self.notes_list.clear()
        for note in self.book.notes(self.details.id):
            pin = "★ Talking point: " if note.pinned else ""
            shown = (
                note.body
                if len(note.body) <= NOTE_PREVIEW
                else note.body[:NOTE_PREVIEW].rstrip() + "… (select to read all)"
            )
            item = QListWidgetItem(f"{pin}{shown}\n— {when(note.updated_at)}")
            if note.pinned:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            item.setData(NOTE_ID, str(note.id))
            item.setData(NOTE_PINNED, note.pinned)
            item.setData(NOTE_BODY, note.body)
            self.notes_list.addItem(item)
        if not self.notes_list.count():
            placeholder = QListWidgetItem("No notes yet. Write one below.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.notes_list.addItem(placeholder)
        self.notes_list.blockSignals(False)
        self._editing_note = None
        self.note_editor.blockSignals(True)
        self.note_editor.clear()
        self.note_editor.document().setModified(False)
        self.note_editor.blockSignals(False)
        self._update_note_buttons()

    def _fill_history(self) -> None:
        assert self.details is not None
        self.history.clear()
        rows = self.book.history(self.details.id)
        for row in rows:
            notes = " ".join((row.notes or "").split())
            item = QTreeWidgetItem(
                self.history,
                [
                    when(row.occurred_at),
                    HISTORY_KIND_TITLES.get(row.kind, row.kind.capitalize()),
                    row.regarding,
                    row.outcome.capitalize(),
                    str(row.duration_minutes or ""),
                    notes,
                ],
            )
            item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            if row.notes:
                item.setToolTip(5, row.notes)
        self.history_empty.setVisible(not rows)
        self.history.setVisible(bool(rows))
        self._update_history_buttons()

    def _history_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.historyEditRequested.emit(item.data(0, Qt.ItemDataRole.UserRole))

    def _edit_current_history(self) -> None:
        item = self.history.currentItem()
        if item is not None:
            self._history_activated(item, 0)

    def _update_history_buttons(self) -> None:
        self.edit_history_button.setEnabled(self.history.currentItem() is not None)

    # Notes
    def start_new_note(self) -> None:
        """Clear the editor for a new note and put the cursor there (Ctrl+Shift+N)."""
        if self.details is None:
            return
        self.save_pending_note()
        self.tabs.setCurrentIndex(1)
        self.notes_list.setCurrentItem(None)
        self._editing_note = None
        self.note_editor.clear()
        self.note_editor.setFocus()
        self._update_note_buttons()

    def save_note(self) -> None:
        """Save the editor's text: a new note, or the chosen note's new text."""
        if self.details is None or not self.note_editor.toPlainText().strip():
            return
        try:
            if self._editing_note is None:
                self.book.add_note(self.details.id, self.note_editor.toPlainText())
            else:
                self.book.edit_note(self._editing_note, self.note_editor.toPlainText())
        except CallsheetError as error:
            self.failed.emit(error)
            return
        self._fill_notes()

    def save_pending_note(self) -> None:
        """Nothing typed is lost: a note being written is saved before leaving it."""
        if (
            self.details is not None
            and self.note_editor.document().isModified()
            and self.note_editor.toPlainText().strip()
        ):
            self.save_note()

    def _note_chosen(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is None or item.data(NOTE_ID) is None:
            return
        self.save_pending_note()
        self._editing_note = uuid.UUID(item.data(NOTE_ID))
        self.note_editor.blockSignals(True)
        self.note_editor.setPlainText(item.data(NOTE_BODY))
        self.note_editor.document().setModified(False)
        self.note_editor.blockSignals(False)
        self._update_note_buttons()

    def _note_text_changed(self) -> None:
        self._update_note_buttons()

    def _update_note_buttons(self) -> None:
        chosen = self._editing_note is not None
        self.save_note_button.setText("Save note" if chosen else "Add note")
        self.save_note_button.setEnabled(bool(self.note_editor.toPlainText().strip()))
        self.pin_button.setEnabled(chosen)
        self.delete_note_button.setEnabled(chosen)
        item = self.notes_list.currentItem()
        pinned = bool(item and item.data(NOTE_PINNED))
        self.pin_button.setText("Unpin" if chosen and pinned else "Pin as talking point")

    def _toggle_pin(self) -> None:
        item = self.notes_list.currentItem()
        if item is None or self._editing_note is None:
            return
        try:
            self.book.edit_note(
                self._editing_note, item.data(NOTE_BODY), pinned=not item.data(NOTE_PINNED)
            )
        except CallsheetError as error:
            self.failed.emit(error)
        self._fill_notes()

    def _delete_note(self) -> None:
        if self._editing_note is None:
            return
        note_id = self._editing_note
        try:
            self.book.trash_note(note_id)
        except CallsheetError as error:
            self.failed.emit(error)
            return
        self.undo.push(
            TrashNote(note_id, self.book, lambda _contact: self.reload(), self.failed.emit)
        )
        self._fill_notes()

    def _company_link(self, link: str) -> None:
        if link.startswith("company:"):
            self.companyChosen.emit(uuid.UUID(link.removeprefix("company:")))
