"""Two computers syncing their contacts through one real Radicale (issue 16.4)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from db.activity_values import ActivityDraft
from db.clock import FixedClock
from db.contact_values import ContactDraft, EmailValue, PhoneValue
from desktop.sync import resources
from desktop.sync.accounts import choose_address_book, choose_task_list
from desktop.sync.dav import ServerUnreachable, SyncError, client
from tests.desktop.sync.conftest import DavServer, Device
from tests.desktop.sync.faults import FaultyTransport, on
from tests.locations import ROOT

Devices = Callable[..., Device]
FIXTURES = ROOT / "tests" / "fixtures" / "import"


def maya() -> ContactDraft:
    return ContactDraft(
        given_name="Maya",
        family_name="Lund",
        company="Fjordline",
        title="Buyer",
        emails=(EmailValue("maya@fjordline.example", "work", True),),
        phones=(PhoneValue("+47 55 12 34 56", "mobile", True),),
        background="Met at the Bergen fair.",
    )


def maya_on_both(devices: Devices) -> tuple[Device, Device, uuid.UUID]:
    """A laptop and a desktop that both hold Maya, as the server does."""
    laptop, desktop = devices("laptop"), devices("desktop")
    maya_id = laptop.book.create(maya())
    laptop.sync()
    desktop.sync()
    return laptop, desktop, maya_id


def server_cards(device: Device) -> dict[str, str]:
    """Every card in the device's address book, byte for byte as the server keeps it."""
    account = device.account
    assert account.contacts_url
    with client(account.username, device.password) as http:
        found = {
            href: resources.get(http, href)
            for href in resources.listing(http, account.contacts_url).changed
        }
    return {href: got[1] for href, got in found.items() if got is not None}


def test_a_contact_made_on_one_computer_arrives_on_the_other(devices: Devices) -> None:
    laptop, desktop = devices("laptop"), devices("desktop")
    group = laptop.book.create_group("Key accounts")
    maya_id = laptop.book.create(replace(maya(), group_ids=(group,)))

    first = laptop.sync()
    assert (first.pushed, first.pulled) == (1, 0)
    second = desktop.sync()
    assert second.pulled == 1

    there = desktop.book.contact(maya_id)
    here = laptop.book.contact(maya_id)
    assert there.display_name == "Maya Lund"
    assert (there.title, there.company, there.background) == ("Buyer", "Fjordline", here.background)
    assert there.emails == here.emails and there.phones[0].number == "+47 55 12 34 56"
    assert [g.name for g in there.groups] == ["Key accounts"]


def test_a_second_sync_sends_and_fetches_nothing(devices: Devices) -> None:
    laptop, desktop = devices("laptop"), devices("desktop")
    laptop.book.create(maya())
    laptop.sync()
    desktop.sync()

    again = laptop.sync(), desktop.sync()
    assert [(r.pushed, r.pulled, r.conflicts) for r in again] == [(0, 0, 0), (0, 0, 0)]
    assert laptop.book.sync_pending(laptop.account.id) == 0


def test_edits_of_different_fields_on_both_computers_both_survive(devices: Devices) -> None:
    laptop, desktop, maya_id = maya_on_both(devices)

    laptop.book.update(maya_id, replace(maya(), title="Head of buying"))
    on_desktop = desktop.book.contact(maya_id).to_draft("NO")
    desktop.book.update(
        maya_id,
        replace(on_desktop, phones=(*on_desktop.phones, PhoneValue("+47 22 00 00 00", "work"))),
    )
    laptop.sync()
    report = desktop.sync()
    laptop.sync()

    assert report.conflicts == 0
    for device in (laptop, desktop):
        contact = device.book.contact(maya_id)
        assert contact.title == "Head of buying"
        assert [p.number for p in contact.phones] == ["+47 55 12 34 56", "+47 22 00 00 00"]
    assert desktop.book.conflicts() == []


