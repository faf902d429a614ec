"""The New/Edit contact dialog, driven with the keyboard and mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.contact_book import ContactBook
from desktop.ui.contact_dialog import ContactDialog
from tests.factories import add_contact


def make_dialog(qtbot, book: ContactBook, details=None) -> ContactDialog:  # type: ignore[no-untyped-def]
    dialog = ContactDialog(
        details=details,
        groups=book.groups(),
        company_names=book.company_names(),
        default_region="NO",
    )
    # done() closes without asking about unsaved changes (that is tested on its own).
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    dialog.show()
    return dialog


def test_saving_a_valid_contact_gives_a_clean_draft(qtbot, book: ContactBook) -> None:
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.given, "Øyvind")
    qtbot.keyClicks(dialog.family, "Berg")
    qtbot.keyClicks(dialog.company, "Fjordline Logistics")
    qtbot.keyClicks(dialog.emails.edit_at(0), " oyvind@fjordline.no ")
    qtbot.keyClicks(dialog.phones.edit_at(0), "55 12 34 56")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ContactDialog.DialogCode.Accepted
    draft = dialog.draft()
    assert (draft.given_name, draft.family_name, draft.company) == (
        "Øyvind",
        "Berg",
        "Fjordline Logistics",
    )
    assert draft.emails[0].address == "oyvind@fjordline.no"
    assert draft.phones[0].e164 == "+4755123456"


def test_validation_errors_are_shown_and_nothing_typed_is_lost(qtbot, book: ContactBook) -> None:
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.emails.edit_at(0), "maya(at)fjord.no")
    qtbot.keyClicks(dialog.phones.edit_at(0), "12")
    qtbot.keyClicks(dialog.city, "Bergen")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.result() != ContactDialog.DialogCode.Accepted
    message = dialog.problems_label.text()
    assert dialog.problems_label.isVisible()
    assert "first or last name" in message
    assert "maya(at)fjord.no" in message
    assert "region assumed: NO" in message
    assert dialog.focusWidget() is dialog.given
    assert dialog.emails.edit_at(0).toolTip().startswith("“maya(at)fjord.no”")
    assert dialog.emails.edit_at(0).text() == "maya(at)fjord.no"
    assert dialog.city.text() == "Bergen"


def test_fixing_the_problems_then_saving_works(qtbot, book: ContactBook) -> None:
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.emails.edit_at(0), "maya@fjord")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.emails.edit_at(0), ".no")
    qtbot.keyClicks(dialog.given, "Maya")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ContactDialog.DialogCode.Accepted


def test_more_emails_and_phones_can_be_added(qtbot, book: ContactBook) -> None:
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.given, "Maya")
    qtbot.mouseClick(dialog.emails.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.emails.edit_at(0), "maya@work.example")
    qtbot.keyClicks(dialog.emails.edit_at(1), "maya@home.example")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [e.address for e in dialog.draft().emails] == ["maya@work.example", "maya@home.example"]


def test_editing_shows_the_saved_values(qtbot, book: ContactBook) -> None:
    cid = add_contact(
        book,
        "Maya",
        "Lund",
        company="Fjordline",
        emails=("m@f.no",),
        phones=("+47 55 12 34 56",),
        city="Bergen",
        country="NO",
    )
    dialog = make_dialog(qtbot, book, book.contact(cid))
    assert dialog.given.text() == "Maya"
    assert dialog.company.text() == "Fjordline"
    assert dialog.emails.edit_at(0).text() == "m@f.no"
    assert dialog.phones.edit_at(0).text() == "+47 55 12 34 56"
    assert (dialog.city.text(), dialog.country.currentData()) == ("Bergen", "NO")
    assert dialog.current_draft().addresses[0].country == "NO"


def test_cancelling_with_typed_changes_asks_first(qtbot, book: ContactBook) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.desktop.conftest import when_dialog_opens

    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.given, "Maya")
    answers = []

    def keep_editing(box) -> None:  # type: ignore[no-untyped-def]
        answers.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    when_dialog_opens(keep_editing)
    dialog.reject()
    assert answers and "not saved" in answers[0]
    assert dialog.isVisible() and dialog.given.text() == "Maya"


def test_prefix_suffix_nickname_owner_and_more_fields_are_kept(qtbot, book: ContactBook) -> None:
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.prefix, "Dr.")
    qtbot.keyClicks(dialog.given, "Ada")
    qtbot.keyClicks(dialog.family, "Lovelace")
    qtbot.keyClicks(dialog.suffix, "PhD")
    qtbot.keyClicks(dialog.nickname, "Countess")
    qtbot.keyClicks(dialog.owner, "Maya")
    qtbot.keyClicks(dialog.fields.edit_at(0), "A-1001")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    contact_id = book.create(dialog.draft())
    details = book.contact(contact_id)
    assert details.display_name == "Dr. Ada Lovelace PhD"
    assert (details.nickname, details.owner) == ("Countess", "Maya")
    assert details.custom_fields == {"Account no.": "A-1001"}
    again = make_dialog(qtbot, book, details)
    assert again.prefix.text() == "Dr." and again.fields.edit_at(0).text() == "A-1001"


def test_a_value_too_long_is_marked_on_its_field(qtbot, book: ContactBook) -> None:
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.given, "Maya")
    dialog.title_edit.setText("Head of " * 50)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "The title is too long" in dialog.problems_label.text()
    assert dialog.title_edit.toolTip().startswith("The title is too long")
    assert dialog.focusWidget() is dialog.title_edit


def test_the_referrer_is_picked_by_lookup(qtbot, book) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.contact_dialog import ContactDialog
    from tests.factories import add_contact as add

    ola = add(book, "Ola", "Berg")
    maya = add(book, "Maya", "Lund")
    dialog = ContactDialog(
        details=book.contact(maya),
        groups=[],
        company_names=[],
        default_region="NO",
        lookup=book.lookup,
        referrer=None,
    )
    qtbot.addWidget(dialog)
    dialog.referred_by.search.setText("ola")
    dialog.referred_by._suggest("ola")
    dialog.referred_by._add_typed()
    assert dialog.referred_by.names() == ["Ola Berg"]
    assert dialog.checked_value().referred_by_id == ola


def test_the_phone_region_is_the_contact_s_country_not_the_machine_s(
    qtbot, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    """A Dutch contact opens with Netherlands, though this computer reads numbers as
    Norwegian; a contact with only +31 numbers too."""
    dutch = add_contact(
        book, "Sanne", "de Vries", phones=("+31 20 123 4567",), country="NL", city="Amsterdam"
    )
    by_number = add_contact(book, "Daan", "Bakker", phones=("+31 6 12345678",))
    nowhere = add_contact(book, "Kari", "Nordmann")
    assert make_dialog(qtbot, book, book.contact(dutch)).region.code() == "NL"
    assert make_dialog(qtbot, book, book.contact(by_number)).region.code() == "NL"
    assert make_dialog(qtbot, book, book.contact(nowhere)).region.code() == "NO"


def test_a_new_contact_s_region_follows_the_country_until_the_user_picks_one(
    qtbot, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.given, "Sanne")
    qtbot.keyClicks(dialog.phones.edit_at(0), "020 123 4567")
    pick(dialog.country, "NL")
    assert dialog.region.code() == "NL"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.draft().phones[0].e164 == "+31201234567"

    dialog = make_dialog(qtbot, book)
    pick(dialog.region, "SE")
    pick(dialog.country, "NL")
    assert dialog.region.code() == "SE"  # the user's own choice stays


def pick(box, code: str) -> None:  # type: ignore[no-untyped-def]
    """Choose an entry the way a user does (which says `activated`)."""
    index = box.findData(code)
    box.setCurrentIndex(index)
    box.activated.emit(index)


def test_the_banner_names_each_field_and_goes_as_the_fields_are_fixed(
    qtbot, book: ContactBook
) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.given, "Maya")
    qtbot.keyClicks(dialog.emails.edit_at(0), "maya@@fjordline")
    qtbot.keyClicks(dialog.phones.edit_at(0), "12")
    dialog.save_button.click()
    banner = dialog.problems_label
    assert banner.isVisible()
    assert "• Email 1: " in banner.text() and "• Phone 1: " in banner.text()
    email = dialog.emails.edit_at(0)
    email.clear()
    qtbot.keyClicks(email, "maya@fjordline.example")
    assert "Email 1" not in banner.text() and "Phone 1" in banner.text()  # fixed: gone
    assert email.styleSheet() == ""
    phone = dialog.phones.edit_at(0)
    phone.clear()
    qtbot.keyClicks(phone, "55 30 12 40")
    assert not banner.isVisible()
    assert dialog.save_button.mapTo(dialog, dialog.save_button.rect().bottomLeft()).y() < 800


def test_referred_by_offers_remove_only_when_someone_is_set(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    ola = add_contact(book, "Ola", "Berg")
    dialog = make_dialog(qtbot, book)
    picker = dialog.referred_by
    assert not picker.remove_button.isVisible() and not picker.chosen.isVisible()
    picker.add(ola, "Ola Berg")
    assert picker.remove_button.isVisible() and picker.remove_button.isEnabled()
    picker.remove_button.click()
    assert picker.contact_ids() == () and not picker.remove_button.isVisible()
