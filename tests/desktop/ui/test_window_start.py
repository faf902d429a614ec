"""Opening the window: a book closed cleanly, its list left showing the whole book by
name, paints its first rows before SQLAlchemy loads, then opens and finishes the
window; what the user did meanwhile (a view chosen, a lookup typed) is carried out."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from db.clock import SystemClock
from db.first_page import FirstPage
from db.list_query import ListQuery
from desktop.contact_book import ContactBook
from desktop.settings import LIST_VIEW
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import user_settings
from desktop.ui.sidebar import View
from desktop.ui.window_start import WindowStart
from tests.factories import add_contact

NAMES = [("Maya", "Lund"), ("Ola", "Nordmann"), ("Anders", "Zahl")]

_CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from PySide6.QtCore import QEvent, QObject
    from desktop.app import application
    from desktop.ui.window_start import WindowStart

    app = application()
    start = WindowStart(Path(sys.argv[1]), "NO")
    seen = {}

    class FirstPaint(QObject):  # of the list's rows, wherever the window comes from
        def eventFilter(self, watched, event):
            list_view = watched.parent() if watched.isWidgetType() else None
            rows_painted = list_view is not None and list_view.objectName() == "contactList"
            if event.type() == QEvent.Type.Paint and rows_painted and not seen:
                model = list_view.model()
                seen["orm_loaded"] = "sqlalchemy" in sys.modules
                rows = (model.row_at(n) for n in range(model.rowCount()))
                seen["rows"] = [row.display_name if row else None for row in rows]
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    start.begin()
    while start.book is None:
        app.processEvents()
    while start.window.detail.details is None or not seen:
        app.processEvents()
    seen["attached"] = start.window.attached
    seen["shown"] = start.window.detail.details.display_name
    start.window.close()
    start.close()
    print(json.dumps(seen))
    """
)


def _closed_book(data_dir: Path) -> None:
    with ContactBook.open(data_dir) as book:
        for given, family in NAMES:
            add_contact(book, given, family)


def test_the_first_rows_paint_before_sqlalchemy_loads(data_dir: Path) -> None:
    """The first start lays the window out around its detail pane, the book open; the
    next paints the rows it read by sqlite3 alone, then opens the book."""
    _closed_book(data_dir)
    first, second = (_start_in_a_child(data_dir) for _ in range(2))
    shown = {
        "rows": ["Anders Zahl", "Maya Lund", "Ola Nordmann"],
        "attached": True,
        "shown": "Anders Zahl",
    }
    assert first == {"orm_loaded": True, **shown}
    assert second == {"orm_loaded": False, **shown}


def _start_in_a_child(data_dir: Path) -> dict[str, object]:
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_book_not_read_by_sqlite3_alone_opens_first(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A book left showing a group (or left by a crash, or from an older version) is
    opened the whole way before the window is built."""
    _closed_book(data_dir)
    with ContactBook.open(data_dir) as book:
        group = book.create_group("Prospects")
    user_settings().set(LIST_VIEW, View("group", group).key())
    start = WindowStart(data_dir, "NO")
    assert start.begin()
    window = start.window
    qtbot.addWidget(window)
    assert start.book is not None and window.attached
    assert window.view == View("group", group)
    window.close()
    start.close()


def _frame(qtbot, book: ContactBook) -> MainWindow:  # type: ignore[no-untyped-def]
    rows = tuple(book.page(ListQuery(), 0, 200))
    first = FirstPage(ListQuery(), len(rows), rows, SystemClock())
    window = MainWindow(None, "NO", first_page=first)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_view_chosen_while_the_book_opens_is_shown_once_it_is_open(
    qtbot, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    for given, family in NAMES:
        add_contact(book, given, family)
    window = _frame(qtbot, book)
    assert window.model.row_at(0).display_name == "Anders Zahl"
    assert not window.new_action.isEnabled()  # nothing to act with before the book
    window.sidebar.select(View("tasks"))
    window.attach(book)
    assert window.pages.currentWidget() is window.task_view
    assert window.new_action.isEnabled()


def test_a_lookup_typed_while_the_book_opens_runs_once_it_is_open(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    for given, family in NAMES:
        add_contact(book, given, family)
    window = _frame(qtbot, book)
    qtbot.keyClicks(window.lookup_box, "nordm")
    window.attach(book)
    qtbot.waitUntil(lambda: window.model.in_lookup and window.model.rowCount() == 1)
    assert window.model.row_at(0).display_name == "Ola Nordmann"
    assert window.detail.details.display_name == "Ola Nordmann"