def test_the_same_field_changed_on_both_keeps_the_loser_in_the_conflict_log(
    devices: Devices,
) -> None:
    laptop, desktop, maya_id = maya_on_both(devices)

    laptop.book.update(maya_id, replace(maya(), title="Head of buying"))
    desktop.book.update(maya_id, replace(maya(), title="Purchasing director"))
    laptop.sync()
    report = desktop.sync()

    assert report.conflicts == 1
    assert desktop.book.contact(maya_id).title == "Head of buying"  # the server's won
    [logged] = desktop.book.conflicts()
    assert (logged.record_name, logged.field) == ("Maya Lund", "title")
    assert (logged.kept, logged.chosen) == ("Purchasing director", "Head of buying")

    desktop.book.restore_conflict(logged.id, "NO")
    assert desktop.book.conflicts() == []
    desktop.sync()
    laptop.sync()
    assert laptop.book.contact(maya_id).title == "Purchasing director"


def test_a_contact_deleted_on_one_computer_goes_to_the_trash_on_the_other(
    devices: Devices,
) -> None:
    laptop, desktop, maya_id = maya_on_both(devices)

    laptop.book.trash([maya_id])
    assert laptop.sync().deleted_on_server == 1
    assert server_cards(laptop) == {}
    assert desktop.sync().trashed == 1
    assert desktop.book.contact(maya_id).deleted_at is not None

    desktop.book.restore([maya_id])  # restorable, and sent again
    desktop.sync()
    laptop.sync()
    assert laptop.book.contact(maya_id).deleted_at is None


def test_a_trashed_contact_can_stay_on_the_server_until_the_trash_is_emptied(
    devices: Devices,
) -> None:
    laptop, desktop, maya_id = maya_on_both(devices)

    laptop.book.trash([maya_id])
    assert laptop.sync(keep_trashed=True).deleted_on_server == 0
    assert laptop.book.sync_pending(laptop.account.id, keep_trashed=True) == 0
    assert desktop.sync().trashed == 0
    assert desktop.book.contact(maya_id).deleted_at is None

    laptop.book.purge_items([i for i in laptop.book.trash_items() if i.id == maya_id])
    assert laptop.sync(keep_trashed=True).deleted_on_server == 1
    assert server_cards(laptop) == {}
    assert desktop.sync().trashed == 1


def test_an_edit_wins_over_a_delete_made_elsewhere(devices: Devices) -> None:
    laptop, desktop, maya_id = maya_on_both(devices)

    laptop.book.trash([maya_id])
    desktop.book.update(maya_id, replace(maya(), title="Head of buying"))
    laptop.sync()
    desktop.sync()
    laptop.sync()

    for device in (laptop, desktop):
        contact = device.book.contact(maya_id)
        assert (contact.deleted_at, contact.title) == (None, "Head of buying")
    assert len(server_cards(laptop)) == 1


def test_a_create_whose_reply_was_lost_is_not_made_twice(devices: Devices) -> None:
    laptop, desktop = devices("laptop"), devices("desktop")
    maya_id = laptop.book.create(maya())
    faulty = FaultyTransport(on("PUT", "drop-reply"))
    with pytest.raises(ServerUnreachable):
        laptop.sync(faulty)
    assert faulty.faults  # the server has the card; the laptop does not know it

    assert laptop.sync().conflicts == 0
    assert list(server_cards(laptop)) == [f"{laptop.account.contacts_url}{maya_id}.vcf"]
    desktop.sync()
    assert desktop.book.contact(maya_id).title == "Buyer"


