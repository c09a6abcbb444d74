"""Silences (can read, cannot post) and suspensions (cannot sign in), each with an end and a reason.

A sanction is a `Sanction` row (the history) and the matching `silenced_until` /
`suspended_until` on the user (what sign-in and posting check). Lifting one early ends it now.
A suspended user's open session is signed out on their next request (`app.accounts`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.db import db, get_or_404
from app.core.errors import Forbidden, NotFound, ServiceError
from app.core.notifications import notify
from app.core.time import format_datetime, utcnow
from app.moderation import policy
from app.moderation.models import Sanction, SanctionKind

MAX_REASON = 2000


def parse_end(raw: str) -> datetime:
    """Read an end date (`2026-12-01`) or date and time (`2026-12-01T12:00`), in UTC."""
    raw = (raw or "").strip()
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    raise ServiceError("Give the end as a date (YYYY-MM-DD), optionally with a time (HH:MM UTC).")


def _target(actor: User, user_id: int) -> User:
    policy.can_restrict_accounts.require(actor)
    user = get_or_404(User, user_id, "This user does not exist.")
    if user.deleted_at is not None:
        raise NotFound("This user does not exist.")
    policy.require_can_restrict(actor, user)
    return user


def impose(actor: User, user_id: int, kind: str, ends_at: datetime, reason: str) -> Sanction:
    """Silence or suspend a user until `ends_at`, tell them why, and write the audit log."""
    user = _target(actor, user_id)
    if kind not in tuple(SanctionKind):
        raise ServiceError("Choose silence or suspension.")
    reason = reason.strip()
    if not reason:
        raise ServiceError("Give a reason: the member is shown it.")
    if len(reason) > MAX_REASON:
        raise ServiceError(f"Keep the reason under {MAX_REASON} characters.")
    now = utcnow()
    if ends_at <= now:
        raise ServiceError("The end must be in the future.")
    if ends_at.year > now.year + 50:
        raise ServiceError("The end is too far in the future.")
    sanction = Sanction(user_id=user.id, kind=kind, ends_at=ends_at, reason=reason, by_id=actor.id)
    db.session.add(sanction)
    if kind == SanctionKind.SILENCE:
        user.silenced_until = ends_at
    else:
        user.suspended_until = ends_at
    user.restriction_reason = reason
    db.session.flush()
    audit.record(
        actor.id,
        f"user.{kind}",
        "user",
        user.id,
        reason,
        until=ends_at.isoformat(timespec="minutes"),
        sanction_id=sanction.id,
    )
    if kind == SanctionKind.SILENCE:
        notify(
            user.id,
            "sanction",
            f"You cannot post in the forum until {format_datetime(ends_at)}. Reason: {reason}",
        )
    return sanction


def lift(actor: User, sanction_id: int, reason: str) -> Sanction:
    """End a sanction now."""
    sanction = get_or_404(Sanction, sanction_id, "This restriction does not exist.")
    user = _target(actor, sanction.user_id)
    now = utcnow()
    if sanction.lifted_at is not None or (sanction.ends_at and sanction.ends_at <= now):
        raise ServiceError("This restriction has already ended.")
    sanction.lifted_at = now
    sanction.lifted_by_id = actor.id
    # Another, longer sanction of the same kind may still run.
    remaining = db.session.scalar(
        select(Sanction.ends_at)
        .where(
            Sanction.user_id == user.id,
            Sanction.kind == sanction.kind,
            Sanction.id != sanction.id,
            Sanction.lifted_at.is_(None),
            Sanction.ends_at > now,
        )
        .order_by(Sanction.ends_at.desc())
        .limit(1)
    )
    if sanction.kind == SanctionKind.SILENCE:
        user.silenced_until = remaining
    else:
        user.suspended_until = remaining
    audit.record(
        actor.id,
        f"user.lift_{sanction.kind}",
        "user",
        user.id,
        reason.strip(),
        sanction_id=sanction.id,
    )
    if sanction.kind == SanctionKind.SILENCE and remaining is None:
        notify(user.id, "sanction", "You can post in the forum again.")
    return sanction


def history(user_id: int) -> list[Sanction]:
    return list(
        db.session.scalars(
            select(Sanction)
            .where(Sanction.user_id == user_id)
            .order_by(Sanction.created_at.desc(), Sanction.id.desc())
        )
    )


def active(user_id: int) -> list[Sanction]:
    now = utcnow()
    return [s for s in history(user_id) if s.lifted_at is None and s.ends_at and s.ends_at > now]


def ensure_can_post(user: User) -> None:
    """Refuse any forum write by a silenced (or suspended) member, saying until when."""
    if user.is_suspended:
        raise Forbidden(f"Your account is suspended until {format_datetime(user.suspended_until)}.")
    if user.is_silenced:
        reason = f" Reason: {user.restriction_reason}" if user.restriction_reason else ""
        raise Forbidden(
            f"You cannot post until {format_datetime(user.silenced_until)}: "
            f"a moderator has silenced your account.{reason}"
        )
