"""Find Duplicates, the merge view (field by field, more than two at once, undoable)
and File > Export, as a user works them from the main window."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QRadioButton

from desktop.contact_book import ContactBook
from desktop.ui.export_dialog import ExportDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.merge_dialog import MergeDialog
from tests.desktop.conftest import when_dialog_opens
from tests.factories import add_contact


@pytest.fixture
def anna(book: ContactBook) -> list:
    """Three records of one person, and someone else."""
    ids = [
        add_contact(book, "Anna", "Berg", company="Kälte AG", title="Head of Purchasing",
                    emails=("anna@kaelte.example",)),
        add_contact(book, "Ana", "Berg", company="Kälte AG", title="Purchasing",
                    emails=("anna@kaelte.example", "a.berg@home.example"),
                    phones=("+41 44 123 45 67",), region="CH"),
        add_contact(book, "Anna", "Berg-Lund", company="Kaelte",
                    phones=("+41 44 123 45 67",), region="CH"),
    ]  # fmt: skip
    add_contact(book, "Jonas", "Meyer", emails=("jonas@frigo.example",))
    return ids


def pick(dialog: QDialog, name: str) -> None:
    button = dialog.findChild(QRadioButton, name)
    assert button is not None and button.isEnabled(), name
    button.click()


def test_the_merge_view_keeps_chosen_values_and_combines_the_rest(
    qtbot, book: ContactBook, anna: list
) -> None:  # type: ignore[no-untyped-def]
    people = [book.contact(cid) for cid in anna]
    dialog = MergeDialog(people, {}, "CH")
    qtbot.addWidget(dialog)
    assert dialog.survivor_id == anna[1]  # the fullest record stays unless the user says
    pick(dialog, "keep:0")
    assert dialog.survivor_id == anna[0]
    assert set(dialog.others) == {anna[1], anna[2]}
    pick(dialog, "choice:family_name:2")
    draft = dialog.draft()
    assert (draft.given_name, draft.family_name) == ("Anna", "Berg-Lund")
    assert draft.title == "Head of Purchasing"  # the survivor's own
    assert [e.address for e in draft.emails] == ["anna@kaelte.example", "a.berg@home.example"]
    assert [p.e164 for p in draft.phones] == ["+41441234567"]
    assert "a.berg@home.example" in dialog.combined.text()
    # A blank cannot be chosen over a value.
    assert not dialog.findChild(QRadioButton, "choice:title:2").isEnabled()


def test_merging_three_from_the_window_can_be_undone_and_redone(
    qtbot, window: MainWindow, book: ContactBook, anna: list
) -> None:  # type: ignore[no-untyped-def]
    def choose(dialog: QDialog) -> None:
        pick(dialog, "keep:0")
        pick(dialog, "choice:title:1")
        dialog.accept()

    when_dialog_opens(choose)
    window.interop.merge(anna)
    assert book.count() == 2
    merged = book.contact(anna[0])
    assert merged.title == "Purchasing"
    assert len(merged.emails) == 2 and len(merged.phones) == 1
    assert window.undo_stack.undoText() == "Merge 3 records of Anna Berg"

    window.undo_action.trigger()
    assert book.count() == 4
    assert book.contact(anna[0]).title == "Head of Purchasing"
    assert len(book.contact(anna[1]).emails) == 2

    window.redo_action.trigger()
    assert book.count() == 2
    assert book.contact(anna[0]).title == "Purchasing"


def test_find_duplicates_lists_groups_and_a_merged_group_leaves_the_list(
    qtbot, window: MainWindow, book: ContactBook, anna: list
) -> None:  # type: ignore[no-untyped-def]
    window.duplicates_action.trigger()
    view = window.interop.duplicates
    assert view is not None
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 1, timeout=10_000)
    group = view.tree.topLevelItem(0)
    assert group.childCount() == 3
    assert "same email anna@kaelte.example" in group.text(0)
    # Collapsed, the group still says who is in it.
    assert all(name in group.text(0) for name in ("Anna Berg", "Ana Berg", "Anna Berg-Lund"))
    assert {group.child(n).text(0) for n in range(3)} == {"Anna Berg", "Ana Berg", "Anna Berg-Lund"}

    when_dialog_opens(lambda dialog: dialog.accept())
    view.merge_button.click()
    assert book.count() == 2
    assert view.tree.topLevelItemCount() == 0
    assert view.isVisible()


def test_export_writes_the_contacts_shown_to_the_chosen_file(
    qtbot, window: MainWindow, book: ContactBook, anna: list, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "all.vcf"

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ExportDialog)
        dialog.format_box.setCurrentIndex(1)  # vCard 4.0
        dialog.path_box.setText(str(out))
        dialog._confirm()

    when_dialog_opens(fill)
    window.export_action.trigger()
    qtbot.waitUntil(lambda: "Exported 4 contacts" in window.statusBar().currentMessage(),
                    timeout=15_000)  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 4
    assert "VERSION:4.0" in text and "a.berg@home.example" in text


def test_export_asks_before_replacing_a_file(qtbot, book: ContactBook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.export_dialog import Scope

    existing = tmp_path / "kept.csv"
    existing.write_text("precious")
    dialog = ExportDialog([Scope("All", list)], tmp_path, date(2031, 6, 1))
    qtbot.addWidget(dialog)
    dialog.path_box.setText(str(existing))
    when_dialog_opens(lambda box: box.reject())  # "Replace it?" -> Cancel
    dialog._confirm()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert existing.read_text() == "precious"


def test_scan_again_keeps_the_old_groups_from_being_merged_until_it_answers(
    qtbot, window: MainWindow, book: ContactBook, anna: list, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui import duplicates_view
    from tests.desktop.ui.test_progress_boxes import gate

    window.duplicates_action.trigger()
    view = window.interop.duplicates
    assert view is not None
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 1, timeout=10_000)
    assert view.merge_button.isEnabled()
    release = threading.Event()
    monkeypatch.setattr(
        duplicates_view, "find_duplicates", gate(duplicates_view.find_duplicates, release)
    )
    view.scan_button.click()
    assert view.scanning() and view.busy.isVisible()
    assert not view.merge_button.isEnabled() and not view.tree.isEnabled()
    view.tree.setCurrentItem(view.tree.topLevelItem(0))
    view._merge_selected()  # what a quick double-click or Enter would reach
    assert book.count() == 4
    release.set()
    qtbot.waitUntil(lambda: not view.scanning(), timeout=10_000)
    assert view.merge_button.isEnabled() and view.tree.isEnabled()
    assert view.tree.topLevelItemCount() == 1


def test_one_selected_contact_exports_as_their_own_card_with_a_normal_file_mode(
    qtbot, window: MainWindow, book: ContactBook, anna: list, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import os
    import stat

    window.refresh_all(select=anna[0])
    seen: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ExportDialog)
        seen["scope"] = dialog.scope_box.currentText()
        seen["file"] = dialog.path.name
        assert dialog.format == "vcf" and dialog.vcard_version == "4.0"
        dialog.path_box.setText(str(tmp_path / dialog.path.name))
        dialog._confirm()

    previous = os.umask(0o022)
    try:
        when_dialog_opens(fill)
        window.export_action.trigger()
        qtbot.waitUntil(
            lambda: "Exported 1 contact to" in window.statusBar().currentMessage(), timeout=15_000
        )
    finally:
        os.umask(previous)
    name = book.contact(anna[0]).display_name
    assert seen == {"scope": f"This contact ({name})", "file": f"{name}.vcf"}
    out = tmp_path / f"{name}.vcf"
    assert out.read_text(encoding="utf-8").count("BEGIN:VCARD") == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # as any file the user saves
