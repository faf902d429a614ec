"""The data model: every record a user edits is sync-ready from the first commit.

Sync-ready records (`Record` subclasses) carry a client-made UUIDv7 key,
`created_at`/`updated_at`/`deleted_at` in UTC and a `rev` counter; `db.journal`
bumps them and appends to `ChangeJournal` in the same flush as the change.
Multi-valued contact fields are child rows that belong to their contact: a change
to one is a change to the contact.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    relationship,
)

from db import moments
from db.contact_values import LENGTH_LIMITS
from db.ids import new_id


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC, read back timezone-aware: in SQLite whole microseconds since
    1970 (`db.moments`; migration 0016), elsewhere the database's naive timestamp."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        if dialect.name == "sqlite":
            return moments.stored(value)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return moments.moment(value)
        return value.replace(tzinfo=UTC)


class ByteUuid(TypeDecorator[uuid.UUID]):
    """A UUID stored as its 16 bytes in SQLite (as 32 hex characters it doubled every
    key, every reference and every index entry of them; migration 0015), and as the
    database's own UUID type elsewhere."""

    impl = Uuid
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(LargeBinary(16))
        return dialect.type_descriptor(Uuid())

    def process_bind_param(self, value: uuid.UUID | None, dialect: Any) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return value.bytes

    def process_result_value(self, value: Any, dialect: Any) -> uuid.UUID | None:
        if value is None or dialect.name != "sqlite":
            return value
        return uuid.UUID(bytes=value)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, uuid.UUID: ByteUuid}


class Record(Base):
    """A record a user edits and a server may sync: soft-deleted to the Trash."""

    __abstract__ = True

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    rev: Mapped[int] = mapped_column(default=1)

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None


