"""Reminders fire by an injected clock: at the alarm time, after a snooze, and for
alarms missed while the app was closed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from db.activity_values import ActivityDraft
from db.clock import FixedClock
from desktop.contact_book import ContactBook
from desktop.ui.main_window import MainWindow
from desktop.ui.reminders import POLL_MS, Reminders
from tests.factories import add_contact


def schedule(book: ContactBook, contact: uuid.UUID, starts: datetime, alarm: int) -> uuid.UUID:
    naive = starts.astimezone(UTC).replace(tzinfo=None)
    return book.schedule(
        ActivityDraft(
            regarding="Send pilot pricing",
            start=naive,
            time_zone="UTC",
            alarm_minutes=alarm,
            contact_ids=(contact,),
        )
    )


START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_timer_waits_exactly_for_the_next_alarm(
    qtbot, book: ContactBook, clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    maya = add_contact(book, "Maya", "Lund")
    schedule(book, maya, START + timedelta(minutes=40), alarm=15)
    reminders = Reminders(book)
    fired: list[tuple[list, bool]] = []
    reminders.due.connect(lambda alarms, missed: fired.append((alarms, missed)))
    reminders.start()
    assert fired == []
    assert reminders.timer.isActive()
    assert reminders.timer.interval() == POLL_MS  # 25 minutes away: poll first
    clock.set(START + timedelta(minutes=24, seconds=30))
    reminders.check()
    assert fired == [] and 30_000 <= reminders.timer.interval() <= 30_100
    clock.set(START + timedelta(minutes=25))
    reminders.check()
    [(alarms, missed)] = fired
    assert not missed and alarms[0].contacts == "Maya Lund"
    reminders.check()  # already announced: not again
    assert len(fired) == 1


def test_banner_snooze_and_dismiss(qtbot, book: ContactBook, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    maya = add_contact(book, "Maya", "Lund")
    schedule(book, maya, START + timedelta(minutes=10), alarm=10)
    window = MainWindow(book, "NO")
    qtbot.addWidget(window)
    window.show()
    window.reminders.start()
    banner = window.reminder_banner
    assert banner.isVisible()
    assert banner.title.text() == "Reminder:"
    assert banner.text.text() == "Call: Send pilot pricing with Maya Lund, in 10 minutes"

    banner.snooze(5)
    assert not banner.isVisible()
    clock.set(START + timedelta(minutes=4))
    window.reminders.check()
    assert not banner.isVisible()
    clock.set(START + timedelta(minutes=5))
    window.reminders.check()
    assert banner.isVisible() and "in 5 minutes" in banner.text.text()

    window.detail.show_contact(None)
    banner.open_current()
    assert window.detail.details is not None and window.detail.details.id == maya
    banner.dismiss()
    assert not banner.isVisible()
    clock.set(START + timedelta(days=1))
    window.reminders.check()
    assert not banner.isVisible()
    assert book.next_alarm_at() is None


def test_missed_alarms_are_shown_at_start(qtbot, book: ContactBook, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    maya = add_contact(book, "Maya", "Lund")
    ola = add_contact(book, "Ola", "Nordmann")
    schedule(book, maya, START - timedelta(hours=3), alarm=15)
    schedule(book, ola, START - timedelta(hours=1), alarm=15)
    window = MainWindow(book, "NO")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.reminder_banner.isVisible())
    banner = window.reminder_banner
    assert banner.title.text() == "Missed while Callsheet was closed (2):"
    assert "Maya Lund, 3 hours ago" in banner.text.text()
    assert banner.dismiss_all_button.isVisible()
    banner.dismiss_all()
    assert not banner.isVisible()
    assert book.due_alarms(START) == []
