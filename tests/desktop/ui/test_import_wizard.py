"""The import wizard as a user walks it: the file, the column mapping (remembered for
the next file of that layout), the preview with its counts and problems, and the
import from the main window, undone with Ctrl+Z."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QWizard

from desktop.contact_book import ContactBook
from desktop.ui.import_wizard import MAPPING_PAGE, PREVIEW_PAGE, ImportWizard
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import user_settings
from tests.desktop.conftest import when_dialog_opens
from tests.factories import add_contact
from tests.locations import FIXTURES

SHEET = (
    "Name,Firma,E-mail,Mobil,Birthday\n"
    "Ada Lovelace,Analytical Ltd,ada@analytical.example,+44 7700 900123,1815-12-10\n"
    "Maya Lund,Fjordline,maya.lund@fjordline.example,,\n"
    "Bad Date,Acme,bad@acme.example,,31/31/1999\n"
    "No Mail,Acme,not-an-email,,\n"
    "Grace Hopper,Navy,grace@navy.example,+1 202 555 0100,\n"
)


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(SHEET, encoding="utf-8")
    return path


def open_wizard(qtbot, book: ContactBook, path: Path) -> ImportWizard:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(book, user_settings(), "US", path)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def mapping_box(wizard: ImportWizard, header: str) -> QComboBox:
    page = wizard.mapping_page
    assert header in page.headers, f"no column {header}"
    return page.boxes[page.headers.index(header)]


def choose(box: QComboBox, target: str) -> None:
    index = box.findData(target)
    assert index >= 0, f"{target} is not offered"
    box.setCurrentIndex(index)


def wait_for_preview(qtbot, wizard: ImportWizard) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: wizard.preview_page.ready, timeout=15_000)


def walk_wizard(
    qtbot,  # type: ignore[no-untyped-def]
    path: Path,
    on_mapping: Callable[[ImportWizard], None] | None = None,
    on_preview: Callable[[ImportWizard], None] | None = None,
) -> None:
    """When the wizard opens: choose `path`, map (if it is a table), wait for the
    preview, check it, and press Import; after a failure, close it so the test goes on."""

    def walk(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportWizard)
        try:
            dialog.source_page.path_box.setText(str(path))
            dialog.next()
            if dialog.currentId() == MAPPING_PAGE:
                if on_mapping is not None:
                    on_mapping(dialog)
                dialog.next()
            wait_for_preview(qtbot, dialog)
            if on_preview is not None:
                on_preview(dialog)
            dialog.accept()
        finally:
            if dialog.isVisible():
                dialog.reject()

    when_dialog_opens(walk)


def cells(view, row: int) -> list[str]:  # type: ignore[no-untyped-def]
    model = view.model()
    return [model.index(row, column).data() for column in range(model.columnCount())]


def test_the_mapping_step_shows_each_column_with_its_values_and_guess(
    qtbot, book: ContactBook, sheet: Path
) -> None:  # type: ignore[no-untyped-def]
    wizard = open_wizard(qtbot, book, sheet)
    wizard.next()
    assert wizard.currentId() == MAPPING_PAGE
    table = wizard.mapping_page.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        "Name", "Firma", "E-mail", "Mobil", "Birthday",
    ]  # fmt: skip
    assert "Ada Lovelace" in table.item(0, 1).text()
    assert mapping_box(wizard, "Name").currentData() == "display_name"
    assert mapping_box(wizard, "E-mail").currentData() == "email:work"
    # Headers nobody guesses stay out until the user says what they hold.
    assert mapping_box(wizard, "Firma").currentData() == ""
    assert mapping_box(wizard, "Mobil").currentData() == ""
    assert "5 rows" in wizard.mapping_page.about.text()


def test_two_columns_for_one_field_block_the_next_step_with_a_reason(
    qtbot, book: ContactBook, sheet: Path
) -> None:  # type: ignore[no-untyped-def]
    wizard = open_wizard(qtbot, book, sheet)
    wizard.next()
    choose(mapping_box(wizard, "Firma"), "display_name")
    assert not wizard.mapping_page.isComplete()
    assert "Full name" in wizard.mapping_page.warning.text()
    choose(mapping_box(wizard, "Firma"), "company")
    assert wizard.mapping_page.isComplete()
    assert wizard.mapping_page.warning.text() == ""


def test_the_chosen_mapping_is_remembered_for_a_file_of_the_same_layout(
    qtbot, book: ContactBook, sheet: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wizard = open_wizard(qtbot, book, sheet)
    wizard.next()
    choose(mapping_box(wizard, "Firma"), "company")
    choose(mapping_box(wizard, "Mobil"), "phone:mobile")
    wizard.next()
    wait_for_preview(qtbot, wizard)
    wizard.reject()

    later = tmp_path / "more people.csv"
    later.write_text(SHEET.splitlines()[0] + "\nAlan Turing,Bletchley,alan@bp.example,,\n")
    again = open_wizard(qtbot, book, later)
    again.next()
    assert mapping_box(again, "Firma").currentData() == "company"
    assert mapping_box(again, "Mobil").currentData() == "phone:mobile"
    assert "last time" in again.mapping_page.about.text()
    again.mapping_page.reset_button.click()
    assert mapping_box(again, "Firma").currentData() == ""


def test_the_preview_counts_what_will_happen_and_lists_problems_by_row_and_column(
    qtbot, book: ContactBook, sheet: Path
) -> None:  # type: ignore[no-untyped-def]
    add_contact(book, "Maya", "Lund", emails=("maya.lund@fjordline.example",))
    wizard = open_wizard(qtbot, book, sheet)
    wizard.next()
    choose(mapping_box(wizard, "Firma"), "company")
    wizard.next()
    assert wizard.currentId() == PREVIEW_PAGE
    wait_for_preview(qtbot, wizard)
    page = wizard.preview_page
    figures = {key: page.counts[key].text() for key in ("create", "update", "merge", "skip")}
    assert figures == {"create": "4", "update": "0", "merge": "1", "skip": "0"}
    assert page.counts["problems"].text() == "0"  # records kept out; none here
    assert page.tabs.currentWidget() is page.problems  # problems first when there are any
    assert page.tabs.tabText(1) == "Problems (2)"
    assert "write 5 records." in page.status.text()  # a bad cell keeps nobody out
    assert "kept in custom fields" in page.status.text()
    assert cells(page.problems, 0)[:2] == ["row 4", "Birthday"]
    assert "31/31/1999" in cells(page.problems, 0)[2]
    assert "kept in “Birthday as imported”" in cells(page.problems, 0)[2]
    assert cells(page.problems, 1)[:2] == ["row 5", "E-mail"]
    merge = next(
        r for r in range(page.steps_model.rowCount()) if cells(page.steps, r)[2] == "Merge"
    )
    assert cells(page.steps, merge)[1] == "Maya Lund"
    assert "same email" in cells(page.steps, merge)[3]
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()

    # Choosing to skip duplicates works the preview out again.
    box = page.on_duplicate
    box.setCurrentIndex(box.findData("skip"))
    wait_for_preview(qtbot, wizard)
    assert page.counts["merge"].text() == "0"
    assert page.counts["skip"].text() == "1"
    assert book.count() == 1  # nothing written by looking


def test_a_file_that_cannot_be_read_says_why_on_the_first_page(
    qtbot, book: ContactBook, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    wizard = open_wizard(qtbot, book, empty)
    wizard.next()
    assert wizard.currentId() == 0
    error = wizard.findChild(QLabel, "sourceError")
    assert "empty" in error.text()


def test_an_encoding_chosen_by_hand_reads_central_european_letters(
    qtbot, book: ContactBook, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "czech.csv"
    path.write_bytes("First Name,Last Name\nAntonín,Dvořák\nLeoš,Janáček\n".encode("cp1250"))
    wizard = open_wizard(qtbot, book, path)
    encoding = wizard.source_page.encoding_box
    encoding.setCurrentIndex(encoding.findData("cp1250"))
    wizard.next()
    assert wizard.mapping_page.table.item(1, 1).text().startswith("Dvořák")
    assert "cp1250" in wizard.mapping_page.about.text()


def test_an_import_from_the_window_lands_in_one_batch_and_ctrl_z_takes_it_back(
    qtbot, window: MainWindow, book: ContactBook, sheet: Path
) -> None:  # type: ignore[no-untyped-def]
    walk_wizard(qtbot, sheet, on_mapping=lambda d: choose(mapping_box(d, "Firma"), "company"))
    window.interop.import_file()
    qtbot.waitUntil(lambda: book.count() == 5, timeout=15_000)
    qtbot.waitUntil(lambda: window.undo_stack.canUndo())
    assert window.undo_stack.undoText() == "Import of people.csv"
    assert "Imported people.csv: 5 new" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)

    window.undo_action.trigger()
    assert "Taking back the import of people.csv" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: book.count() == 0)
    assert not window.undo_stack.canRedo()  # an import is done again by importing again
    assert [b.status for b in book.import_batches()] == ["undone"]


def test_a_file_dropped_on_the_window_opens_the_wizard_at_its_mapping(
    qtbot, window: MainWindow, sheet: Path
) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportWizard)
        seen.append(dialog.currentId())
        dialog.reject()

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(sheet))])
    drop = QDropEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, data,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    when_dialog_opens(look)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: seen == [MAPPING_PAGE])


def test_other_files_are_not_taken_as_a_drop(tmp_path: Path) -> None:
    from desktop.ui.interop import dropped_import_file as _dropped_file

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path / "photo.png"))])
    assert _dropped_file(data) is None
    data.setUrls([QUrl("https://example.com/people.csv")])
    assert _dropped_file(data) is None


def test_an_earlier_import_is_taken_back_from_the_import_history(
    qtbot, window: MainWindow, book: ContactBook, sheet: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from desktop.interop import importer
    from desktop.interop.files import plan_contacts
    from desktop.ui.import_history import ImportHistory

    plan, _ = plan_contacts(sheet, "csv", None, "US")
    preview = book.import_preview(plan, importer.OnDuplicate.MERGE)
    book.import_contacts(preview, str(sheet), "csv")  # an import of an earlier session
    assert book.count() == 5

    def open_history(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportHistory)
        first = dialog.list.topLevelItem(0)
        assert [first.text(n) for n in (1, 2, 3, 5)] == ["people.csv", "Table", "5", "Imported"]
        when_dialog_opens(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
        dialog.take_back.click()
        assert dialog.status.text() == "Taking back the import of people.csv…"
        qtbot.waitUntil(lambda: dialog.list.topLevelItem(0).text(5) == "Taken back")
        assert not dialog.take_back.isEnabled()
        dialog.accept()

    when_dialog_opens(open_history)
    window.import_history_action.trigger()
    assert book.count() == 0
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)


def test_a_vcard_file_goes_from_the_file_straight_to_the_preview(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    samples = FIXTURES / "import"
    wizard = ImportWizard(book, user_settings(), "CH", samples / "nextcloud_4.0.vcf")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentId() == PREVIEW_PAGE  # no columns to map
    wait_for_preview(qtbot, wizard)
    assert wizard.preview_page.counts["create"].text() == "2"
    assert cells(wizard.preview_page.steps, 0)[:3] == ["card 1", "Dr. Anna Müller", "Create"]


def test_a_calendar_file_imports_follow_ups_and_ctrl_z_takes_them_back(
    qtbot, window: MainWindow, book: ContactBook, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    maya = add_contact(book, "Maya", "Lund")
    calendar = tmp_path / "follow-ups.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//EN\r\n"
        "BEGIN:VTODO\r\nUID:pilot-pricing-1\r\nSUMMARY:Send pilot pricing\r\n"
        "DTSTART:20261201T090000Z\r\nCATEGORIES:call\r\n"
        f'CONTACT;ALTREP="urn:uuid:{maya}":Maya Lund\r\nEND:VTODO\r\n'
        "END:VCALENDAR\r\n"
    )

    def check(dialog: ImportWizard) -> None:
        assert dialog.preview_page.counts["create"].text() == "1"
        assert not dialog.preview_page.duplicate_row.isVisible()

    walk_wizard(qtbot, calendar, on_preview=check)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: window.undo_stack.canUndo())
    [task] = book.open_activities_of([maya])
    assert book.activity(task).draft.regarding == "Send pilot pricing"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: book.open_activities_of([maya]) == [])


def test_merge_is_offered_once_two_or_more_contacts_are_selected(
    qtbot, window: MainWindow, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    add_contact(book, "Maya", "Lund")
    add_contact(book, "Maja", "Lund")
    window.refresh_all()
    assert not window.merge_action.isEnabled()
    window.table.selectAll()
    assert window.merge_action.isEnabled()


def test_stop_keeps_what_landed_and_ctrl_z_takes_that_back(
    qtbot, window: MainWindow, book: ContactBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import threading

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from db.imports import ContactWriter
    from desktop.interop import importer

    # A transaction per record, and the second one held until Stop was pressed: Stop
    # lands between records however fast this machine is.
    monkeypatch.setattr(importer, "CHUNK", 1)
    stop_pressed = threading.Event()
    create = ContactWriter.create
    calls = 0

    def create_then_wait(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            stop_pressed.wait(60)
        return create(self, *args, **kwargs)

    monkeypatch.setattr(ContactWriter, "create", create_then_wait)
    big = tmp_path / "many.csv"
    big.write_text(
        "First Name,Last Name,E-mail\n"
        + "".join(f"Person{n},Family{n},p{n}@example.com\n" for n in range(5000))
    )

    walk_wizard(qtbot, big)
    window.import_action.trigger()
    progress = window.findChild(QProgressDialog, "interopProgress")
    assert progress is not None
    qtbot.waitUntil(lambda: progress.value() > 0, timeout=15_000)
    stop = progress.findChild(QPushButton)
    assert stop is not None and stop.text() == "Stop"
    stop.click()
    stop_pressed.set()
    qtbot.waitUntil(lambda: window.undo_stack.canUndo(), timeout=15_000)
    landed = book.count()
    assert landed == 2  # the record written when Stop was pressed is kept, then no more
    assert "Import stopped" in window.statusBar().currentMessage()
    [batch] = book.import_batches()
    assert batch.status == "cancelled" and batch.created_count == landed
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: book.count() == 0)


def test_an_older_google_export_maps_its_job_columns_and_names_what_it_leaves_out(
    qtbot, window: MainWindow, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    legacy = FIXTURES / "import" / "google_legacy_contacts.csv"
    seen: list[str] = []

    def check_mapping(dialog: ImportWizard) -> None:
        mapping = dialog.mapping_page.mapping()
        seen.append(mapping.get("Organization 1 - Title", ""))

    def check_preview(dialog: ImportWizard) -> None:
        seen.append(dialog.preview_page.status.text())

    walk_wizard(qtbot, legacy, on_mapping=check_mapping, on_preview=check_preview)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: window.undo_stack.canUndo(), timeout=15_000)
    title, status = seen
    assert title == "title"
    assert "Not imported (no field takes them; Back maps them): Gender, Occupation." in status
    [maya] = [r for r in book.lookup_rows("maya lund", 5)]
    assert (maya.company, maya.title) == ("Fjordline Logistics", "Head of Purchasing")
