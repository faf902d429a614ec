"""The New/Edit contact dialog: validates on save, says exactly what is wrong, and
keeps everything typed until the user saves or agrees to discard it."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import date

import phonenumbers
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.contact_values import (
    AddressValue,
    ContactDetails,
    ContactDraft,
    EmailValue,
    PhoneValue,
    UrlValue,
    validate,
)
from db.groups import GroupRow
from db.lookup_query import LookupHit, phone_shaped
from db.phones import parsing_region
from db.text import digits
from desktop.ui.contact_picker import ContactPicker
from desktop.ui.country_box import CountryBox, RegionBox
from desktop.ui.form_dialog import FormDialog, label_for
from desktop.ui.value_rows import ValueRows

EMAIL_LABELS = ["work", "home", "other"]
PHONE_LABELS = ["work", "mobile", "home", "fax", "other"]
URL_LABELS = ["work", "home", "blog", "other"]
FIELD_LABELS = ["Account no.", "Industry", "Territory", "Lead source", "Customer since"]
ID_ROLE = Qt.ItemDataRole.UserRole


def region_for(details: ContactDetails | None, fallback: str) -> str:
    """The region a contact's numbers are read in: their address's country, else the
    country of their first international number, else `fallback` (the preference or
    this computer's locale)."""
    if details is not None:
        for address in sorted(details.addresses, key=lambda a: not a.is_primary):
            if address.country.upper() in phonenumbers.SUPPORTED_REGIONS:
                return address.country.upper()
        for phone in details.phones:
            region = parsing_region(phone.e164)
            if region:
                return region
    return fallback


class ContactDialog(FormDialog):
    """Edits a draft; `draft()` holds the validated values after `accept()`."""

    def __init__(
        self,
        *,
        details: ContactDetails | None,
        groups: list[GroupRow],
        company_names: list[str],
        default_region: str,
        preset_group: uuid.UUID | None = None,
        lookup: Callable[[str, int], list[LookupHit]] | None = None,
        referrer: tuple[uuid.UUID, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {details.display_name}" if details else "New contact")
        self.setObjectName("contactDialog")
        self.referred_by = ContactPicker(lookup or (lambda _text, _limit: []), single=True)
        self.referred_by.search.setPlaceholderText("Who referred them? Type a name")
        if referrer is not None:
            self.referred_by.set_contacts([referrer])
        self._build(company_names, groups)
        self._load(details, default_region, preset_group)
        self.mark_clean()
        self.resize(1000, 640)

    # Building
    def _build(self, company_names: list[str], groups: list[GroupRow]) -> None:
        self.given = QLineEdit()
        self.middle = QLineEdit()
        self.family = QLineEdit()
        self.prefix = QLineEdit()
        self.prefix.setPlaceholderText("Dr.")
        self.prefix.setToolTip("Prefix (Dr., Ms., Prof.)")
        self.prefix.setFixedWidth(64)
        self.suffix = QLineEdit()
        self.suffix.setPlaceholderText("Jr.")
        self.suffix.setToolTip("Suffix (Jr., PhD)")
        self.suffix.setFixedWidth(64)
        self.display = QLineEdit()
        self.display.setPlaceholderText("First and last name")
        self.nickname = QLineEdit()
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("Who looks after this contact")
        self.title_edit = QLineEdit()
        self.department = QLineEdit()
        self.company = QLineEdit()
        completer = QCompleter(company_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.company.setCompleter(completer)
        self.birthday_known = QCheckBox("Known")
        self.birthday = QDateEdit()
        self.birthday.setCalendarPopup(True)
        self.birthday.setDisplayFormat("yyyy-MM-dd")
        self.birthday.setEnabled(False)
        self.birthday_known.toggled.connect(self.birthday.setEnabled)
        birthday_row = QHBoxLayout()
        birthday_row.addWidget(self.birthday_known)
        birthday_row.addWidget(self.birthday, 1)
        birthday_label = label_for("&Birthday:", self.birthday_known)

        names = QGroupBox("Name and company")
        form = QFormLayout(names)
        form.addRow(label_for("&First name:", self.given), _row(self.prefix, self.given))
        form.addRow("&Middle name:", self.middle)
        form.addRow(label_for("&Last name:", self.family), _row(self.family, self.suffix))
        form.addRow("Display &name:", self.display)
        form.addRow("Nic&kname:", self.nickname)
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Department:", self.department)
        form.addRow("&Company:", self.company)
        form.addRow(birthday_label, birthday_row)
        form.addRow("Account o&wner:", self.owner)
        form.addRow("Referred &by:", self.referred_by)

        self.emails = ValueRows(EMAIL_LABELS, "name@example.com", "+ Add email")
        self.phones = ValueRows(PHONE_LABELS, "+47 55 12 34 56", "+ Add phone")
        self.region = RegionBox()
        self.region.activated.connect(self._region_picked)
        self._region_follows_country = True
        self.urls = ValueRows(URL_LABELS, "example.com", "+ Add web address")
        reach = QGroupBox("Email, phone and web")
        reach_form = QFormLayout(reach)
        reach_form.addRow("&Email:", self.emails)
        reach_form.addRow("&Phone:", self.phones)
        reach_form.addRow("Phone &region:", self.region)
        reach_form.addRow("&Web:", self.urls)

        self.street = QLineEdit()
        self.city = QLineEdit()
        self.state = QLineEdit()
        self.postal_code = QLineEdit()
        self.country = CountryBox()
        address = QGroupBox("Address")
        address_form = QFormLayout(address)
        address_form.addRow("&Street:", self.street)
        address_form.addRow("Cit&y:", self.city)
        address_form.addRow("State/re&gion:", self.state)
        postal_row = QHBoxLayout()
        postal_row.addWidget(self.postal_code)
        postal_row.addWidget(label_for("C&ountry:", self.country))
        postal_row.addWidget(self.country, 1)
        address_form.addRow(label_for("&Postal code:", self.postal_code), postal_row)
        self.fields = ValueRows(FIELD_LABELS, "value", "+ Add field", label_width=130)
        address_form.addRow("More fie&lds:", self.fields)

        self.groups = QListWidget()
        self.groups.setMaximumHeight(110)
        for group in groups:
            item = QListWidgetItem(group.name, self.groups)
            item.setData(ID_ROLE, str(group.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.background = QPlainTextEdit()
        self.background.setPlaceholderText("Who they are, how you met, what matters to them")
        more = QGroupBox("Groups and background")
        more_layout = QVBoxLayout(more)
        more_layout.addWidget(
            QLabel("Groups:")
            if groups
            else QLabel("No groups yet (create them from the Groups menu).")
        )
        if groups:
            more_layout.addWidget(self.groups)
        more_layout.addWidget(self.background, 1)

        grid = QGridLayout()
        grid.addWidget(names, 0, 0)
        grid.addWidget(reach, 0, 1)
        grid.addWidget(address, 1, 0)
        grid.addWidget(more, 1, 1)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 6)

        self.finish_layout(grid)

        chain = [
            self.prefix,
            self.given,
            self.middle,
            self.family,
            self.suffix,
            self.display,
            self.nickname,
            self.title_edit,
            self.department,
            self.company,
            self.birthday_known,
            self.birthday,
            self.owner,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

        # The one-line editors, by the draft field (and problem key) each one edits.
        self.text_fields: dict[str, QLineEdit] = {
            "given_name": self.given,
            "middle_name": self.middle,
            "family_name": self.family,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "display_name": self.display,
            "nickname": self.nickname,
            "title": self.title_edit,
            "department": self.department,
            "company": self.company,
            "owner": self.owner,
        }
        address_edits = (self.street, self.city, self.state, self.postal_code)
        for edit in (*self.text_fields.values(), *address_edits):
            edit.textEdited.connect(self.mark_dirty)
        for rows in (self.emails, self.phones, self.urls, self.fields):
            rows.changed.connect(self.mark_dirty)
        self.background.textChanged.connect(self.mark_dirty)
        self.referred_by.changed.connect(self.mark_dirty)
        self.groups.itemChanged.connect(self.mark_dirty)
        self.birthday_known.toggled.connect(self.mark_dirty)
        self.country.currentIndexChanged.connect(self.mark_dirty)
        self.country.activated.connect(self._country_changed)

    def _region_picked(self) -> None:
        self._region_follows_country = False

    def _country_changed(self) -> None:
        """Until the user picks a phone region, it follows the address's country."""
        code = self.country.code()
        if self._region_follows_country and code:
            self.region.set_code(code)

    def _load(
        self, details: ContactDetails | None, region: str, preset_group: uuid.UUID | None
    ) -> None:
        self.region.set_code(region_for(details, region))
        # Saved numbers keep the region they were read in; new ones follow the country.
        self._region_follows_country = details is None or not details.phones
        if details is None:
            self.emails.set_values([])
            self.phones.set_values([])
            self.urls.set_values([])
            self.fields.set_values([])
            chosen = {str(preset_group)} if preset_group else set()
        else:
            draft = details.to_draft(region)
            self.given.setText(draft.given_name)
            self.middle.setText(draft.middle_name)
            self.family.setText(draft.family_name)
            self.prefix.setText(draft.prefix)
            self.suffix.setText(draft.suffix)
            self.display.setText(draft.display_name)
            self.nickname.setText(draft.nickname)
            self.owner.setText(draft.owner)
            self.fields.set_values(list(draft.custom_fields.items()))
            self.title_edit.setText(draft.title)
            self.department.setText(draft.department)
            self.company.setText(draft.company)
            if draft.birthday:
                self.birthday_known.setChecked(True)
                self.birthday.setDate(
                    QDate(draft.birthday.year, draft.birthday.month, draft.birthday.day)
                )
            self.emails.set_values([(e.label, e.address) for e in draft.emails])
            self.phones.set_values([(p.label, p.number) for p in draft.phones])
            self.urls.set_values([(u.label, u.url) for u in draft.urls])
            if draft.addresses:
                first = draft.addresses[0]
                self.street.setText(first.street)
                self.city.setText(first.city)
                self.state.setText(first.region)
                self.postal_code.setText(first.postal_code)
                self.country.set_code(first.country)
            self.background.setPlainText(draft.background)
            chosen = {str(g) for g in draft.group_ids}
            self._details = details
        for n in range(self.groups.count()):
            item = self.groups.item(n)
            if item.data(ID_ROLE) in chosen:
                item.setCheckState(Qt.CheckState.Checked)
        self.given.setFocus()

    def start_from(self, text: str) -> None:
        """Begin a new contact from what a lookup found nobody for: an email address,
        a phone number, or a name (its last word the family name)."""
        text = " ".join(text.split())
        if "@" in text and " " not in text:
            self.emails.set_values([("work", text)])
        elif phone_shaped(text) or (digits(text) and not any(ch.isalpha() for ch in text)):
            self.phones.set_values([("work", text)])
        else:
            *given, family = text.split() or [""]
            self.given.setText(" ".join(given) if given else family)
            self.family.setText(family if given else "")
        self.mark_clean()

    # Reading the form
    def current_draft(self) -> ContactDraft:
        """What the form holds now, unvalidated."""
        birthday = None
        if self.birthday_known.isChecked():
            picked = self.birthday.date()
            birthday = date(picked.year(), picked.month(), picked.day())
        previous = getattr(self, "_details", None)
        extra_addresses = previous.addresses[1:] if previous else ()
        return ContactDraft(
            given_name=self.given.text(),
            middle_name=self.middle.text(),
            family_name=self.family.text(),
            display_name=self.display.text(),
            title=self.title_edit.text(),
            department=self.department.text(),
            company=self.company.text(),
            birthday=birthday,
            background=self.background.toPlainText(),
            emails=tuple(EmailValue(v, label) for label, v in self.emails.values()),
            phones=tuple(PhoneValue(v, label) for label, v in self.phones.values()),
            urls=tuple(UrlValue(v, label) for label, v in self.urls.values()),
            addresses=(
                AddressValue(
                    self.street.text(),
                    self.city.text(),
                    self.state.text(),
                    self.postal_code.text(),
                    self.country.code(),
                ),
                *extra_addresses,
            ),
            group_ids=tuple(
                uuid.UUID(self.groups.item(n).data(ID_ROLE))
                for n in range(self.groups.count())
                if self.groups.item(n).checkState() == Qt.CheckState.Checked
            ),
            custom_fields={
                label.strip(): value.strip()
                for label, value in self.fields.values()
                if label.strip() and value.strip()
            },
            default_region=str(self.region.currentData() or "US"),
            nickname=self.nickname.text(),
            prefix=self.prefix.text(),
            suffix=self.suffix.text(),
            owner=self.owner.text(),
            referred_by_id=next(iter(self.referred_by.contact_ids()), None),
        )

    def draft(self) -> ContactDraft:
        """The validated draft (after the dialog was accepted)."""
        value: ContactDraft = self.value()
        return value

    def checked_value(self) -> ContactDraft:
        return validate(self.current_draft())

    def widget_for(self, key: str) -> QWidget | None:
        if key == "name":
            return self.given
        if key in self.text_fields:
            return self.text_fields[key]
        field, _, rest = key.partition("[")
        position = int(rest.rstrip("]")) if rest else 0
        rows = {"emails": self.emails, "phones": self.phones, "urls": self.urls}.get(field)
        if rows is not None:
            return rows.edit_at(position)
        if field == "addresses":
            return self.country
        return None

    def markable_widgets(self) -> list[QWidget]:
        return [
            *self.text_fields.values(),
            self.country,
            *self.emails.edits(),
            *self.phones.edits(),
            *self.urls.edits(),
        ]


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget, 0 if widget.maximumWidth() < 200 else 1)
    return row
