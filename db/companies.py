"""Companies: created by name from a contact or on their own, edited, trashed."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.clock import session_now
from db.errors import NotFoundError, ValidationError
from db.models import Company, Contact
from db.text import sort_key

_URL = re.compile(r"^(https?://)?[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True)
class CompanyRow:
    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class CompanyDraft:
    """What a user entered for a company."""

    name: str
    website: str = ""
    phone: str = ""
    city: str = ""
    country: str = ""
    background: str = ""


@dataclass(frozen=True)
class CompanyDetails:
    id: uuid.UUID
    draft: CompanyDraft
    contact_count: int


def company_for_name(session: Session, name: str) -> Company:
    """The live company called `name` (case and accents ignored), created if new."""
    key = sort_key(name)
    company = session.scalar(
        select(Company).where(Company.sort_name == key, Company.deleted_at.is_(None)).limit(1)
    )
    if company is None:
        company = Company(name=" ".join(name.split()), sort_name=key)
        session.add(company)
    return company


def list_companies(session: Session) -> list[CompanyRow]:
    """Live companies by name (no per-company counts: at a million contacts counting
    them all takes seconds; the list shows a company's count when it is opened)."""
    rows = session.execute(
        select(Company.id, Company.name)
        .where(Company.deleted_at.is_(None))
        .order_by(Company.sort_name)
    )
    return [CompanyRow(cid, name) for cid, name in rows]


@dataclass(frozen=True)
class CompanyOverview:
    """A row of the Companies page."""

    id: uuid.UUID
    name: str
    city: str
    country: str
    contacts: int


def company_overview(session: Session) -> list[CompanyOverview]:
    """Every live company by name, with where it is and how many live contacts work
    there (one pass over the contacts' company index)."""
    counts: dict[uuid.UUID | None, int] = {
        company_id: count
        for company_id, count in session.execute(
            select(Contact.company_id, func.count())
            .where(Contact.deleted_at.is_(None), Contact.company_id.is_not(None))
            .group_by(Contact.company_id)
        )
    }
    rows = session.execute(
        select(Company.id, Company.name, Company.city, Company.country)
        .where(Company.deleted_at.is_(None))
        .order_by(Company.sort_name)
    )
    return [
        CompanyOverview(cid, name, city or "", country or "", counts.get(cid, 0))
        for cid, name, city, country in rows
    ]


def count_contacts_of(session: Session, company_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Contact)
            .where(Contact.company_id == company_id, Contact.deleted_at.is_(None))
        )
        or 0
    )


def get_company(session: Session, company_id: uuid.UUID) -> CompanyDetails:
    company = _get(session, company_id)
    draft = CompanyDraft(
        company.name,
        company.website or "",
        company.phone or "",
        company.city or "",
        company.country or "",
        company.background or "",
    )
    return CompanyDetails(company.id, draft, count_contacts_of(session, company_id))


def validate_company(
    session: Session, draft: CompanyDraft, own_id: uuid.UUID | None = None
) -> CompanyDraft:
    """Check and trim a company; raises ValidationError keyed by field."""
    clean = replace(
        draft,
        **{f: " ".join(getattr(draft, f).split()) for f in ("name", "website", "phone", "city")},
        country=draft.country.strip().upper(),
        background=draft.background.strip(),
    )
    problems: dict[str, str] = {}
    if not clean.name:
        problems["name"] = "Enter the company's name."
    for field_name, column in (
        ("name", Company.name),
        ("website", Company.website),
        ("phone", Company.phone),
        ("city", Company.city),
    ):
        limit = getattr(column.type, "length", None)
        value = getattr(clean, field_name)
        if limit is not None and len(value) > limit:
            problems[field_name] = f"Keep the {field_name} under {limit} characters."
    if clean.website and not _URL.match(clean.website):
        problems["website"] = f"“{clean.website}” is not a web address (expected example.com)."
    if clean.country and not _COUNTRY.match(clean.country):
        problems["country"] = "Use a two-letter country code such as NO, DE or US."
    if clean.name and "name" not in problems:
        same_name = select(Company.id).where(
            Company.sort_name == sort_key(clean.name), Company.deleted_at.is_(None)
        )
        if own_id is not None:
            same_name = same_name.where(Company.id != own_id)
        clash = session.scalar(same_name.limit(1))
        if clash is not None:
            problems["name"] = f"There is already a company called “{clean.name}”."
    if problems:
        raise ValidationError(problems)
    return clean


def create_company(session: Session, draft: CompanyDraft) -> uuid.UUID:
    clean = validate_company(session, draft)
    company = Company(name=clean.name, sort_name=sort_key(clean.name))
    _apply(company, clean)
    session.add(company)
    session.flush()
    return company.id


def update_company(session: Session, company_id: uuid.UUID, draft: CompanyDraft) -> None:
    """Save a company; a new name is also shown on each of its contacts."""
    clean = validate_company(session, draft, company_id)
    company = _get(session, company_id)
    renamed = company.name != clean.name
    _apply(company, clean)
    if renamed:
        for contact in session.scalars(select(Contact).where(Contact.company_id == company_id)):
            contact.company_name = clean.name
    session.flush()


def rename_company(session: Session, company_id: uuid.UUID, name: str) -> None:
    """Rename a company and the company shown on each of its contacts."""
    details = get_company(session, company_id)
    update_company(session, company_id, replace(details.draft, name=name))


def trash_company(session: Session, company_id: uuid.UUID) -> None:
    """Move a company to the Trash; its contacts keep the company's name as text."""
    _get(session, company_id).deleted_at = session_now(session)
    session.flush()


def restore_company(session: Session, company_id: uuid.UUID) -> None:
    company = session.get(Company, company_id)
    if company is not None:
        company.deleted_at = None
        session.flush()


def _get(session: Session, company_id: uuid.UUID) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFoundError("That company no longer exists.")
    return company


def _apply(company: Company, draft: CompanyDraft) -> None:
    for field_name, value in (
        ("name", draft.name),
        ("website", draft.website or None),
        ("phone", draft.phone or None),
        ("city", draft.city or None),
        ("country", draft.country or None),
        ("background", draft.background or None),
    ):
        if getattr(company, field_name) != value:
            setattr(company, field_name, value)
    company.sort_name = sort_key(draft.name)
