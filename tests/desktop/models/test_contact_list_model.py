"""The paged contact list model: correct by Qt's rules, lazy, and bounded in memory."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from PySide6.QtCore import Qt

from db.contacts import ListQuery, SortColumn
from desktop.contact_book import ContactBook
from desktop.models.contact_list import COMPANY, MAX_CACHED_PAGES, PAGE_SIZE, ContactListModel


def test_the_model_follows_qts_rules_while_browsing_and_looking_up(
    qtbot, qtmodeltester, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    book.seed(450, seed=4)
    model = ContactListModel(book)
    model.refresh()
    for row in range(model.rowCount()):
        model.load_now(row)
    qtmodeltester.check(model)
    model.show_hits(book.lookup_rows("a", 100))
    qtmodeltester.check(model)


def test_rows_arrive_page_by_page_off_the_ui_thread(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    book.seed(1200, seed=5)
    model = ContactListModel(book)
    model.refresh()
    assert model.rowCount() == 1200
    last = model.index(1199, 0)
    assert model.data(last) is None  # not loaded yet: asked for, not waited for
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        pass
    assert model.data(last)


def test_only_a_bounded_number_of_pages_is_kept(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    book.seed(PAGE_SIZE * (MAX_CACHED_PAGES + 5), seed=6)
    model = ContactListModel(book)
    model.refresh()
    for page in range(MAX_CACHED_PAGES + 5):
        assert model.load_now(page * PAGE_SIZE) is not None
    assert len(model._pages) == MAX_CACHED_PAGES


def test_sorting_by_a_column_reorders_the_rows(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    book.seed(300, seed=7)
    model = ContactListModel(book)
    model.refresh()
    model.sort(COMPANY, Qt.SortOrder.DescendingOrder)
    assert model.query == ListQuery(SortColumn.COMPANY, True)
    companies = [model.load_now(row).company for row in range(model.rowCount())]
    assert companies == sorted(companies, key=lambda c: c or "", reverse=True)


def test_the_qt_binding_survives_models_that_return_none() -> None:
    """PySide6 6.12.0 crashes ("none_dealloc") here on Python 3.11; pyproject excludes it."""
    code = textwrap.dedent("""
        import os
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
        from PySide6.QtWidgets import QApplication, QTableView

        class Model(QAbstractTableModel):
            def rowCount(self, parent=QModelIndex()):
                return 0 if parent.isValid() else 1000
            def columnCount(self, parent=QModelIndex()):
                return 0 if parent.isValid() else 5
            def data(self, index, role=Qt.ItemDataRole.DisplayRole):
                return "x" if role == Qt.ItemDataRole.DisplayRole else None

        app = QApplication([])
        view = QTableView()
        model = Model()
        view.setModel(model)
        view.resize(800, 600)
        view.show()
        for _ in range(300):
            view.viewport().repaint()
            app.processEvents()
        print("survived")
    """)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "survived" in result.stdout


def test_big_lists_refuse_sorts_that_have_no_index(qtbot, book: ContactBook, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.models import contact_list

    monkeypatch.setattr(contact_list, "UNINDEXED_SORT_LIMIT", 100)
    book.seed(150, seed=8)
    model = ContactListModel(book)
    model.refresh()
    with qtbot.waitSignal(model.sortRefused) as refused:
        model.sort(contact_list.TITLE)
    assert "up to 100" in refused.args[0]
    assert model.query.sort is SortColumn.NAME
    model.sort(COMPANY)
    assert model.query.sort is SortColumn.COMPANY


def test_pages_scrolled_past_are_not_read(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    from desktop.models.contact_list import WANTED_PAGES

    book.seed(PAGE_SIZE * 60, seed=9)
    model = ContactListModel(book)
    model.refresh()
    for page in range(60):  # a scroll bar dragged from top to bottom
        model.data(model.index(page * PAGE_SIZE, 0))
    last = model.index(59 * PAGE_SIZE, 0)
    qtbot.waitUntil(lambda: model.data(last) is not None, timeout=10_000)
    model.jobs.wait()
    assert len(model._pages) <= WANTED_PAGES + 10
    assert all(model.row_at(page * PAGE_SIZE) for page in range(54, 60))


def test_a_contact_among_the_rows_read_is_found_without_reading(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    book.seed(PAGE_SIZE * 3, seed=8)
    model = ContactListModel(book)
    model.refresh()
    far = book.page(model.query, PAGE_SIZE * 2 + 7, 1)[0].id
    assert model.loaded_row_of(far) is None  # its page is not held: the caller counts
    model.load_now(PAGE_SIZE * 2)
    assert model.loaded_row_of(far) == PAGE_SIZE * 2 + 7
    hits = book.lookup_rows(model.row_at(PAGE_SIZE * 2 + 7).display_name, 50)  # type: ignore[union-attr]
    model.show_hits(hits)
    assert model.loaded_row_of(far) == [hit.id for hit in hits].index(far)
