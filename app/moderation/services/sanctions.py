"""Silences (can read, cannot post) and suspensions (cannot sign in), each with an end and a reason.

A sanction is a `Sanction` row (the history) and the matching `silenced_until` /
`suspended_until` on the user (what sign-in and posting check). Lifting one early ends it now.
A suspended user's open session is signed out on their next request (`app.accounts`).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.db import db, get_or_404
from app.core.errors import Forbidden, NotFound, ServiceError
from app.core.i18n import recipient_language
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
    raise ServiceError(
        _("Give the end as a date (YYYY-MM-DD), optionally with a time (HH:MM UTC).")
    )


def _target(actor: User, user_id: int) -> User:
    policy.can_restrict_accounts.require(actor)
    user = get_or_404(User, user_id, _("This user does not exist."))
    if user.deleted_at is not None:
        raise NotFound(_("This user does not exist."))
    policy.require_can_restrict(actor, user)
    return user


def impose(actor: User, user_id: int, kind: str, ends_at: datetime, reason: str) -> Sanction:
    """Silence or suspend a user until `ends_at`, tell them why, and write the audit log."""
    user = _target(actor, user_id)
    if kind not in tuple(SanctionKind):
        raise ServiceError(_("Choose silence or suspension."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give a reason: the member is shown it."))
    if len(reason) > MAX_REASON:
        raise ServiceError(_("Keep the reason under %(count)s characters.", count=MAX_REASON))
    now = utcnow()
    if ends_at <= now:
        raise ServiceError(_("The end must be in the future."))
    if ends_at.year > now.year + 50:
        raise ServiceError(_("The end is too far in the future."))
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
        # Written in the member's language, and kept so.
        with force_locale(recipient_language(user.language)):
            until = format_datetime(ends_at)
            notify(
                user.id,
                "sanction",
                _(
                    "You cannot post in the forum until %(until)s. Reason: %(reason)s",
                    until=until,
                    reason=reason,
                ),
            )
    return sanction


def lift(actor: User, sanction_id: int, reason: str) -> Sanction:
    """End a sanction now."""
    sanction = get_or_404(Sanction, sanction_id, _("This restriction does not exist."))
    user = _target(actor, sanction.user_id)
    now = utcnow()
    if sanction.lifted_at is not None or (sanction.ends_at and sanction.ends_at <= now):
        raise ServiceError(_("This restriction has already ended."))
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
        with force_locale(recipient_language(user.language)):
            notify(user.id, "sanction", _("You can post in the forum again."))
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
        until = format_datetime(user.suspended_until)
        raise Forbidden(_("Your account is suspended until %(until)s.", until=until))
    if user.is_silenced:
        message = _(
            "You cannot post until %(until)s: a moderator has silenced your account.",
            until=format_datetime(user.silenced_until),
        )
        if user.restriction_reason:
            message += " " + _("Reason: %(reason)s", reason=user.restriction_reason)
        raise Forbidden(message)
