"""The daily loop as a rep walks it: schedule, see it on the task list, clear it into
history, schedule the next step, log an unscheduled call, delete with open items."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from db.activity_values import ActivityDraft
from db.engine import Database
from db.models import Activity
from db.tasks import Bucket
from desktop.contact_book import ContactBook
from desktop.ui.log_dialog import LogDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.schedule_dialog import ScheduleDialog
from desktop.ui.sidebar import View
from tests.desktop.conftest import when_dialog_opens
from tests.factories import add_contact


def local_now(book: ContactBook) -> datetime:
    return book.clock.moment().local_now


def schedule(book: ContactBook, contacts: tuple[uuid.UUID, ...], **fields: object) -> uuid.UUID:
    draft = ActivityDraft(time_zone=book.clock.zone(), contact_ids=contacts, **fields)  # type: ignore[arg-type]
    return book.schedule(draft)


def open_activities(db: Database) -> list[Activity]:
    from sqlalchemy import select

    with db.reading() as session:
        return list(
            session.scalars(
                select(Activity).where(Activity.status == "open", Activity.deleted_at.is_(None))
            )
        )


@pytest.fixture
def maya(book: ContactBook) -> uuid.UUID:
    return add_contact(book, "Maya", "Lund", company="Fjordline Logistics", city="Bergen")


def test_scheduling_from_a_contact_shows_on_the_task_list(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    open_window,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    window: MainWindow = open_window()
    assert window.detail.details is not None and window.detail.details.id == maya
    assert "No next step" in window.detail.next_step_label.text()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ScheduleDialog)
        assert dialog.contacts.names() == ["Maya Lund"]
        dialog.regarding.setText("Send cold-chain pilot pricing")
        dialog.apply_preset("3 days")
        dialog.remind.setChecked(True)
        assert dialog.save_button.shortcut() == QKeySequence("Ctrl+S")
        dialog.save_button.click()

    when_dialog_opens(fill)
    # Offscreen windows are never active, so shortcuts are checked and actions triggered.
    assert window.schedule_action.shortcut() == QKeySequence("Ctrl+Shift+F")
    window.schedule_action.trigger()
    [activity] = open_activities(db)
    assert activity.regarding == "Send cold-chain pilot pricing"
    assert activity.alarm_minutes == 15
    start = (local_now(book) + timedelta(days=3)).replace(hour=9, minute=0, second=0)
    zone = ZoneInfo(book.clock.zone())
    assert activity.starts_at == start.replace(tzinfo=zone).astimezone(UTC)
    assert "Send cold-chain pilot pricing" in window.detail.next_step_label.text()
    assert window.detail.follow_ups.topLevelItemCount() == 1

    window.choose(View("tasks"))
    window.task_view.show_bucket(Bucket.UPCOMING)
    rows = window.task_view.model.rows
    assert [(r.regarding, r.contacts) for r in rows] == [
        ("Send cold-chain pilot pricing", "Maya Lund")
    ]
    assert window.count_label.text() == "1 task"
    qtbot.waitUntil(lambda: "Upcoming (1)" in window.task_view.tabs.tabText(2))  # counted apart

    window.task_view.table.activated.emit(window.task_view.table.currentIndex())
    assert window.view.kind == "all"
    assert window.detail.details is not None and window.detail.details.id == maya


def test_a_date_that_does_not_parse_is_marked_and_nothing_is_saved(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    window: MainWindow,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    seen: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ScheduleDialog)
        dialog.regarding.setText("Quarterly review")
        dialog.day.text.setText("next blursday")
        dialog.accept()
        seen["problems"] = dialog.problems_label.text()
        seen["visible"] = str(dialog.isVisible())
        dialog.day.text.setText("tomorrow")
        dialog.start_time.setEditText("14:00")
        dialog.end_time.setEditText("13:00")
        dialog.accept()
        seen["end"] = dialog.problems_label.text()
        dialog.end_time.setEditText("15:00")
        dialog.accept()

    when_dialog_opens(fill)
    window.follow_up_actions.schedule()
    assert "“next blursday” is not a date" in seen["problems"]
    assert seen["visible"] == "True"
    assert "ends before it starts" in seen["end"]
    [activity] = open_activities(db)
    assert activity.duration_minutes == 60


def test_clearing_logs_history_on_every_contact_and_offers_the_next_step(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    open_window,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    ola = add_contact(book, "Ola", "Nordmann")
    overdue = schedule(
        book,
        (maya, ola),
        kind="meeting",
        regarding="Pilot kickoff",
        start=local_now(book) - timedelta(days=1),
    )
    window: MainWindow = open_window()
    window.choose(View("tasks"))
    window.task_view.show_bucket(Bucket.OVERDUE)
    [row] = window.task_view.model.rows
    assert row.overdue and row.activity_id == overdue
    red = window.task_view.model.data(
        window.task_view.model.index(0, 0), Qt.ItemDataRole.ForegroundRole
    )
    assert red is not None and red.name() == "#c62828"

    def clear(dialog: QDialog) -> None:
        assert isinstance(dialog, LogDialog)
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("left message"))
        dialog.notes.setPlainText("Voicemail; try Thursday.")
        assert dialog.follow_up.isChecked()
        when_dialog_opens(next_step)
        dialog.accept()

    def next_step(dialog: QDialog) -> None:
        assert isinstance(dialog, ScheduleDialog)
        assert dialog.regarding.text() == "Pilot kickoff"
        assert sorted(dialog.contacts.names()) == ["Maya Lund", "Ola Nordmann"]
        dialog.accept()

    when_dialog_opens(clear)
    window.task_view.table.setFocus()
    shortcuts = {a.shortcut().toString() for a in window.task_view.actions()}
    assert "Ctrl+D" in shortcuts
    window.task_view.clear_current()

    for who in (maya, ola):
        [entry] = book.history(who)
        assert (entry.kind, entry.outcome, entry.notes) == (
            "meeting",
            "left message",
            "Voicemail; try Thursday.",
        )
    [follow_up] = open_activities(db)
    assert follow_up.id != overdue and follow_up.regarding == "Pilot kickoff"
    assert window.task_view.model.rowCount() == 0
    assert window.task_view.empty_label.text().startswith("Nothing overdue")

    window.undo_stack.undo()  # the scheduled follow-up
    window.undo_stack.undo()  # the clear
    assert [a.id for a in open_activities(db)] == [overdue]
    assert book.history(maya) == []
    assert window.task_view.model.rowCount() == 1


def test_clearing_a_series_keeps_it_on_the_list(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    from db.recurrence import Recurrence

    series = schedule(
        book,
        (maya,),
        regarding="Weekly check-in",
        start=local_now(book) - timedelta(hours=1),
        repeat=Recurrence("weekly"),
    )
    before = book.activity(series).starts_at

    def clear(dialog: QDialog) -> None:
        assert isinstance(dialog, LogDialog)
        assert not dialog.follow_up.isChecked()  # the series is the next step
        dialog.accept()

    when_dialog_opens(clear)
    window.follow_ups.clear(series)
    assert book.activity(series).starts_at == before + timedelta(days=7)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Logged in the history of 1 contact. Next in the series: ")
    )
    assert len(book.history(maya)) == 1


def test_record_history_in_two_keystrokes(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    def save(dialog: QDialog) -> None:
        assert isinstance(dialog, LogDialog)
        assert dialog.contacts.names() == ["Maya Lund"]
        assert dialog.save_button.shortcut() == QKeySequence("Ctrl+S")
        dialog.save_button.click()

    when_dialog_opens(save)
    assert window.record_action.shortcut() == QKeySequence("Ctrl+H")
    window.record_action.trigger()
    [entry] = book.history(maya)
    assert (entry.kind, entry.outcome) == ("call", "completed")
    assert window.detail.history.topLevelItemCount() == 1
    window.undo_stack.undo()
    assert book.history(maya) == []


def test_deleting_a_contact_with_open_follow_ups_asks(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    window: MainWindow,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    aid = schedule(book, (maya,), start=local_now(book) + timedelta(days=1))
    window.refresh_all(select=maya)

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        assert "1 open follow-up" in dialog.text()
        button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Delete them too")
        button.click()

    when_dialog_opens(choose)
    window.contacts.delete()
    assert open_activities(db) == []
    window.undo_stack.undo()
    assert [a.id for a in open_activities(db)] == [aid]
    assert window.detail.details is not None and window.detail.details.id == maya


def test_cancelling_the_question_deletes_nothing(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    window: MainWindow,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    schedule(book, (maya,), start=local_now(book) + timedelta(days=1))
    when_dialog_opens(lambda dialog: dialog.reject())
    window.contacts.delete()
    assert book.count() == 1
    assert len(open_activities(db)) == 1


def test_the_task_list_filters_by_kind_and_group(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    group = book.create_group("Bergen distributors")
    ola = add_contact(book, "Ola", "Nordmann")
    book.add_to_group(group, [maya])
    tomorrow = local_now(book) + timedelta(days=1)
    schedule(book, (maya,), kind="call", regarding="call maya", start=tomorrow)
    schedule(book, (ola,), kind="email", regarding="mail ola", start=tomorrow)
    window.choose(View("tasks"))
    view = window.task_view
    view.show_bucket(Bucket.OPEN)
    assert sorted(r.regarding for r in view.model.rows) == ["call maya", "mail ola"]
    view.kind.setCurrentIndex(view.kind.findData("email"))
    assert [r.regarding for r in view.model.rows] == ["mail ola"]
    view.kind.setCurrentIndex(0)
    view.group.setCurrentIndex(view.group.findData(str(group)))
    assert [r.regarding for r in view.model.rows] == ["call maya"]


def test_bad_input_in_the_clear_dialog_saves_nothing(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    aid = schedule(book, (maya,), start=local_now(book) - timedelta(hours=2))
    seen: list[str] = []

    def clear(dialog: QDialog) -> None:
        assert isinstance(dialog, LogDialog)
        dialog.duration.setText("a while")
        dialog.day.text.setText("next year-ish")
        dialog.accept()
        seen.append(dialog.problems_label.text())
        dialog.mark_clean()
        dialog.reject()

    when_dialog_opens(clear)
    window.follow_ups.clear(aid)
    assert "length of time" in seen[0] and "is not a date" in seen[0]
    assert book.history(maya) == []
    assert book.activity(aid).status == "open"


def test_a_group_becomes_a_call_list_walked_with_logging(
    qtbot,
    book: ContactBook,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    group = book.create_group("Bergen distributors")
    people = [add_contact(book, name, "Berg") for name in ("Anna", "Bjørn", "Cato")]
    add_contact(book, "Outsider", "Oslo")
    book.add_to_group(group, people)
    window.refresh_navigation()
    window.choose(View("group", group))
    assert window.call_list_action.shortcut() == QKeySequence("Ctrl+Shift+L")
    sizes = window.contacts_split.sizes()
    window.call_list_action.trigger()
    bar = window.call_list_bar
    assert bar.isVisible()
    qtbot.wait(20)
    assert window.contacts_split.sizes() == sizes  # the list keeps its width
    assert bar.label.text() == "Call list: Bergen distributors · 1 of 3 · 0 logged"
    assert window.detail.details is not None and window.detail.details.id == people[0]
    assert window.next_in_list_action.shortcut() == QKeySequence("Alt+Right")

    def save(dialog: QDialog) -> None:
        assert isinstance(dialog, LogDialog)
        assert dialog.contacts.names() == ["Anna Berg"]
        dialog.save_button.click()

    when_dialog_opens(save)
    window.record_action.trigger()
    assert [h.kind for h in book.history(people[0])] == ["call"]
    assert window.detail.details.id == people[1]  # moved on by itself
    assert bar.label.text() == "Call list: Bergen distributors · 2 of 3 · 1 logged"
    window.next_in_list_action.trigger()
    assert window.detail.details.id == people[2]
    assert not bar.next_button.isEnabled()
    window.previous_in_list_action.trigger()
    assert window.detail.details.id == people[1]
    bar.endRequested.emit()
    assert not bar.isVisible() and not window.next_in_list_action.isEnabled()


def test_a_lookup_becomes_a_call_list(
    qtbot,
    book: ContactBook,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    for name in ("Fjord", "Fjell", "Skog"):
        add_contact(book, name, "Hansen", company=f"{name} AS")
    window.refresh_all()
    window.lookup_box.setText("fj")
    window.lookup.run()
    qtbot.waitUntil(lambda: window.model.in_lookup and window.model.rowCount() == 2)
    window.call_lists.make()
    assert window.call_lists.current is not None
    assert window.call_lists.current.name == "“fj”" and len(window.call_lists.current.ids) == 2


def test_the_sidebar_counts_overdue_and_the_task_list_schedules_with_its_contacts(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    schedule(book, (maya,), regarding="late", start=local_now(book) - timedelta(days=2))
    window.refresh_navigation()
    qtbot.waitUntil(lambda: window.sidebar.tasks_item.text(0) == "Tasks (1 overdue)")
    window.choose(View("tasks"))
    window.task_view.show_bucket(Bucket.OVERDUE)
    seen: list[list[str]] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, ScheduleDialog)
        seen.append(dialog.contacts.names())
        dialog.reject()

    when_dialog_opens(look)
    window.schedule_action.trigger()
    assert seen == [["Maya Lund"]]


def test_the_task_list_opens_where_the_work_is(
    qtbot, window: MainWindow, book: ContactBook, maya: uuid.UUID
) -> None:  # type: ignore[no-untyped-def]
    """Overdue first when anything is overdue (not an empty Today), and every bucket's
    name shows whole, counts included."""
    schedule(book, (maya,), regarding="Late", start=local_now(book) - timedelta(days=2))
    schedule(book, (maya,), regarding="Soon", start=local_now(book) + timedelta(days=2))
    window.tasks_action.trigger()
    view = window.task_view
    qtbot.waitUntil(lambda: view.tabs.currentIndex() == 0)
    assert [r.regarding for r in view.model.rows] == ["Late"]
    qtbot.waitUntil(lambda: view.tabs.tabText(0) == "Overdue (1)")
    for n in range(view.tabs.count()):
        text_width = view.tabs.fontMetrics().horizontalAdvance(view.tabs.tabText(n))
        assert view.tabs.tabRect(n).width() > text_width, view.tabs.tabText(n)
    view.show_bucket(Bucket.UPCOMING)  # a bucket chosen is kept on the next look
    window.all_action.trigger()
    window.tasks_action.trigger()
    assert view.tabs.currentIndex() == 2


def test_a_history_entry_reads_plainly_and_opens_to_be_changed(
    qtbot,
    book: ContactBook,
    maya: uuid.UUID,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    when = book.clock.now() - timedelta(days=2, seconds=17)  # a logged call's seconds
    book.record_history(
        [maya],
        kind="call",
        occurred_at=when,
        regarding="Pilot pricing",
        outcome="left message",
        notes="Asked for the\nHamburg depot figures.",
    )
    window.refresh_all(select=maya)
    history = window.detail.history
    item = history.topLevelItem(0)
    assert [item.text(c) for c in (1, 2, 3)] == ["Call", "Pilot pricing", "Left message"]
    assert item.text(5) == "Asked for the Hamburg depot figures."  # on the row, not a tooltip

    def change(dialog: QDialog) -> None:
        assert isinstance(dialog, LogDialog)
        assert dialog.windowTitle() == "Edit history entry"
        assert dialog.notes.toPlainText() == "Asked for the\nHamburg depot figures."
        assert dialog.outcome.currentData() == "left message"
        assert not dialog.follow_up.isVisible()
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("completed"))
        dialog.notes.setPlainText("Sent the Hamburg depot figures.")
        dialog.save_button.click()

    when_dialog_opens(change)
    history.setCurrentItem(item)
    history.itemActivated.emit(item, 0)  # Enter or a double-click
    [entry] = book.history(maya)
    assert (entry.outcome, entry.notes, entry.occurred_at) == (
        "completed",
        "Sent the Hamburg depot figures.",
        when,
    )
    assert window.detail.history.topLevelItem(0).text(3) == "Completed"
    window.undo_stack.undo()
    [entry] = book.history(maya)
    assert (entry.outcome, entry.notes) == ("left message", "Asked for the\nHamburg depot figures.")
