"""Files as other tools write them: vCard 2.1 from Android and old Outlook, 3.0 from
Apple Contacts, 4.0 from Nextcloud, Act!'s exported text; and a 50 MB photo."""

from __future__ import annotations

import base64
import os
import time
import uuid
from datetime import date
from pathlib import Path

from db.contacts import get_contact
from db.engine import Database
from desktop.interop import importer
from desktop.interop.files import plan_contacts
from tests.locations import FIXTURES

SAMPLES = FIXTURES / "import"


def test_vcard_2_1_from_android_with_quoted_printable_and_an_inline_photo() -> None:
    plan, described = plan_contacts(SAMPLES / "android_2.1.vcf", "vcf", None, "DE")
    assert described == "2 vCards (utf-8)"
    juergen, zofia = plan.rows
    assert juergen.draft is not None and zofia.draft is not None
    assert (juergen.draft.given_name, juergen.draft.family_name) == ("Jürgen", "Müller")
    assert (juergen.draft.company, juergen.draft.department) == ("Frigo GmbH", "Vertrieb")
    assert [(p.label, p.e164) for p in juergen.draft.phones] == [
        ("mobile", "+491711234567"),
        ("work", "+49401234567"),  # a national number, read in the region assumed
    ]
    assert juergen.draft.addresses[0].street == "Hauptstraße 5"
    assert juergen.draft.background == (
        "Met at the Hamburg fair.\nWants a quote for 40 units before Christmas, call back "
        "in December about the pilot pricing."
    )  # a soft line break joined, the encoded CR LF one line break
    assert juergen.draft.birthday == date(1975, 3, 12)
    assert juergen.photo is not None and juergen.photo.startswith(b"\xff\xd8")  # a JPEG
    assert juergen.vcard_extra == ("X-MS-OL-DEFAULT-POSTAL-ADDRESS:2",)
    assert [p.label for p in zofia.draft.phones] == ["home"]  # the empty TEL is left out
    assert plan.problems == []


def test_vcard_3_0_from_apple_contacts_with_labels_profiles_and_kept_lines() -> None:
    plan, _ = plan_contacts(SAMPLES / "apple_3.0.vcf", "vcf", None, "NO")
    [maya] = plan.rows
    draft = maya.draft
    assert draft is not None
    assert [(e.address, e.label, e.is_primary) for e in draft.emails] == [
        ("maya.lund@fjordline.example", "work", True),
        ("maya@lund.example", "home", False),
    ]
    assert [(p.label, p.e164) for p in draft.phones] == [
        ("mobile", "+4791234567"),
        ("work", "+4755123456"),
        ("Switchboard", "+4722000000"),  # an X-ABLabel'd number keeps its label
    ]
    assert draft.addresses[0].country == "NO"
    assert draft.urls[0].url == "https://fjordline.example"
    assert draft.birthday == date(1604, 7, 2)  # X-APPLE-OMIT-YEAR: no year
    assert draft.background == "Met at Nor-Shipping, wants pilot pricing.\nPrefers calls before 10."
    assert maya.groups == ("Bergen distributors", "Key accounts")
    assert maya.profiles == ("https://www.linkedin.com/in/mayalund",)
    assert maya.photo is not None
    # What Callsheet does not show is kept, to be written back on export.
    assert "IMPP;X-SERVICE-TYPE=Skype;type=HOME;type=pref:skype:maya.lund" in maya.vcard_extra
    assert "item4.X-ABRELATEDNAMES;type=pref:Øyvind Berg" in maya.vcard_extra


def test_vcard_4_0_from_nextcloud_with_uri_phones_and_a_referral(db: Database) -> None:
    plan, _ = plan_contacts(SAMPLES / "nextcloud_4.0.vcf", "vcf", None, "CH")
    anna, peter = plan.rows
    assert anna.draft is not None
    assert anna.uid == uuid.UUID("4fbe8971-0bc3-424c-9c26-36c3e1eff6b1")
    assert anna.draft.prefix == "Dr."
    assert [(p.number, p.e164) for p in anna.draft.phones] == [
        ("+41-44-123-45-67 ext. 12", "+41441234567"),
        ("+41-79-123-45-67", "+41791234567"),
    ]
    assert anna.draft.birthday == date(1604, 5, 17)
    assert anna.profiles == ("https://mastodon.social/@annamueller",)
    assert anna.vcard_extra == ("PHOTO:https://photos.kaelte.example/anna.jpg",)  # by URL: kept
    assert anna.referred_by_uid == peter.uid
    with db.reading() as session:
        preview = importer.preview(session, plan, importer.OnDuplicate.MERGE)
    importer.run(db, preview, "nextcloud_4.0.vcf", "vcf")
    with db.reading() as session:
        imported = get_contact(session, anna.uid)
    assert imported.referred_by_id == peter.uid
    assert [g.name for g in imported.groups] == ["Key accounts", "Suppliers"]


def test_an_act_export_in_windows_1252_with_tabs() -> None:
    plan, described = plan_contacts(SAMPLES / "act_export.txt", "csv", None, "US")
    assert described == "3 rows (Act! export, cp1252)"
    robert, linda, chen = plan.ready
    assert robert.draft is not None and linda.draft is not None
    assert (robert.draft.display_name, robert.draft.nickname) == ("Robert Hayes", "Bob")
    assert robert.draft.addresses[0].street == "14 Harbor Way\nSuite 200"
    assert [p.label for p in robert.draft.phones] == ["work", "mobile", "fax"]
    assert robert.draft.birthday == date(1968, 4, 2)
    assert robert.groups == ("Customer", "Key Account")
    # Act!'s "Referred By" is a source, not a contact: it is kept as a custom field.
    assert robert.draft.custom_fields == {
        "Referred by": "Trade show",
        "Last results": "Sent catalogue",
    }
    assert robert.referred_by_uid is None
    assert [e.label for e in linda.draft.emails] == ["work", "home"]
    problems = [(p.row, p.column) for p in plan.problems]
    assert problems == [(4, "Birth Date"), (4, "E-mail")]
    # The unreadable birthday and e-mail wait in custom fields; Chen Wei imports.
    assert chen.draft is not None and chen.draft.emails == ()
    assert chen.draft.custom_fields == {
        "Birthday as imported": "13/45/1990",
        "Email as imported": "not an email",
    }


def test_a_50_mb_photo_is_left_out_with_a_message_and_the_card_kept(tmp_path: Path) -> None:
    photo = base64.b64encode(b"\xff\xd8\xff\xe0" + os.urandom(50_000_000)).decode()
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    path = tmp_path / "huge.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\nN:Photo;Big;;;\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEMAIL:big@photo.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Next One\r\nEND:VCARD\r\n"
    )
    started = time.perf_counter()
    plan, _ = plan_contacts(path, "vcf", None, "US")
    seconds = time.perf_counter() - started
    big, following = plan.rows
    assert big.draft is not None and big.photo is None
    assert big.draft.emails[0].address == "big@photo.example"
    [problem] = big.problems
    assert problem.column == "PHOTO" and "MB" in problem.message
    assert following.draft is not None
    print(f"50 MB photo read in {seconds:.1f} s")
