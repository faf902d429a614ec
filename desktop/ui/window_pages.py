"""The main window's pages besides the contacts (Trash, task list, calendar), the
side-by-side splitters and the follow-up filter, made and wired to the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSplitter, QVBoxLayout, QWidget

from db.list_query import FollowUpFilter
from desktop.models.formats import number

if TYPE_CHECKING:
    from desktop.ui.calendar_view import CalendarView
    from desktop.ui.main_window import MainWindow
    from desktop.ui.task_view import TaskView
    from desktop.ui.trash_view import TrashView


def side_by_side(
    name: str, first: QWidget, second: QWidget | None, stretch: tuple[int, int]
) -> QSplitter:
    """A side-by-side splitter whose sizes are saved under `name` (the second widget
    may come later: `add_second`)."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName(name)
    splitter.addWidget(first)
    splitter.setStretchFactor(0, stretch[0])
    if second is not None:
        add_second(splitter, second, stretch[1])
    return splitter


def add_second(splitter: QSplitter, widget: QWidget, stretch: int) -> None:
    """The splitter's second widget, or its replacement (at the size it had)."""
    if splitter.count() > 1:
        splitter.replaceWidget(1, widget)
    else:
        splitter.addWidget(widget)
    splitter.setStretchFactor(1, stretch)


def stacked(*widgets: QWidget, spacing: int = 0) -> QWidget:
    """The widgets one above the other, the last taking the room left."""
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for widget in widgets[:-1]:
        layout.addWidget(widget)
    layout.addWidget(widgets[-1], 1)
    return panel


def make_trash_view(window: MainWindow) -> TrashView:
    from desktop.ui.trash_view import TrashView

    view = TrashView(window.book)
    view.changed.connect(window.refresh_all)
    view.failed.connect(window.show_error)
    return view


def make_task_view(window: MainWindow) -> TaskView:
    from desktop.ui.task_view import TaskView

    view = TaskView(window.book)
    actions, follow_ups = window.follow_up_actions, window.follow_ups
    view.contactRequested.connect(window.show_contact)
    view.sheetRequested.connect(actions.open_sheet)
    view.scheduleRequested.connect(actions.schedule)
    view.clearRequested.connect(follow_ups.clear)
    view.editRequested.connect(follow_ups.edit)
    view.deleteRequested.connect(follow_ups.delete)
    view.failed.connect(window.show_error)
    view.counted.connect(
        lambda n: window.count_label.setText(f"{number(n)} task{'s' if n != 1 else ''}")
    )
    return view


def make_calendar_view(window: MainWindow) -> CalendarView:
    from desktop.ui.calendar_view import CalendarView

    view = CalendarView(window.book)
    view.rescheduleRequested.connect(window.follow_ups.reschedule)
    view.editRequested.connect(window.follow_ups.edit)
    view.scheduleAtRequested.connect(window.follow_up_actions.schedule_at)
    view.failed.connect(window.show_error)
    view.counted.connect(
        lambda n: window.count_label.setText(f"{number(n)} follow-up{'s' if n != 1 else ''} shown")
    )
    return view


def make_follow_up_filter(window: MainWindow) -> QComboBox:
    """The toolbar's choice of contacts by follow-up state."""
    box = QComboBox()
    box.setObjectName("followUpFilter")
    box.setToolTip("Show contacts by their follow-up state")
    box.addItem("Any follow-up state", None)
    box.addItem("No next step", FollowUpFilter.NO_NEXT_STEP)
    box.addItem("Next step overdue", FollowUpFilter.OVERDUE)
    box.addItem("Next step scheduled", FollowUpFilter.HAS_NEXT_STEP)
    box.currentIndexChanged.connect(lambda _i: window.show_view(window.view))
    return box
