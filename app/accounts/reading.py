"""Reads of accounts that several places share: finding an account by e-mail address, whether a
member's second factor is on, and a member's own data, for their export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased
from werkzeug.datastructures import MultiDict

from app.accounts.models import (
    ApplicationStatus,
    PractitionerApplication,
    RecoveryCode,
    SecondFactor,
    SignIn,
    User,
)
from app.core.db import db
from app.core.models import AuditEntry
from app.core.pagination import Page, paginate
from app.core.permissions import Role
from app.core.time import utcnow


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
        "language": user.language,  # chosen with the language picker ("" if never)
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
    return {
        application_id: _("application of %(name)s", name=name) for application_id, name in rows
    }


# An application's state as a reader reads it (lazy: in the reader's language when shown).
APPLICATION_STATUSES = {
    ApplicationStatus.PENDING: _l("Waiting for review"),
    ApplicationStatus.APPROVED: _l("Approved"),
    ApplicationStatus.REJECTED: _l("Not approved"),
}


def application_status_name(status: str) -> str:
    return str(APPLICATION_STATUSES.get(ApplicationStatus(status), status))


# The administrators' list of accounts -----------------------------------------------------------

# Lazy labels: shown in the reader's language.
USER_STATUSES = {
    "active": _l("Active"),
    "unconfirmed": _l("E-mail not confirmed"),
    "suspended": _l("Suspended"),
    "silenced": _l("Silenced"),
    "deleted": _l("Deleted"),
}
LAST_SEEN = {"7": _l("In the last 7 days"), "30": _l("In the last 30 days"), "never": _l("Never")}
USERS_PER_PAGE = 50


@dataclass(frozen=True)
class UserFilters:
    q: str = ""
    role: str = ""
    status: str = ""
    seen: str = ""

    @classmethod
    def parse(cls, args: MultiDict[str, str]) -> UserFilters:
        """Filters from an untrusted query string: unknown values are ignored."""
        role = args.get("role", "")
        status = args.get("status", "")
        seen = args.get("seen", "")
        return cls(
            q=" ".join((args.get("q") or "").split())[:100],
            role=role if role in {r.value for r in Role} else "",
            status=status if status in USER_STATUSES else "",
            seen=seen if seen in LAST_SEEN else "",
        )

    def as_args(self) -> dict[str, str]:
        return {key: value for key, value in vars(self).items() if value}

    @property
    def active_count(self) -> int:
        return len(self.as_args())


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _user_statement(filters: UserFilters) -> Select[User]:
    now = utcnow()
    stmt = select(User)
    if filters.q:
        pattern = _like(filters.q)
        stmt = stmt.where(
            or_(
                func.lower(User.display_name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.organisation).like(pattern, escape="\\"),
            )
        )
    if filters.role:
        stmt = stmt.where(User.role == filters.role)
    if filters.status == "deleted":
        stmt = stmt.where(User.deleted_at.is_not(None))
    elif filters.status:
        stmt = stmt.where(User.deleted_at.is_(None))
    if filters.status == "active":
        stmt = stmt.where(
            User.email_confirmed_at.is_not(None),
            or_(User.suspended_until.is_(None), User.suspended_until <= now),
        )
    elif filters.status == "unconfirmed":
        stmt = stmt.where(User.email_confirmed_at.is_(None))
    elif filters.status == "suspended":
        stmt = stmt.where(User.suspended_until > now)
    elif filters.status == "silenced":
        stmt = stmt.where(User.silenced_until > now)
    if filters.seen == "never":
        stmt = stmt.where(User.last_login_at.is_(None))
    elif filters.seen:
        stmt = stmt.where(User.last_login_at >= now - timedelta(days=int(filters.seen)))
    return stmt.order_by(User.last_login_at.desc().nulls_last(), User.id.desc())


def user_page(filters: UserFilters, page: int) -> Page[User]:
    """One page of accounts matching the filters, most recently seen first (one count, one
    select)."""
    return paginate(_user_statement(filters), page, USERS_PER_PAGE)


def user_status(user: User) -> str:
    """The account's state in the reader's language."""
    return str(USER_STATUSES[_status_key(user)])


def _status_key(user: User) -> str:
    now = utcnow()
    if user.deleted_at is not None:
        return "deleted"
    if user.suspended_until is not None and user.suspended_until > now:
        return "suspended"
    if user.silenced_until is not None and user.silenced_until > now:
        return "silenced"
    if user.email_confirmed_at is None:
        return "unconfirmed"
    return "active"


def user_audit_entries(user: User, limit: int = 50) -> list[tuple[AuditEntry, str | None]]:
    """What was done to an account (role changes, restrictions), newest first, with actors."""
    actor = aliased(User)
    rows = db.session.execute(
        select(AuditEntry, actor.display_name)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .where(AuditEntry.target_type == "user", AuditEntry.target_id == str(user.id))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [(entry, name) for entry, name in rows]
