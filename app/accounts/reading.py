"""Reads of accounts that several places share: finding an account by e-mail address, and a
member's own data, for their export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts.models import PractitionerApplication, User
from app.core.db import db


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def profile_data(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "organisation": user.organisation,
        "country": user.country,
        "function": user.function,
        "expertise": user.expertise,
        "created_at": user.created_at.isoformat(timespec="seconds"),
        "email_confirmed_at": iso(user.email_confirmed_at),
        "last_login_at": iso(user.last_login_at),
    }


def application_data(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(PractitionerApplication)
        .where(PractitionerApplication.user_id == user.id)
        .order_by(PractitionerApplication.id)
    )
    return [
        {
            "created_at": row.created_at.isoformat(timespec="seconds"),
            "organisation": row.organisation,
            "function": row.function,
            "country": row.country,
            "reason": row.reason,
            "status": row.status,
            "decided_at": iso(row.decided_at),
            "decision_reason": row.decision_reason,
        }
        for row in rows
    ]


def iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None
