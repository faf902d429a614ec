"""Companies: found or created by name from a contact, listed with their contacts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.models import Company, Contact, utcnow
from db.text import sort_key


@dataclass(frozen=True)
class CompanyRow:
    id: uuid.UUID
    name: str


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


def count_contacts_of(session: Session, company_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Contact)
            .where(Contact.company_id == company_id, Contact.deleted_at.is_(None))
        )
        or 0
    )


def rename_company(session: Session, company_id: uuid.UUID, name: str) -> None:
    """Rename a company and the company shown on each of its contacts."""
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError({"name": "Enter the company's name."})
    limit = getattr(Company.__table__.c.name.type, "length", None) or 300
    if len(clean) > limit:
        raise ValidationError({"name": f"Keep the company's name under {limit} characters."})
    company = session.get(Company, company_id)
    if company is None:
        raise NotFoundError("That company no longer exists.")
    company.name = clean
    company.sort_name = sort_key(clean)
    for contact in session.scalars(select(Contact).where(Contact.company_id == company_id)):
        contact.company_name = clean
    session.flush()


def trash_company(session: Session, company_id: uuid.UUID) -> None:
    """Move a company to the Trash; its contacts keep the company's name as text."""
    company = session.get(Company, company_id)
    if company is None:
        raise NotFoundError("That company no longer exists.")
    company.deleted_at = utcnow()
    session.flush()


def restore_company(session: Session, company_id: uuid.UUID) -> None:
    company = session.get(Company, company_id)
    if company is not None:
        company.deleted_at = None
        session.flush()