group_members = Table(
    "group_members",
    Base.metadata,
    Column("group_id", ByteUuid, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ByteUuid, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_group_members_contact", "contact_id"),
    sqlite_with_rowid=False,
)

activity_contacts = Table(
    "activity_contacts",
    Base.metadata,
    Column(
        "activity_id", ByteUuid, ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("contact_id", ByteUuid, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_activity_contacts_contact", "contact_id"),
    sqlite_with_rowid=False,
)

history_contacts = Table(
    "history_contacts",
    Base.metadata,
    Column(
        "history_id",
        ByteUuid,
        ForeignKey("history_entries.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("contact_id", ByteUuid, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_history_contacts_contact", "contact_id"),
    sqlite_with_rowid=False,
)

# Counts kept by triggers (migration 0011) as contacts come, go, move to the Trash or
# gain a next step, so no screen counts a million rows: one row of book-wide counts,
# and each group's live members.
contact_tallies = Table(
    "contact_tallies",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("live", Integer, nullable=False),
    Column("trashed", Integer, nullable=False),
    Column("with_next_step", Integer, nullable=False),
    CheckConstraint("id = 1", name="ck_contact_tallies_one_row"),
)

# The lookup index's row numbering and the rows changed contacts left in it (migration
# 0014; db.search keeps both).
lookup_state = Table(
    "lookup_state",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("next_rowid", Integer, nullable=False),
    Column("stale", Integer, nullable=False),
    CheckConstraint("id = 1", name="ck_lookup_state_one_row"),
)

group_sizes = Table(
    "group_sizes",
    Base.metadata,
    Column("group_id", ByteUuid, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("live_members", Integer, nullable=False),
)

# Partial-index conditions, given for SQLite only: naming PostgreSQL's too would import
# its dialect at every start of the app and the CLI (about 90 ms); the migrations keep
# both for a PostgreSQL backend.
_LIVE = text("deleted_at IS NULL")
_TRASHED = text("deleted_at IS NOT NULL")
_LIVE_SERIES = text("rrule IS NOT NULL AND deleted_at IS NULL")
_LIVE_CLEARED = text("activity_id IS NOT NULL AND deleted_at IS NULL")
_INDEXED = text("lookup_rowid IS NOT NULL")


class Company(Record):
    __tablename__ = "companies"

    name: Mapped[str] = mapped_column(String(300))
    sort_name: Mapped[str] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    background: Mapped[str | None] = mapped_column(Text)

    contacts: Mapped[list[Contact]] = relationship(back_populates="company")

    __table_args__ = (
        Index("ix_companies_live_sort", "sort_name", sqlite_where=_LIVE),
        Index("ix_companies_trash", "deleted_at", sqlite_where=_TRASHED),
    )


class Contact(Record):
    """A person. `company_name` and `city` are list columns kept by `db.contacts` so
    that the list sorts by them over one table; the primary email and phone the list
    shows are read from the contact's values (`db.contacts.PRIMARY_EMAIL`)."""

    __tablename__ = "contacts"

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"primary_key": ["id"]}  # its identity; `num` is only its place

    # The contact's row number (SQLite's rowid): its values are keyed by it, 3 bytes
    # where the id takes 16 (migration 0017). Given when the contact is first written
    # (`number_new_contacts`, `db.contact_rows`); the id stays its identity everywhere.
    num: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[uuid.UUID] = mapped_column(unique=True, default=new_id)
    prefix: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["prefix"]))
    given_name: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["given_name"]))
    middle_name: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["middle_name"]))
    family_name: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["family_name"]))
    suffix: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["suffix"]))
    display_name: Mapped[str] = mapped_column(String(LENGTH_LIMITS["display_name"]))
    sort_name: Mapped[str] = mapped_column(String(500))  # sort_key(name_for_sorting)
    file_as: Mapped[str] = mapped_column(String(500), server_default="")  # family name first
    nickname: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["nickname"]))
    title: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["title"]))
    department: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["department"]))
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL")
    )
    company_name: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["company"]))
    birthday: Mapped[date | None] = mapped_column(Date)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    background: Mapped[str | None] = mapped_column(Text)
    referred_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL")
    )
    owner: Mapped[str | None] = mapped_column(String(LENGTH_LIMITS["owner"]))
    custom_fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # vCard properties Callsheet has no field for, kept verbatim for the next export.
    vcard_extra: Mapped[list[str] | None] = mapped_column(JSON)
    city: Mapped[str | None] = mapped_column(String(200))
    # Follow-up state, kept by `db.follow_up` with plain UPDATEs: derived from
    # activities and history, so changing it is not an edit of the contact.
    last_contacted_at: Mapped[datetime | None]
    next_step_at: Mapped[datetime | None]
    # The contact's row in the lookup index while it has one (db.search owns it).
    lookup_rowid: Mapped[int | None] = mapped_column(Integer)

    company: Mapped[Company | None] = relationship(back_populates="contacts")
    emails: Mapped[list[ContactEmail]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactEmail.position"
    )
    phones: Mapped[list[ContactPhone]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactPhone.position"
    )
    addresses: Mapped[list[ContactAddress]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactAddress.position"
    )
    urls: Mapped[list[ContactUrl]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactUrl.position"
    )
    groups: Mapped[list[Group]] = relationship(secondary=group_members, back_populates="contacts")
    notes: Mapped[list[Note]] = relationship(back_populates="contact")
    social_profiles: Mapped[list[SocialProfile]] = relationship(back_populates="contact")

    __table_args__ = (
        Index("ix_contacts_live_name", "sort_name", sqlite_where=_LIVE),
        Index("ix_contacts_live_file_as", "file_as", sqlite_where=_LIVE),
        Index(
            "ix_contacts_live_company",
            "company_name",
            "sort_name",
            sqlite_where=_LIVE,
        ),
        Index("ix_contacts_live_city", "city", "sort_name", sqlite_where=_LIVE),
        Index("ix_contacts_live_updated", "updated_at", sqlite_where=_LIVE),
        Index(
            "ix_contacts_live_next_step",
            "next_step_at",
            "sort_name",
            sqlite_where=_LIVE,
        ),
        Index(
            "ix_contacts_live_last_contacted",
            "last_contacted_at",
            "sort_name",
            sqlite_where=_LIVE,
        ),
        # A purged company's contacts, and (covering) each company's live count.
        Index("ix_contacts_company", "company_id", "deleted_at"),
        Index("ix_contacts_trash", "deleted_at", sqlite_where=_TRASHED),
        Index("ix_contacts_lookup_row", "lookup_rowid", sqlite_where=_INDEXED),
        # Purging a contact finds those it referred (ON DELETE SET NULL) through it.
        Index(
            "ix_contacts_referred_by",
            "referred_by_id",
            sqlite_where=text("referred_by_id IS NOT NULL"),
        ),
    )


