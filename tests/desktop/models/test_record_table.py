"""The read-only record table (the import preview's steps and problems) keeps Qt's rules."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.models.record_table import Column, RecordTableModel


def test_the_model_follows_qts_rules_empty_filled_and_refilled(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model: RecordTableModel[tuple[str, int]] = RecordTableModel(
        [Column("Name", lambda r: r[0]), Column("Count", lambda r: f"{r[1]:,}", align_right=True)]
    )
    qtmodeltester.check(model)
    model.set_records([("Maya", 1200), ("Ola", 7)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "1,200"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Count"
    model.set_records([])
    qtmodeltester.check(model)
