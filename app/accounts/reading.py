"""Reads of accounts that several places share: finding an account by e-mail address, whether a
member's second factor is on, and a member's own data, for their export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.accounts.models import PractitionerApplication, RecoveryCode, SecondFactor, SignIn, User
from app.core.db import db


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def second_factor_on(user_id: int) -> bool:
    """Whether signing in as this member asks for a code after the password."""
    enabled = db.session.scalar(
        select(SecondFactor.enabled_at).where(SecondFactor.user_id == user_id)
    )
    return enabled is not None


def unused_recovery_codes(user_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


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


def sign_in_data(user: User) -> list[dict[str, Any]]:
    """Every sign-in of the member: when, from where, with which browser, until when."""
    rows = db.session.scalars(select(SignIn).where(SignIn.user_id == user.id).order_by(SignIn.id))
    return [
        {
            "created_at": row.created_at.isoformat(timespec="seconds"),
            "address": row.address,
            "user_agent": row.user_agent,
            "kept_signed_in": row.remember,
            "ended_at": iso(row.ended_at),
        }
        for row in rows
    ]


def second_factor_data(user: User) -> dict[str, Any]:
    """Whether the second factor is on, since when, and how many recovery codes are left;
    never the secret or the codes."""
    enabled = db.session.scalar(
        select(SecondFactor.enabled_at).where(SecondFactor.user_id == user.id)
    )
    return {
        "enabled": enabled is not None,
        "enabled_at": iso(enabled),
        "unused_recovery_codes": unused_recovery_codes(user.id) if enabled else 0,
    }


def iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def audit_user_labels(ids: list[int]) -> dict[int, str]:
    """Display names of the users an audit page names (one query)."""
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def audit_application_labels(ids: list[int]) -> dict[int, str]:
    """Practitioner applications by their applicant's name (one query)."""
    rows = db.session.execute(
        select(PractitionerApplication.id, User.display_name)
        .join(User, User.id == PractitionerApplication.user_id)
        .where(PractitionerApplication.id.in_(ids))
    )
    return {application_id: f"application of {name}" for application_id, name in rows}