class _ContactPart:
    """A row of a multi-valued contact field: label, primary flag and order. Nothing
    outside its contact refers to it, so its key is (contact, position), positions
    0, 1, 2... in order (`db.contacts` edits a row in place rather than move it), and
    SQLite lays the table out by that key: a contact's values share a page and need no
    index of their own (migration 0017)."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (PrimaryKeyConstraint("contact_num", "position"), {"sqlite_with_rowid": False})

    contact_num: Mapped[int] = mapped_column(ForeignKey("contacts.num", ondelete="CASCADE"))

    label: Mapped[str] = mapped_column(String(50), default="work")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0, autoincrement=False)


class ContactEmail(_ContactPart, Base):
    __tablename__ = "contact_emails"

    address: Mapped[str] = mapped_column(String(LENGTH_LIMITS["email"]))
    contact: Mapped[Contact] = relationship(back_populates="emails")


class ContactPhone(_ContactPart, Base):
    __tablename__ = "contact_phones"

    number: Mapped[str] = mapped_column(String(100))
    e164: Mapped[str | None] = mapped_column(String(20))
    contact: Mapped[Contact] = relationship(back_populates="phones")


class ContactAddress(_ContactPart, Base):
    __tablename__ = "contact_addresses"

    street: Mapped[str | None] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(30))
    country: Mapped[str | None] = mapped_column(String(2))
    contact: Mapped[Contact] = relationship(back_populates="addresses")


class ContactUrl(_ContactPart, Base):
    __tablename__ = "contact_urls"

    url: Mapped[str] = mapped_column(String(2000))
    contact: Mapped[Contact] = relationship(back_populates="urls")


class Group(Record):
    __tablename__ = "groups"

    name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    contacts: Mapped[list[Contact]] = relationship(secondary=group_members, back_populates="groups")


class Note(Record):
    """Editable text on a contact or a company; `pinned` marks a talking point."""

    __tablename__ = "notes"

    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[Contact | None] = relationship(back_populates="notes")


class SocialProfile(Record):
    """A public profile link and the last snapshot fetched from it (cached offline).

    The link (network, handle, url) is what the user edits; the snapshot columns are a
    cache written by `db.social_profiles.store_snapshot` with plain UPDATEs, so a
    refresh is not an edit. `gone_at` is set when the source says the profile no
    longer exists.
    """

    __tablename__ = "social_profiles"

    contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    network: Mapped[str] = mapped_column(String(50))
    handle: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    display_name: Mapped[str | None] = mapped_column(String(300))
    headline: Mapped[str | None] = mapped_column(Text)
    avatar_path: Mapped[str | None] = mapped_column(String(500))
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    recent_posts: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    fetched_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    gone_at: Mapped[datetime | None]
    contact: Mapped[Contact] = relationship(back_populates="social_profiles")


class Activity(Record):
    """A scheduled follow-up: times in UTC plus the zone they were entered in.

    `starts_at` is the due time of the current (next open) occurrence. A
    recurring activity keeps its rule's DTSTART in `series_start` and advances
    `starts_at` each time it is cleared. All-day and timeless activities start at
    local midnight of their date; `alarm_at` is when the reminder fires next
    (moved by Snooze, cleared once shown and dismissed).
    """

    __tablename__ = "activities"

    kind: Mapped[str] = mapped_column(String(20))
    regarding: Mapped[str] = mapped_column(String(500))
    starts_at: Mapped[datetime | None]
    time_zone: Mapped[str | None] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=0)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    timeless: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    alarm_minutes: Mapped[int | None] = mapped_column(Integer)
    alarm_at: Mapped[datetime | None]
    rrule: Mapped[str | None] = mapped_column(String(500))
    series_start: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="open")
    completed_at: Mapped[datetime | None]
    # Another calendar's UID for it (a calendar import), written back on export.
    ical_uid: Mapped[str | None] = mapped_column(String(1000))
    contacts: Mapped[list[Contact]] = relationship(secondary=activity_contacts)

    __table_args__ = (
        # Covers the task list's counts and the calendar's per-day counts.
        Index(
            "ix_activities_live_due",
            "status",
            "starts_at",
            "all_day",
            "timeless",
            sqlite_where=_LIVE,
        ),
        Index("ix_activities_alarm", "alarm_at", sqlite_where=text("alarm_at IS NOT NULL")),
        # The calendar's repeating series, without scanning every activity.
        Index(
            "ix_activities_live_series",
            "starts_at",
            sqlite_where=_LIVE_SERIES,
        ),
        Index("ix_activities_trash", "deleted_at", sqlite_where=_TRASHED),
    )


class HistoryEntry(Record):
    """What happened: a call, meeting or email, with outcome and notes."""

    __tablename__ = "history_entries"

    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(30), default="completed")
    regarding: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str | None] = mapped_column(Text)
    activity_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL")
    )
    # Another calendar's UID for it (a calendar import), written back on export.
    ical_uid: Mapped[str | None] = mapped_column(String(1000))
    contacts: Mapped[list[Contact]] = relationship(secondary=history_contacts)

    __table_args__ = (
        Index("ix_history_occurred", "occurred_at"),
        # The task list's Done bucket: what cleared an activity, newest first.
        Index(
            "ix_history_live_cleared",
            "occurred_at",
            sqlite_where=_LIVE_CLEARED,
        ),
        # Purging a follow-up finds the entries that cleared it (ON DELETE SET NULL).
        Index("ix_history_activity", "activity_id", sqlite_where=text("activity_id IS NOT NULL")),
    )


class ImportBatch(Base):
    """One import: where it came from and how far it got; its items say what it made,
    so Undo import can take exactly that back."""

    __tablename__ = "import_batches"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    started_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="running")
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    changed_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class ImportItem(Base):
    __tablename__ = "import_items"

    batch_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(10), default="created")
    # For a contact the import changed: what it was before (see db.snapshots).
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Merge(Base):
    """Contacts merged into a survivor; `record` holds the survivor's before-image and
    every link moved, so the merge can be undone exactly."""

    __tablename__ = "merges"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    merged_at: Mapped[datetime]
    survivor_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(20), default="done")
    record: Mapped[dict[str, Any]] = mapped_column(JSON)


class ChangeJournal(Base):
    """The sync outbox: one row per change, written in the same transaction."""

    __tablename__ = "change_journal"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID]
    rev: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime]
    # Where the change came from (`db.journal.ORIGINS`): sync pushes "local" and "import"
    # changes and does not echo "remote" ones back to the server they came from.
    origin: Mapped[str] = mapped_column(String(10), server_default=text("'local'"))

    __table_args__ = (Index("ix_change_journal_record", "record_id"),)


RECORD_TYPES: dict[type[Record], str] = {
    Contact: "contact",
    Company: "company",
    Group: "group",
    Note: "note",
    SocialProfile: "social_profile",
    Activity: "activity",
    HistoryEntry: "history",
}


class SyncAccount(Base):
    """A CardDAV/CalDAV account this book syncs with (its password is in the keychain,
    under `desktop.credentials.account_key(server_url, username)`)."""

    __tablename__ = "sync_accounts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    server_url: Mapped[str] = mapped_column(String(2000))
    username: Mapped[str] = mapped_column(String(300))
    contacts_url: Mapped[str | None] = mapped_column(String(2000))
    contacts_token: Mapped[str | None] = mapped_column(String(2000))
    tasks_url: Mapped[str | None] = mapped_column(String(2000))  # a calendar taking VTODO
    tasks_token: Mapped[str | None] = mapped_column(String(2000))
    # The task list takes VJOURNAL too: history syncs (else it stays on this computer).
    history_syncs: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The certificate (PEM) the user trusted for a server no authority vouches for.
    tls_certificate: Mapped[str | None] = mapped_column(Text)
    # Only the members of this group (by name) travel to the account (None: everyone).
    contacts_group: Mapped[str | None] = mapped_column(String(200))
    vcard_version: Mapped[str] = mapped_column(String(5), default="4.0")
    created_at: Mapped[datetime]
    last_synced_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncItem(Base):
    """One record as it stands on one account's server: where (`href`), which version
    (`etag`), the record's `rev` when the two last agreed, and the server's text then
    (`base`, the common ancestor a three-way merge starts from)."""

    __tablename__ = "sync_items"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sync_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    href: Mapped[str] = mapped_column(String(2000))
    etag: Mapped[str | None] = mapped_column(String(300))
    synced_rev: Mapped[int] = mapped_column(Integer)
    base: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_sync_items_href", "account_id", "href", unique=True),)


class SyncConflict(Base):
    """A value that lost a conflict (the server's won), kept so the user can restore it."""

    __tablename__ = "sync_conflicts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sync_accounts.id", ondelete="CASCADE"), index=True
    )
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(index=True)
    record_name: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(60))
    kept: Mapped[Any] = mapped_column(JSON)  # the value that lost, as the merge saw it
    chosen: Mapped[Any] = mapped_column(JSON)  # the value that won
    detected_at: Mapped[datetime]
    restored_at: Mapped[datetime | None]


def number_new_contacts(session: Session, _context: Any, _instances: Any) -> None:
    """Give the contacts about to be inserted their row numbers, after the largest in
    use (a `before_flush` hook: their values are written keyed by them)."""
    new = [obj for obj in session.new if isinstance(obj, Contact) and obj.num is None]
    if new:
        last = session.connection().exec_driver_sql("SELECT max(num) FROM contacts").scalar()
        for n, contact in enumerate(new, start=(last or 0) + 1):
            contact.num = n
