"""The main window as a rep uses it: add, find, delete and undo, the Trash, groups."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QMessageBox

from db.contacts import ListQuery
from desktop.contact_book import ContactBook
from desktop.models.contact_list import COLUMNS
from desktop.ui.main_window import MainWindow
from desktop.ui.sidebar import View
from tests.desktop.conftest import when_dialog_opens
from tests.factories import add_contact


def shown_names(window: MainWindow) -> list[str]:
    model = window.model
    return [model.load_now(row).display_name for row in range(model.rowCount())]


@pytest.fixture
def people(book: ContactBook) -> dict:
    return {
        "oyvind": add_contact(
            book,
            "Øyvind",
            "Berg",
            company="Fjordline Logistics",
            phones=("+47 55 12 34 56",),
            city="Bergen",
            region="NO",
        ),
        "anna": add_contact(book, "Anna", "Müller", company="Kälte AG", city="Zürich"),
        "john": add_contact(book, "John", "Smith", company="Acme", city="Boston"),
    }


def test_an_empty_database_says_what_to_do_first(window: MainWindow) -> None:
    assert window.list_stack.currentWidget() is window.empty_state
    assert window.detail.details is None
    assert window.count_label.text() == "0 contacts"


def test_the_list_shows_contacts_by_name_with_the_first_selected(
    book: ContactBook, people: dict, open_window: Callable[[], MainWindow]
) -> None:
    window = open_window()
    assert shown_names(window) == ["Anna Müller", "John Smith", "Øyvind Berg"]
    assert window.detail.details is not None
    assert window.detail.details.display_name == "Anna Müller"
    assert window.detail.name_label.text() == "Anna Müller"
    assert window.count_label.text() == "3 contacts"


def test_creating_a_contact_through_the_dialog(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.given, "Maya")
        qtbot.keyClicks(dialog.family, "Lund")
        qtbot.keyClicks(dialog.emails.edit_at(0), "maya@fjord.no")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(fill)
    window.new_action.trigger()
    assert shown_names(window) == ["Maya Lund"]
    assert window.detail.details.display_name == "Maya Lund"
    assert window.list_stack.currentWidget() is window.table


def test_lookup_filters_the_list_as_you_type(qtbot, window: MainWindow, people: dict) -> None:  # type: ignore[no-untyped-def]
    window.refresh_all()
    qtbot.keySequence(window, QKeySequence.StandardKey.Find)
    assert window.focusWidget() is window.lookup_box
    qtbot.keyClicks(window.lookup_box, "fjord ber")
    qtbot.waitUntil(lambda: window.model.in_lookup and window.model.rowCount() == 1)
    assert shown_names(window) == ["Øyvind Berg"]
    assert "1 found" in window.count_label.text()
    window.lookup_box.clear()
    qtbot.waitUntil(lambda: not window.model.in_lookup and window.model.rowCount() == 3)


def test_lookup_finds_by_phone_digits(qtbot, window: MainWindow, people: dict) -> None:  # type: ignore[no-untyped-def]
    window.refresh_all()
    qtbot.keyClicks(window.lookup_box, "+47 55")
    qtbot.waitUntil(lambda: window.model.in_lookup and shown_names(window) == ["Øyvind Berg"])


def test_delete_then_undo_brings_the_contact_back(qtbot, window: MainWindow, people: dict) -> None:  # type: ignore[no-untyped-def]
    window.refresh_all()
    window.select_row(1)
    assert window.detail.details.display_name == "John Smith"
    window.table.setFocus()
    window.delete_action.trigger()
    assert shown_names(window) == ["Anna Müller", "Øyvind Berg"]
    assert "Moved John Smith to the Trash" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert shown_names(window) == ["Anna Müller", "John Smith", "Øyvind Berg"]
    window.redo_action.trigger()
    assert shown_names(window) == ["Anna Müller", "Øyvind Berg"]


def test_undo_and_redo_keys_in_the_lookup_box_undo_the_last_change(
    qtbot, window: MainWindow, people: dict
) -> None:  # type: ignore[no-untyped-def]
    """Focus lands in the lookup box after Ctrl+F, Find Duplicates and the Trash: the
    app's Undo and Redo win there, as the status bar's "Ctrl+Z takes it back" promises."""
    from PySide6.QtTest import QTest

    window.refresh_all()
    window.select_row(1)
    window.delete_action.trigger()
    window.activateWindow()
    window.lookup.focus()
    qtbot.keyClicks(window.lookup_box, "smith")
    qtbot.waitUntil(lambda: window.model.in_lookup and shown_names(window) == [])
    QTest.keySequence(window.lookup_box, window.undo_action.shortcut())
    qtbot.waitUntil(lambda: shown_names(window) == ["John Smith"])
    assert window.lookup_box.text() == "smith"
    QTest.keySequence(window.lookup_box, window.redo_action.shortcut())
    qtbot.waitUntil(lambda: shown_names(window) == [])
    assert window.lookup_box.text() == "smith"


def test_restoring_from_the_trash(
    qtbot, window: MainWindow, book: ContactBook, people: dict
) -> None:  # type: ignore[no-untyped-def]
    book.trash([people["anna"]])
    window.refresh_all()
    window.trash_action.trigger()
    assert window.pages.currentWidget() is window.trash_view
    trash = window.trash_view
    assert trash.items.topLevelItemCount() == 1
    trash.items.topLevelItem(0).setSelected(True)
    qtbot.mouseClick(trash.restore_button, Qt.MouseButton.LeftButton)
    assert trash.empty.isVisible()
    window.all_action.trigger()
    assert "Anna Müller" in shown_names(window)


def test_purging_asks_first(qtbot, window: MainWindow, book: ContactBook, people: dict) -> None:  # type: ignore[no-untyped-def]
    book.trash([people["anna"], people["john"]])
    window.trash_action.trigger()
    questions = []

    def confirm(box: QMessageBox) -> None:
        questions.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    when_dialog_opens(confirm)
    qtbot.mouseClick(window.trash_view.empty_button, Qt.MouseButton.LeftButton)
    assert questions and "cannot be undone" in questions[0]
    assert book.trash_items() == []


def test_a_group_filters_the_list(
    qtbot, window: MainWindow, book: ContactBook, people: dict
) -> None:  # type: ignore[no-untyped-def]
    group = book.create_group("Bergen distributors")
    book.add_to_group(group, [people["oyvind"], people["john"]])
    window.refresh_navigation()
    assert window.sidebar.select(View("group", group))
    assert shown_names(window) == ["John Smith", "Øyvind Berg"]
    assert window.count_label.text() == "2 contacts"
    group_item = window.sidebar.currentItem()
    qtbot.waitUntil(lambda: group_item.text(0) == "Bergen distributors (2)")
    assert window.sidebar.all_item.text(0) == "All contacts (3)"
    window.all_action.trigger()
    assert len(shown_names(window)) == 3


def test_groups_are_created_renamed_and_deleted_with_undo(
    qtbot, window: MainWindow, book: ContactBook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("Key accounts", True))
    window.new_group_action.trigger()
    [group] = book.groups()
    assert window.view == View("group", group.id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("Top accounts", True))
    window.rename_group_action.trigger()  # written in the background: a group may be big
    qtbot.waitUntil(lambda: "now called “Top accounts”" in window.statusBar().currentMessage())
    assert [g.name for g in book.groups()] == ["Top accounts"]
    when_dialog_opens(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    window.delete_group_action.trigger()
    qtbot.waitUntil(lambda: window.view == View("all"))
    assert book.groups() == []
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: [g.name for g in book.groups()] == ["Top accounts"])
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: book.groups() == [])


def test_notes_are_written_on_the_notes_tab(
    qtbot, window: MainWindow, people: dict, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    window.refresh_all()
    window.note_action.trigger()
    assert window.detail.tabs.currentIndex() == 1
    qtbot.keyClicks(window.detail.note_editor, "Send cold-chain pilot pricing")
    qtbot.mouseClick(window.detail.save_note_button, Qt.MouseButton.LeftButton)
    contact = window.detail.details.id
    assert [n.body for n in book.notes(contact)] == ["Send cold-chain pilot pricing"]


def test_a_note_being_written_is_saved_when_moving_on(
    qtbot, window: MainWindow, people: dict, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    window.refresh_all()
    first = window.detail.details.id
    window.note_action.trigger()
    qtbot.keyClicks(window.detail.note_editor, "Half-written thought")
    window.select_row(2)
    assert [n.body for n in book.notes(first)] == ["Half-written thought"]


def test_window_layout_columns_and_view_are_remembered(
    qtbot, book: ContactBook, people: dict, open_window: Callable[[], MainWindow]
) -> None:  # type: ignore[no-untyped-def]
    group = book.create_group("Prospects")
    first = open_window()
    header = first.table.horizontalHeader()
    header.setSectionHidden(2, True)
    first.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    first.sidebar.select(View("group", group))
    first.close()
    second = open_window()
    assert second.table.horizontalHeader().isSectionHidden(2)
    assert second.view == View("group", group)
    assert second.model.query.descending
    assert second.model.query.group_id == group


def test_demo_data_can_be_tried_from_the_empty_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    from desktop.ui.demo_data import DEMO_COUNT

    demo = window.empty_state.findChildren(QPushButton, "demoButton")[0]
    qtbot.mouseClick(demo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == DEMO_COUNT, timeout=60_000)
    assert window.list_stack.currentWidget() is window.table
    assert window.detail.details is not None


def test_deleting_from_lookup_results_and_undoing(qtbot, window: MainWindow, people: dict) -> None:  # type: ignore[no-untyped-def]
    window.refresh_all()
    qtbot.keyClicks(window.lookup_box, "a")
    qtbot.waitUntil(lambda: window.model.in_lookup and window.model.rowCount() == 2)
    assert shown_names(window) == ["Anna Müller", "John Smith"]
    window.delete_action.trigger()
    assert shown_names(window) == ["John Smith"]
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: shown_names(window) == ["Anna Müller", "John Smith"])
    assert window.model.in_lookup
    assert window.detail.details.display_name == "Anna Müller"


def test_enter_on_a_contact_opens_it_for_editing(qtbot, window: MainWindow, people: dict) -> None:  # type: ignore[no-untyped-def]
    window.refresh_all()
    titles = []

    def look(dialog: QDialog) -> None:
        titles.append(dialog.windowTitle())
        dialog.done(0)

    when_dialog_opens(look)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(titles))
    assert titles == ["Edit Anna Müller"]


def test_adding_to_a_group_can_be_undone(
    qtbot, window: MainWindow, book: ContactBook, people: dict, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    group = book.create_group("Key accounts")
    window.refresh_all()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args, **kwargs: ("Key accounts", True))
    window.table.selectAll()
    window.add_to_group_action.trigger()  # written in the background: they may be thousands
    assert "Adding 3 contacts to Key accounts…" in window.statusBar().currentMessage()
    qtbot.waitUntil(
        lambda: "Added 3 contacts to Key accounts" in window.statusBar().currentMessage()
    )
    assert book.count(ListQuery(group_id=group)) == 3
    window.undo_action.trigger()
    assert "Undoing “Add 3 contacts to Key accounts”…" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: book.count(ListQuery(group_id=group)) == 0)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: book.count(ListQuery(group_id=group)) == 3)
    window.choose(View("group", group))
    window.table.selectAll()
    window.remove_from_group_action.trigger()
    qtbot.waitUntil(lambda: book.count(ListQuery(group_id=group)) == 0)


def test_dropping_contacts_on_a_group_adds_them(
    qtbot, window: MainWindow, book: ContactBook, people: dict
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    group = book.create_group("Trade show")
    window.refresh_all()
    model = window.model
    dragged = model.mimeData([model.index(0, 0), model.index(2, 0), model.index(2, 1)])
    sidebar = window.sidebar
    item = next(
        sidebar.groups_item.child(n)
        for n in range(sidebar.groups_item.childCount())
        if sidebar.groups_item.child(n).toolTip(0) == "Trade show"
    )
    spot = QPointF(sidebar.visualItemRect(item).center())
    drop = QDropEvent(
        spot,
        Qt.DropAction.CopyAction,
        dragged,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    sidebar.dropEvent(drop)
    qtbot.waitUntil(lambda: book.count(ListQuery(group_id=group)) == 2)
    assert {r.display_name for r in book.page(ListQuery(group_id=group), 0, 10)} == {
        "Anna Müller",
        "Øyvind Berg",
    }


def test_typing_in_the_list_starts_a_lookup(qtbot, window: MainWindow, people: dict) -> None:  # type: ignore[no-untyped-def]
    window.refresh_all()
    window.table.setFocus()
    qtbot.keyClicks(window.table, "z")
    assert window.lookup_box.text() == "z"
    assert window.focusWidget() is window.lookup_box
    qtbot.keyClicks(window.lookup_box, "ur")
    qtbot.waitUntil(lambda: window.model.in_lookup and shown_names(window) == ["Anna Müller"])


def test_a_company_shows_its_contacts(qtbot, window: MainWindow, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    add_contact(book, "Maya", "Lund", company="Fjordline Logistics")
    add_contact(book, "Ola", "Nordmann", company="Fjordline Logistics")
    add_contact(book, "Kari", "Hansen", company="Bergen Foods")
    window.refresh_all()
    window.select_row(0)
    assert window.detail.details.display_name == "Kari Hansen"
    company = window.detail.details.company_id
    window.detail.role_label.linkActivated.emit(f"company:{company}")
    assert window.view == View("company", company)
    assert shown_names(window) == ["Kari Hansen"]
    assert window.sidebar.currentItem() is window.sidebar.companies_item
    assert window.sidebar.companies_item.childCount() == 0  # no names dumped in the sidebar
    # The Companies page: every company with its count, found by typing; Enter opens one.
    window.sidebar.itemClicked.emit(window.sidebar.companies_item, 0)
    page = window.companies_view
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert [page.shown.index(n, 3).data() for n in range(2)] == ["1", "2"]  # by name
    page.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert [page.shown.index(n, 0).data() for n in range(2)] == [
        "Fjordline Logistics",
        "Bergen Foods",
    ]
    qtbot.keyClicks(page.search, "fjord log")
    assert page.shown.rowCount() == 1 and page.status.text() == "1 of 2 companies."
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.contacts_page
    assert shown_names(window) == ["Maya Lund", "Ola Nordmann"]
    assert window.count_label.text() == "2 contacts"


def test_a_company_is_edited_and_deleted_with_undo(
    qtbot, window: MainWindow, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    add_contact(book, "Maya", "Lund", company="Fjordline Logistics")
    window.refresh_all()
    company = window.detail.details.company_id
    window.choose(View("company", company))
    assert window.company_bar.isVisible()
    assert "Fjordline Logistics" in window.company_bar.text.text()

    def fill(dialog: QDialog) -> None:
        dialog.website.setText("fjordline.no")
        dialog.city.setText("Bergen")
        dialog.mark_dirty()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(fill)
    window.edit_company_action.trigger()
    assert book.company(company).draft.website == "fjordline.no"
    assert "fjordline.no" in window.company_bar.text.text()
    window.delete_company_action.trigger()
    assert window.view == View("all")
    assert book.companies() == []
    assert window.detail.details.company == "Fjordline Logistics"
    window.undo_action.trigger()
    assert [c.name for c in book.companies()] == ["Fjordline Logistics"]


def test_names_file_by_family_name_on_request_and_honorifics_change_nothing(
    qtbot, book: ContactBook, open_window: Callable[[], MainWindow]
) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from db.contact_values import NO_YEAR, ContactDraft
    from desktop.ui.avatar import initials

    for given, family, prefix in (
        ("Maya", "Lund", "Dr."),
        ("Anders", "Zahl", ""),
        ("Carl", "Berg", ""),
    ):
        book.create(
            ContactDraft(
                given_name=given,
                family_name=family,
                prefix=prefix,
                birthday=date(NO_YEAR, 7, 14) if given == "Maya" else None,
            )
        )
    first = open_window()
    first.refresh_all()
    qtbot.waitUntil(lambda: first.model.rowCount() == 3)
    assert shown_names(first) == ["Anders Zahl", "Carl Berg", "Dr. Maya Lund"]
    first.by_family_name_action.trigger()
    qtbot.waitUntil(lambda: shown_names(first) == ["Carl Berg", "Dr. Maya Lund", "Anders Zahl"])
    first.close()
    second = open_window()
    assert second.by_family_name_action.isChecked()
    qtbot.waitUntil(lambda: shown_names(second) == ["Carl Berg", "Dr. Maya Lund", "Anders Zahl"])
    assert initials("Dr. Maya Lund") == "ML"
    maya = next(r.id for r in book.rows(book.export_ids()) if "Maya" in r.display_name)
    second.refresh_all(select=maya)
    qtbot.waitUntil(lambda: second.detail.details is not None and second.detail.details.id == maya)
    texts = [label.text() for label in second.detail.findChildren(QLabel)]
    assert "14 July" in texts and not any("--07-14" in t for t in texts)


def test_at_1280_pixels_the_list_shows_a_rep_s_columns_without_scrolling_sideways(
    qtbot, window: MainWindow, people: dict
) -> None:  # type: ignore[no-untyped-def]
    window.resize(1280, 800)
    window.refresh_all()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0)
    qtbot.wait(50)
    header = window.table.horizontalHeader()
    shown = [
        COLUMNS[header.logicalIndex(n)].title
        for n in range(header.count())
        if not header.isSectionHidden(header.logicalIndex(n))
    ]
    assert shown == ["Name", "Company", "Phone", "Last contacted", "Next step"]
    assert window.table.horizontalScrollBar().maximum() == 0
    name_width = window.table.columnWidth(0)
    window.resize(1200, 800)  # the name gives up room; nothing scrolls sideways
    qtbot.wait(50)
    assert window.table.horizontalScrollBar().maximum() == 0
    assert window.table.columnWidth(0) < name_width


def test_a_lookup_says_why_a_row_matched_and_offers_to_add_who_it_did_not_find(
    qtbot, window: MainWindow, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    from desktop.models.contact_list import NAME, REASONS_ROLE
    from desktop.ui.contact_dialog import ContactDialog
    from desktop.ui.found_by import hint_text

    add_contact(book, "Maya", "Lund", company="Fjordline Logistics", city="Bergen", country="NO")
    window.refresh_all()
    qtbot.keyClicks(window.lookup_box, "fjord ber")
    qtbot.waitUntil(lambda: window.model.in_lookup and window.model.rowCount() == 1)
    index = window.model.index(0, NAME)
    reasons = index.data(REASONS_ROLE)
    assert hint_text(reasons, window.table.horizontalHeader()) == "Bergen (city)"  # off screen
    assert "Found by city: Bergen" in index.data(Qt.ItemDataRole.ToolTipRole)

    window.lookup_box.clear()
    qtbot.keyClicks(window.lookup_box, "Nora Holm")
    qtbot.waitUntil(lambda: window.list_stack.currentWidget() is window.no_match)
    assert window.no_match.title.text() == "Nobody matches “Nora Holm”"

    def save(dialog: QDialog) -> None:
        assert isinstance(dialog, ContactDialog)
        assert (dialog.given.text(), dialog.family.text()) == ("Nora", "Holm")
        dialog.save_button.click()

    when_dialog_opens(save)
    qtbot.mouseClick(window.no_match.create, Qt.MouseButton.LeftButton)
    assert [row.display_name for row in book.lookup_rows("nora")] == ["Nora Holm"]