@pytest.mark.parametrize(
    "fault", ["drop-request", "drop-reply", "timeout", "duplicate", 500, 503, 507, 401]
)
def test_a_fault_half_way_through_a_push_loses_and_doubles_nothing(
    devices: Devices, fault: str | int
) -> None:
    laptop, desktop = devices("laptop"), devices("desktop")
    made = [
        laptop.book.create(replace(maya(), given_name=name))
        for name in ("Maya", "Ingrid", "Ola", "Kari")
    ]
    faulty = FaultyTransport(on("PUT", fault, after=2))
    try:
        laptop.sync(faulty)
    except SyncError as error:
        assert str(error)  # said in words; the account notes it
        assert laptop.book.sync_account(laptop.account.id).last_error
    assert faulty.faults

    laptop.sync()
    assert laptop.book.sync_pending(laptop.account.id) == 0
    hrefs = sorted(server_cards(laptop))
    assert hrefs == sorted(f"{laptop.account.contacts_url}{c}.vcf" for c in made)
    desktop.sync()
    assert sorted(r.display_name for r in desktop.book.lookup_rows("Lund")) == [
        "Ingrid Lund", "Kari Lund", "Maya Lund", "Ola Lund",
    ]  # fmt: skip


def test_a_card_the_server_refuses_is_reported_and_sent_next_time(devices: Devices) -> None:
    laptop = devices("laptop")
    laptop.book.create(maya())
    report = laptop.sync(FaultyTransport(on("PUT", 409, times=2)))  # both pushes of the run
    assert report.problems and all("409" in problem for problem in report.problems)
    assert laptop.book.sync_pending(laptop.account.id) == 1
    assert laptop.sync().pushed == 1
    assert laptop.book.sync_pending(laptop.account.id) == 0


def test_a_card_another_app_wrote_comes_back_unchanged(devices: Devices) -> None:
    laptop = devices("laptop")
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n"
        "N:Berg;Ola;;;\r\nFN:Ola Berg\r\nORG:Havbruk AS;\r\n"
        "item1.TEL;type=pref:+47 90 00 00 01\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n"
        "X-PHONETIC-FIRST-NAME:Oola\r\nUID:4F1C8A2E-APPLE-CARD\r\nEND:VCARD\r\n"
    )
    href = f"{laptop.account.contacts_url}ola.vcf"
    with client(laptop.account.username, laptop.password) as http:
        resources.put(http, href, card, None)
    as_stored = server_cards(laptop)[href]  # Radicale puts the properties in its own order
    laptop.sync()
    [(contact_id)] = [r.id for r in laptop.book.lookup_rows("Ola")]
    assert laptop.book.contact(contact_id).company == "Havbruk AS"

    assert laptop.sync().pushed == 0
    assert server_cards(laptop)[href] == as_stored

    laptop.book.update(
        contact_id, replace(laptop.book.contact(contact_id).to_draft("NO"), title="CEO")
    )
    laptop.sync()
    written = server_cards(laptop)[href]
    assert "TITLE:CEO" in written
    assert "UID:4F1C8A2E-APPLE-CARD" in written and "X-PHONETIC-FIRST-NAME:Oola" in written


def test_a_number_typed_without_country_code_arrives_in_another_region(
    devices: Devices,
) -> None:
    oslo, boston = devices("oslo", region="NO"), devices("boston", region="US")
    draft = replace(maya(), phones=(PhoneValue("40 58 59 44", "mobile", True),))
    maya_id = oslo.book.create(replace(draft, default_region="NO"))
    oslo.sync()

    report = boston.sync()
    assert (report.pulled, report.problems) == (1, [])
    (phone,) = boston.book.contact(maya_id).phones
    assert (phone.number, phone.e164) == ("40 58 59 44", "+4740585944")


def test_a_value_this_book_cannot_take_is_set_aside_not_the_card_refused(
    devices: Devices,
) -> None:
    boston = devices("boston", region="US")
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Berg;Ola;;;\r\nFN:Ola Berg\r\n"
        "TEL;TYPE=CELL:40 58 59 44\r\nTEL;TYPE=WORK:+1 617 555 0100\r\n"
        "UID:ola-from-a-phone\r\nEND:VCARD\r\n"
    )
    href = f"{boston.account.contacts_url}ola.vcf"
    with client(boston.account.username, boston.password) as http:
        resources.put(http, href, card, None)
    as_stored = server_cards(boston)[href]

    report = boston.sync()
    assert report.pulled == 1
    (problem,) = report.problems
    assert problem.startswith("Ola Berg: “40 58 59 44” has the wrong number of digits")
    [(contact_id)] = [r.id for r in boston.book.lookup_rows("Ola")]
    kept = boston.book.contact(contact_id)
    assert [p.e164 for p in kept.phones] == ["+16175550100"]
    assert kept.custom_fields == {"Phone as imported": "40 58 59 44"}
    assert boston.sync().pushed == 0
    assert server_cards(boston)[href] == as_stored


