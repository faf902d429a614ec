"""Dates and numbers as the user's locale writes them (ISO dates under the C locale)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale


def _iso() -> bool:
    return QLocale().language() == QLocale.Language.C


def when(moment: datetime) -> str:
    """A UTC moment in local time: "2026-11-23 10:48" (or the locale's short form)."""
    local = QDateTime(moment.astimezone().replace(tzinfo=None))
    if _iso():
        return local.toString("yyyy-MM-dd HH:mm")
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)


def day(value: date) -> str:
    qdate = QDate(value.year, value.month, value.day)
    if _iso():
        return qdate.toString("yyyy-MM-dd")
    return QLocale().toString(qdate, QLocale.FormatType.ShortFormat)


def birthday(value: date) -> str:
    """A birthday; one kept without its year (stored as 1604, as vCard's tools do)
    shows day and month only."""
    from db.contact_values import NO_YEAR  # not needed for the first paint

    if value.year != NO_YEAR:
        return day(value)
    qdate = QDate(2000, value.month, value.day)
    return QLocale().toString(qdate, "d MMMM")  # "14 July", never vCard's "--07-14"


def number(value: int) -> str:
    return QLocale().toString(value) if not _iso() else f"{value:,}"


def country_name(code: str) -> str:
    """The country's name in the user's language ("NO" -> "Norway"), or the code."""
    territory = QLocale.codeToTerritory(code)
    return QLocale.territoryToString(territory) if territory != QLocale.Country.AnyCountry else code
