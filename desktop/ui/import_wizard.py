"""File > Import: choose a file (and, if need be, its encoding and the tool that wrote
it), map a table's columns to Callsheet's fields, and see what the import will do,
record by record, before anything is written. The import itself runs in the main
window (ImportRunner) once the user presses Import."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from db.errors import CallsheetError
from db.gc_pause import cyclic_gc_paused
from desktop.contact_book import ContactBook
from desktop.interop.ical import CalendarPlan
from desktop.interop.importer import Action, OnDuplicate, Preview, Step
from desktop.interop.kinds import detect_format
from desktop.interop.mapping import plan_rows
from desktop.interop.plan import RowProblem
from desktop.interop.presets import PRESET_TITLES, detect_preset, guess_mapping
from desktop.interop.table import Table, read_raw, read_table, read_text
from desktop.interop.targets import SKIP, choices, target_title
from desktop.interop.vcard import plan_vcards
from desktop.models.record_table import Column, RecordTableModel
from desktop.settings import IMPORT_ON_DUPLICATE, Settings
from desktop.ui.file_row import file_row
from desktop.ui.workers import JobRunner

FILE_FILTER = (
    "Contacts and calendars (*.csv *.tsv *.txt *.vcf *.vcard *.ics *.ical);;"
    "Tables (*.csv *.tsv *.txt);;vCards (*.vcf *.vcard);;iCalendar (*.ics *.ical);;All files (*)"
)
FORMATS = (
    ("", "Detect from the file"),
    ("csv", "Table (CSV or TSV, from a spreadsheet, Google, Outlook or Act!)"),
    ("vcf", "vCard contacts (phones, Apple, Google, Outlook)"),
    ("ics", "iCalendar follow-ups and history"),
)
ENCODINGS = (
    ("", "Detect automatically"),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp1252", "Windows-1252 (Western Europe; Outlook's usual)"),
    ("cp1250", "Windows-1250 (Central Europe)"),
    ("iso-8859-1", "ISO-8859-1 (Latin-1)"),
    ("iso-8859-2", "ISO-8859-2 (Latin-2)"),
    ("mac_roman", "Mac OS Roman"),
)
PRESETS = (("", "Detect from the header"), *PRESET_TITLES.items(), ("none", "By column names"))
ON_DUPLICATE = (
    (OnDuplicate.MERGE, "Merge: fill in what Callsheet lacks"),
    (OnDuplicate.SKIP, "Skip the record"),
    (OnDuplicate.ADD, "Add it anyway, as a new contact"),
)
SAMPLE_VALUES = 3
ACTION_WORDS = {
    Action.CREATE: "Create",
    Action.UPDATE: "Update",
    Action.MERGE: "Merge",
    Action.SKIP: "Skip",
}
SOURCE_PAGE, MAPPING_PAGE, PREVIEW_PAGE = range(3)


@dataclass
class ImportSource:
    """The file as the first page read it."""

    path: Path
    format: str
    encoding: str = ""
    table: Table | None = None
    text: str = ""  # a vCard file's text
    data: bytes = b""  # a calendar file's bytes
    preset: str | None = None


class ImportWizard(QWizard):
    """After `exec()` returns Accepted, `preview` (contacts) or `calendar` holds what to
    import, and `source` the file it comes from."""

    def __init__(
        self,
        book: ContactBook,
        settings: Settings,
        region: str,
        path: Path | None = None,
        parent: QWidget | None = None,
        jobs: JobRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.settings = settings
        self.region = region
        self.source: ImportSource | None = None
        self.preview: Preview | None = None
        self.calendar: CalendarPlan | None = None
        # Given a runner that outlives the wizard (the window's), closing the wizard while
        # a big preview is worked out does not wait for it; the answer is dropped.
        self.jobs = jobs or JobRunner(self, serial=True)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Import")
        self.source_page = SourcePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.setPage(SOURCE_PAGE, self.source_page)
        self.setPage(MAPPING_PAGE, self.mapping_page)
        self.setPage(PREVIEW_PAGE, self.preview_page)
        self.resize(900, 640)
        if path is not None:
            self.source_page.path_box.setText(str(path))

    def done(self, result: int) -> None:
        self.preview_page.forget()
        super().done(result)


class SourcePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the file to import")
        self.setSubTitle(
            "Contacts come from a table (CSV or TSV) or a vCard file; follow-ups and history "
            "from an iCalendar file. Nothing is written until you press Import."
        )
        self.path_box = QLineEdit()
        self.path_box.setObjectName("importFile")
        self.path_box.setPlaceholderText("The file exported from your phone, Google, Outlook…")
        self.path_box.textChanged.connect(self._path_changed)
        file_label, path_row = file_row(self.path_box, self._browse)
        self.format_box = _combo("importFormat", FORMATS)
        self.encoding_box = _combo("importEncoding", ENCODINGS)
        self.encoding_box.setToolTip(
            "Detection gets UTF-8, UTF-16 and Windows-1252 right. If names come out with "
            "wrong letters (a Czech or Polish file read as Western), choose the encoding here."
        )
        self.preset_box = _combo("importPreset", PRESETS)
        self.preset_box.setToolTip("Which tool wrote the table; it decides the column mapping.")
        self.error_label = QLabel()
        self.error_label.setObjectName("sourceError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow(file_label, path_row)
        form.addRow("&Kind:", self.format_box)
        form.addRow("&Encoding:", self.encoding_box)
        form.addRow("&Written by:", self.preset_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.path_box.setFocus()

    def _browse(self) -> None:
        start = self.path_box.text() or str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self, "Import from", start, FILE_FILTER)
        if chosen:
            self.path_box.setText(chosen)

    def _path_changed(self) -> None:
        self.error_label.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.path_box.text().strip())

    def validatePage(self) -> bool:
        path = Path(self.path_box.text().strip()).expanduser()
        encoding = str(self.encoding_box.currentData())
        format = detect_format(path, str(self.format_box.currentData()) or None)
        source = ImportSource(path, format, encoding)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if format == "csv":
                with cyclic_gc_paused():
                    source.table = read_table(path, encoding or None)
                source.encoding = source.table.encoding
                chosen = str(self.preset_box.currentData())
                source.preset = (
                    detect_preset(source.table.headers) if not chosen else
                    None if chosen == "none" else chosen
                )  # fmt: skip
            elif format == "vcf":
                source.text, source.encoding = read_text(path, encoding or None)
            else:
                source.data = read_raw(path)
        except CallsheetError as error:
            self.error_label.setText(str(error))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.owner.source = source
        return True

    def nextId(self) -> int:
        format = str(self.format_box.currentData())
        if not format and self.path_box.text().strip():
            format = detect_format(Path(self.path_box.text().strip()))
        return MAPPING_PAGE if format == "csv" else PREVIEW_PAGE


class MappingPage(QWizardPage):
    """One row per column of the file: its header, its first values, and the field it
    is imported as. The choice is remembered for files with the same header."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Match the columns to Callsheet's fields")
        self.setSubTitle("Each column of the table becomes the field chosen beside it.")
        self.about = QLabel()
        self.about.setObjectName("mappingAbout")
        self.about.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setObjectName("mappingWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b3261e;")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("mappingTable")
        self.table.setHorizontalHeaderLabels(["Column in the file", "First values", "Import as"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(2, 280)
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("resetMapping")
        self.reset_button.clicked.connect(lambda: self._fill(self._guessed()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.warning, 1)
        buttons.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.boxes: list[QComboBox] = []

    @property
    def headers(self) -> list[str]:
        source = self.owner.source
        return source.table.headers if source is not None and source.table is not None else []

    def initializePage(self) -> None:
        source = self.owner.source
        assert source is not None and source.table is not None
        table = source.table
        delimiter = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}[table.delimiter]
        kind = PRESET_TITLES.get(source.preset or "", "a table")
        self.about.setText(
            f"<b>{source.path.name}</b>: {len(table.rows):,} rows, read as {kind} "
            f"({table.encoding}, {delimiter}-separated). Choose what each column holds; "
            "columns set to “Don't import” are left out."
        )
        self.reset_button.setText(
            f"Use the {PRESET_TITLES[source.preset]} &mapping"
            if source.preset in PRESET_TITLES
            else "&Guess from the column names"
        )
        remembered = self._remembered()
        self._fill(remembered if remembered is not None else self._guessed())
        if remembered is not None:
            self.about.setText(
                self.about.text() + " The mapping you chose for this layout last time is used."
            )

    def _guessed(self) -> dict[str, str]:
        source = self.owner.source
        return guess_mapping(self.headers, source.preset if source else None)

    def _fill(self, mapping: dict[str, str]) -> None:
        source = self.owner.source
        assert source is not None and source.table is not None
        offered = choices(tuple(mapping.values()))
        self.table.setRowCount(len(self.headers))
        self.boxes = []
        for row, header in enumerate(self.headers):
            self.table.setItem(row, 0, QTableWidgetItem(header))
            samples = _samples(source.table, row)
            item = QTableWidgetItem(samples)
            item.setToolTip(samples)
            self.table.setItem(row, 1, item)
            box = QComboBox()
            box.setObjectName(f"mapping:{header}")
            box.setMaxVisibleItems(20)
            for target in offered:
                box.addItem(target_title(target), target)
            box.setCurrentIndex(max(box.findData(mapping.get(header, SKIP)), 0))
            box.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(row, 2, box)
            self.boxes.append(box)
        self._changed()

    def mapping(self) -> dict[str, str]:
        """Header -> field, for the columns that are imported."""
        return {
            header: str(box.currentData())
            for header, box in zip(self.headers, self.boxes, strict=True)
            if box.currentData()
        }

    def _changed(self) -> None:
        chosen = [str(box.currentData()) for box in self.boxes if box.currentData()]
        twice = sorted({target_title(t) for t in chosen if chosen.count(t) > 1})
        if twice:
            self.warning.setText(f"Two columns are imported as {', '.join(twice)}; choose one.")
        elif not chosen:
            self.warning.setText("No column is imported; choose what at least one holds.")
        else:
            self.warning.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.boxes) and not self.warning.text()

    def validatePage(self) -> bool:
        self.owner.settings.set_state(self._key(), json.dumps(self.mapping()))
        return True

    def _remembered(self) -> dict[str, str] | None:
        saved = self.owner.settings.state(self._key())
        if not saved:
            return None
        try:
            mapping = json.loads(str(saved))
        except ValueError:
            return None
        return mapping if isinstance(mapping, dict) else None

    def _key(self) -> str:
        digest = hashlib.sha1("\x1f".join(self.headers).encode(), usedforsecurity=False)
        return f"import/mapping/{digest.hexdigest()[:16]}"


class PreviewPage(QWizardPage):
    """The counts of what the import will do, each record's step, and the problems."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("What the import will do")
        self.setSubTitle(
            "Nothing has been written yet. A value that cannot be read waits in a custom "
            "field; only a record with nothing usable stays out."
        )
        self._generation = 0
        self.ready = False
        self.on_duplicate = QComboBox()
        self.on_duplicate.setObjectName("onDuplicate")
        for value, text in ON_DUPLICATE:
            self.on_duplicate.addItem(text, value)
        saved = wizard.settings.get(IMPORT_ON_DUPLICATE)
        self.on_duplicate.setCurrentIndex(max(self.on_duplicate.findData(saved), 0))
        self.on_duplicate.currentIndexChanged.connect(lambda _i: self._start())
        self.duplicate_row = QWidget()
        duplicate_layout = QHBoxLayout(self.duplicate_row)
        duplicate_layout.setContentsMargins(0, 0, 0, 0)
        duplicate_layout.addWidget(
            QLabel("When a record is someone already in Callsheet (or earlier in the file):")
        )
        duplicate_layout.addWidget(self.on_duplicate, 1)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.status = QLabel()
        self.status.setObjectName("previewStatus")
        self.status.setWordWrap(True)
        self.counts: dict[str, QLabel] = {}
        counts = QGridLayout()
        for column, (key, caption) in enumerate(
            (
                ("create", "to create"),
                ("update", "to update"),
                ("merge", "to merge"),
                ("skip", "to skip"),
                ("problems", "with problems"),
            )
        ):
            figure = QLabel("–")
            figure.setObjectName(f"count:{key}")
            figure.setAlignment(Qt.AlignmentFlag.AlignCenter)
            figure.setStyleSheet("font-size: 18pt; font-weight: 600;")
            label = QLabel(caption)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            counts.addWidget(figure, 0, column)
            counts.addWidget(label, 1, column)
            self.counts[key] = figure
            self.counts[f"{key}:caption"] = label
        self.steps_model: RecordTableModel[Step] = RecordTableModel(
            [
                Column("Row", lambda s: f"{s.unit} {s.row:,}", align_right=True),
                Column("Name", lambda s: s.name),
                Column("Will", lambda s: ACTION_WORDS[s.action]),
                Column("Why", lambda s: s.reason),
            ],
            self,
        )
        self.problems_model: RecordTableModel[RowProblem] = RecordTableModel(
            [
                Column("Row", lambda p: f"{p.unit} {p.row:,}", align_right=True),
                Column("Column", lambda p: p.column),
                Column("What is wrong", lambda p: p.message),
            ],
            self,
        )
        self.steps = _record_table("previewSteps", self.steps_model, (90, 220, 80))
        self.problems = _record_table("previewProblems", self.problems_model, (90, 180))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.steps, "Records")
        self.tabs.addTab(self.problems, "Problems")
        layout = QVBoxLayout(self)
        layout.addWidget(self.duplicate_row)
        layout.addLayout(counts)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)

    def initializePage(self) -> None:
        source = self.owner.source
        self.duplicate_row.setVisible(source is not None and source.format != "ics")
        self._start()

    def cleanupPage(self) -> None:
        self.forget()

    def forget(self) -> None:
        """Drop an answer still being worked out (the user went back or left)."""
        self._generation += 1

    def _start(self) -> None:
        source = self.owner.source
        if source is None:
            return
        self._generation += 1
        generation = self._generation
        self.ready = False
        self.completeChanged.emit()
        self.busy.show()
        self.status.setText(f"Reading {source.path.name} and looking for duplicates…")
        on_duplicate = OnDuplicate(self.on_duplicate.currentData())
        self.owner.settings.set(IMPORT_ON_DUPLICATE, on_duplicate.value)
        mapping = self.owner.mapping_page.mapping() if source.format == "csv" else {}
        self.owner.jobs.start(
            work_out,
            self.owner.book,
            source,
            mapping,
            self.owner.region,
            on_duplicate,
            on_done=lambda result: self._done(generation, result),
            on_failed=lambda error: self._failed(generation, error),
        )

    def _done(self, generation: int, result: Preview | CalendarPlan) -> None:
        if generation != self._generation:
            return
        self.busy.hide()
        if isinstance(result, Preview):
            self._show_preview(result)
        else:
            self._show_calendar(result)
        self.ready = True
        self.completeChanged.emit()

    def _failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self.busy.hide()
        self.status.setText(f"<span style='color:#b3261e'>{error}</span>")

    def _show_preview(self, preview: Preview) -> None:
        self.owner.preview, self.owner.calendar = preview, None
        counts = preview.counts()
        for action in Action:
            self.counts[action.value].setText(f"{counts[action]:,}")
            self.counts[f"{action.value}:caption"].setText(f"to {action.value}")
        self.counts["problems"].setText(f"{preview.rejected:,}")
        self.steps_model.set_records(preview.steps)
        self._show_problems(preview.problems)
        writes = sum(1 for step in preview.steps if step.writes)
        left_out = _left_out(preview.unmapped)
        if writes:
            self.status.setText(
                f"Press Import to write {_records(writes)}. Undo (Ctrl+Z) takes the whole "
                "import back."
                + self._problem_note(preview.rejected, len(preview.problems))
                + left_out
            )
        else:
            self.status.setText(
                "There is nothing new to import." + self._problem_note(0) + left_out
            )

    def _show_calendar(self, plan: CalendarPlan) -> None:
        self.owner.preview, self.owner.calendar = None, plan
        figures = (
            ("create", len(plan.todos), "follow-ups to add"),
            ("update", len(plan.journals), "history entries to add"),
            ("merge", 0, ""),
            ("skip", plan.skipped, "already here or done"),
        )
        for key, value, caption in figures:
            self.counts[key].setText(f"{value:,}" if caption else "")
            self.counts[f"{key}:caption"].setText(caption)
        self.counts["problems"].setText(f"{len(plan.problems):,}")
        self.steps_model.set_records([])
        self._show_problems(plan.problems)
        self.status.setText(
            plan.summary().capitalize() + ". Undo (Ctrl+Z) takes the whole import back."
        )

    def _show_problems(self, problems: list[RowProblem]) -> None:
        self.problems_model.set_records(problems)
        self.tabs.setTabText(0, f"Records ({self.steps_model.rowCount():,})")
        self.tabs.setTabText(1, f"Problems ({len(problems):,})")
        self.tabs.setCurrentIndex(1 if problems else 0)

    @staticmethod
    def _problem_note(rejected: int, problems: int) -> str:
        if rejected:
            return (
                f" {_records(rejected)} with problems stay"
                f"{'s' if rejected == 1 else ''} out; the list says where, so you can "
                "mend the file and import it again."
            )
        if problems:
            return (
                " Values that could not be read are left out and kept in custom fields; "
                "the Problems list says which."
            )
        return ""

    def isComplete(self) -> bool:
        if not self.ready:
            return False
        if self.owner.calendar is not None:
            return bool(self.owner.calendar.todos or self.owner.calendar.journals)
        return self.owner.preview is not None and any(s.writes for s in self.owner.preview.steps)


def work_out(
    book: ContactBook,
    source: ImportSource,
    mapping: dict[str, str],
    region: str,
    on_duplicate: OnDuplicate,
) -> Preview | CalendarPlan:
    """What importing `source` would do (runs off the UI thread)."""
    if source.format == "ics":
        return book.calendar_plan(source.data)
    if source.format == "vcf":
        plan = plan_vcards(source.text, region)
        if not plan.rows:
            raise CallsheetError(f"{source.path.name} holds no vCards (no BEGIN:VCARD line).")
    else:
        assert source.table is not None
        plan = plan_rows(source.table, mapping, region)
    return book.import_preview(plan, on_duplicate)


def _left_out(columns: tuple[str, ...]) -> str:
    if not columns:
        return ""
    return f" Not imported (no field takes them; Back maps them): {', '.join(columns)}."


def _records(count: int) -> str:
    return f"{count:,} record" + ("" if count == 1 else "s")


def _samples(table: Table, column: int) -> str:
    found: list[str] = []
    for row in table.rows:
        if column < len(row) and row[column].strip() and row[column].strip() not in found:
            found.append(" ".join(row[column].split())[:60])
            if len(found) == SAMPLE_VALUES:
                break
    return "  ·  ".join(found)


def _combo(name: str, items: tuple[tuple[Any, str], ...]) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    for value, text in items:
        box.addItem(text, value)
    return box


def _record_table(name: str, model: RecordTableModel[Any], widths: tuple[int, ...]) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view