def test_a_forgotten_sync_token_falls_back_to_a_listing(devices: Devices) -> None:
    laptop, desktop = devices("laptop"), devices("desktop")
    laptop.book.create(maya())
    laptop.sync()
    desktop.sync()
    ola = laptop.book.create(ContactDraft(given_name="Ola", family_name="Berg"))
    laptop.sync()

    refuse_token = FaultyTransport(
        lambda request, _n: (
            403 if request.method == "REPORT" and b"sync-token>http" in request.content else None
        )
    )
    report = desktop.sync(refuse_token)
    assert refuse_token.faults and report.pulled == 1
    assert desktop.book.contact(ola).display_name == "Ola Berg"


def test_nothing_is_lost_when_the_server_cannot_be_reached(devices: Devices) -> None:
    laptop = devices("laptop")
    maya_id = laptop.book.create(maya())
    offline = FaultyTransport(lambda _request, _n: "drop-request")
    with pytest.raises(ServerUnreachable):
        laptop.sync(offline)
    assert laptop.book.sync_pending(laptop.account.id) == 1
    account = laptop.book.sync_account(laptop.account.id)
    assert account.last_error and "Could not reach" in account.last_error
    laptop.sync()
    assert laptop.book.sync_pending(laptop.account.id) == 0
    assert list(server_cards(laptop)) == [f"{laptop.account.contacts_url}{maya_id}.vcf"]


def test_a_computer_writing_vcard_3_and_one_writing_4_agree(devices: Devices) -> None:
    old_server_style, laptop = devices("v3", vcard="3.0"), devices("laptop")
    group = laptop.book.create_group("Key accounts")
    draft = replace(
        maya(),
        group_ids=(group,),
        nickname="Mai",
        custom_fields={"Account no.": "88-1204"},
        phones=(PhoneValue("55 12 34 56", "work", True),),  # no country: X-CALLSHEET-E164
        default_region="NO",
    )
    maya_id = laptop.book.create(draft)
    laptop.book.add_profile(
        maya_id, "linkedin", "maya-lund", "https://www.linkedin.com/in/maya-lund"
    )
    laptop.sync()

    assert old_server_style.sync().pulled == 1
    assert old_server_style.sync().pushed == 0
    old_server_style.book.update(
        maya_id, replace(old_server_style.book.contact(maya_id).to_draft("NO"), title="Head")
    )
    old_server_style.sync()
    assert "VERSION:3.0" in server_cards(laptop)[f"{laptop.account.contacts_url}{maya_id}.vcf"]

    assert laptop.sync().pulled == 1
    here, there = laptop.book.contact(maya_id), old_server_style.book.contact(maya_id)
    same_here = replace(there, created_at=here.created_at, updated_at=here.updated_at)
    assert here.title == "Head"
    assert here == replace(same_here, rev=here.rev, groups=here.groups, company_id=here.company_id)
    assert [g.name for g in there.groups] == ["Key accounts"]
    assert (laptop.sync().pushed, old_server_style.sync().pushed) == (0, 0)


GOOGLE_STYLE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Haugen;Kari;;;\r\nFN:Kari Haugen\r\n"
    "EMAIL;TYPE=INTERNET;TYPE=WORK:kari@haugen.example\r\nTEL;TYPE=CELL:+47 912 34 567\r\n"
    "ORG:Haugen Fisk\r\nitem1.URL:https\\://haugen.example\r\nitem1.X-ABLabel:_$!<HomePage>!$_\r\n"
    "CATEGORIES:myContacts\r\nUID:c9a1f2b3e4d5\r\nEND:VCARD\r\n"
)
THUNDERBIRD_STYLE = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//Thunderbird//115//EN\r\nFN:Jonas Lie\r\n"
    "N:Lie;Jonas;;;\r\nEMAIL;PREF=1:jonas@lie.example\r\nNOTE:Met at Nor-Fishing\r\n"
    "X-MOZILLA-HTML:FALSE\r\nUID:5d8e2c1a-7b3f-4e19-a0c6-2f4d8b9e1a70\r\nEND:VCARD\r\n"
)


