"""The task list's item model keeps Qt's rules while it pages, sorts and refreshes."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt

from db.activity_values import ActivityDraft
from db.clock import FixedClock
from db.tasks import Bucket, TaskQuery
from desktop.contact_book import ContactBook
from desktop.models.task_list import PAGE_SIZE, TaskListModel
from tests.factories import add_contact


def test_the_model_follows_qts_rules_while_paging_and_sorting(
    qtbot, qtmodeltester, book: ContactBook, clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    maya = add_contact(book, "Maya", "Lund")
    now = clock.now().astimezone(ZoneInfo(clock.zone())).replace(tzinfo=None)
    for n in range(PAGE_SIZE + 30):
        book.schedule(
            ActivityDraft(
                start=now + timedelta(hours=n - 40),
                time_zone=clock.zone(),
                regarding=f"Call {n}",
                contact_ids=(maya,),
            )
        )
    model = TaskListModel(book)
    model.set_query(TaskQuery(Bucket.OPEN))
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # the tester fetches more, too
    assert model.rowCount() == PAGE_SIZE + 30 and not model.canFetchMore(QModelIndex())
    model.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_query(TaskQuery(Bucket.OVERDUE))
    assert 0 < model.rowCount() <= 40
    qtmodeltester.check(model)


def test_the_task_list_built_with_the_window_reads_nothing_until_first_shown(
    qtbot, book: ContactBook, clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.task_view import TaskView

    maya = add_contact(book, "Maya", "Lund")
    now = clock.now().astimezone(ZoneInfo(clock.zone())).replace(tzinfo=None)
    for n in range(3):
        book.schedule(
            ActivityDraft(
                start=now + timedelta(hours=n + 1),  # today
                time_zone=clock.zone(),
                regarding=f"Call {n}",
                contact_ids=(maya,),
            )
        )
    view = TaskView(book)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 0 and view.model.total == 0  # the view's sort read nothing
    view.reload()
    assert [row.regarding for row in view.model.rows] == ["Call 0", "Call 1", "Call 2"]
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # once shown, a sort reads again
    assert [row.regarding for row in view.model.rows] == ["Call 2", "Call 1", "Call 0"]