def other_apps_cards() -> list[tuple[str, str]]:
    """Cards as other apps leave them on servers: Apple, Nextcloud, Google, Thunderbird."""
    found = [("google", GOOGLE_STYLE), ("thunderbird", THUNDERBIRD_STYLE)]
    for name in ("apple_3.0.vcf", "nextcloud_4.0.vcf"):
        text = (FIXTURES / name).read_text("utf-8").replace("\r\n", "\n")
        for n, body in enumerate(text.split("END:VCARD")[:-1]):
            card = body.strip() + "\n"
            if "\nUID:" not in card:  # a file export may leave it out; a server never does
                card += f"UID:{name}-{n}\n"
            card = (card + "END:VCARD\n").replace("\n", "\r\n")
            found.append((f"{name}-{n}", card))
    return found


def test_cards_other_apps_wrote_come_back_unchanged(devices: Devices) -> None:
    laptop = devices("laptop")
    cards = other_apps_cards()
    with client(laptop.account.username, laptop.password) as http:
        for name, card in cards:
            resources.put(http, f"{laptop.account.contacts_url}{name}.vcf", card, None)
    as_stored = server_cards(laptop)

    first = laptop.sync()
    assert (first.pulled, first.pushed) == (len(cards), 0), first.problems
    assert laptop.sync().pushed == 0
    assert server_cards(laptop) == as_stored  # not one card rewritten


def test_an_account_that_carries_one_group_shares_only_its_members(
    devices: Devices, radicale: DavServer, clock: FixedClock
) -> None:
    laptop = devices("laptop")
    book = laptop.book
    team = book.create_group("Team")
    shared_id = book.create(replace(maya(), group_ids=(team,)))
    private_id = book.create(ContactDraft(given_name="Ola", family_name="Privat"))
    start = clock.now().replace(tzinfo=None, microsecond=0) + timedelta(days=1)
    book.schedule(ActivityDraft(regarding="Team call", start=start, contact_ids=(shared_id,)))
    book.schedule(ActivityDraft(regarding="Private call", start=start, contact_ids=(private_id,)))
    user, password = radicale.add_user()  # the team's own account on the server
    with client(user, password) as http:
        server, team_book = choose_address_book(http, radicale.url, "Team")
        team_tasks = choose_task_list(http, radicale.url, "Team tasks")
    assert team_tasks is not None
    shared = book.add_sync_account(
        "Team", server, user, team_book.url, team_tasks.url, team_tasks.takes_journals,
        contacts_group="team",
    )  # fmt: skip
    on_team = Device(book, shared, password)

    assert on_team.sync().pushed == 2  # Maya and her call; not Ola, not his
    assert laptop.sync().pushed == 2  # the book's own account takes both contacts
    assert list(server_cards(on_team)) == [f"{team_book.url}{shared_id}.vcf"]

    other_book = devices("colleague").book
    kari_id = other_book.create(ContactDraft(given_name="Kari", family_name="Team"))
    colleague_account = other_book.add_sync_account("Team", server, user, team_book.url)
    Device(other_book, colleague_account, password).sync()
    on_team.sync()
    assert [g.name for g in book.contact(kari_id).groups] == ["Team"]  # joined on arrival

    book.update(shared_id, replace(book.contact(shared_id).to_draft("NO"), group_ids=()))
    assert on_team.sync().deleted_on_server >= 1
    assert f"{team_book.url}{shared_id}.vcf" not in server_cards(on_team)
    assert book.contact(shared_id).deleted_at is None  # still in this book
    assert book.sync_pending(shared.id) == 0
