"""The two-person rule: what a moderator wrote is published by someone else.

A case draft and a good-practice nomination are decided by a moderator or admin who is not among
their authors. When an author is the only active moderator or admin on the site, nobody else can
decide, so they may publish their own work after ticking a confirmation and giving a reason; the
decision is then in the audit log as self-approved (`review.self_approved`).
"""

from __future__ import annotations

from collections.abc import Collection

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select

from app.accounts.models import User
from app.core import audit
from app.core.db import db
from app.core.errors import Forbidden, ServiceError
from app.core.permissions import Role
from app.core.time import utcnow

DECIDING_ROLES = (Role.MODERATOR.value, Role.ADMIN.value)


def other_deciders(authors: Collection[int]) -> list[User]:
    """Active moderators and admins who are not among `authors`, by name."""
    now = utcnow()
    statement = (
        select(User)
        .where(
            User.role.in_(DECIDING_ROLES),
            User.deleted_at.is_(None),
            or_(User.suspended_until.is_(None), User.suspended_until <= now),
        )
        .order_by(User.display_name, User.id)
    )
    if authors:
        statement = statement.where(User.id.not_in(list(authors)))
    return list(db.session.scalars(statement))


def waiting_on(authors: Collection[int]) -> str:
    """Who may decide, in words, for the review queue."""
    if not authors:
        return str(_("any moderator"))
    names = [user.display_name for user in other_deciders(authors)]
    if not names:
        return str(_("the author alone (the only moderator), with a reason"))
    if len(names) > 3:
        return str(
            ngettext(
                "%(names)s or %(num)s other moderator",
                "%(names)s or %(num)s other moderators",
                len(names) - 3,
                names=", ".join(names[:3]),
            )
        )
    if len(names) == 1:
        return names[0]
    return str(_("%(names)s or %(last)s", names=", ".join(names[:-1]), last=names[-1]))


def require_second_person(
    decider: User,
    authors: Collection[int],
    *,
    what: str,
    target_type: str,
    target_id: int,
    reason: str,
    confirm_self: bool,
) -> None:
    """Refuse an author deciding their own work unless they are the only moderator, have
    confirmed and given a reason; record that self-approval in the audit log."""
    if decider.id not in authors:
        return
    others = other_deciders(authors)
    if others:
        names = ", ".join(user.display_name for user in others[:3])
        raise Forbidden(
            _(
                "You wrote this, so another moderator must decide it (%(names)s). It stays in "
                "the review queue for them.",
                names=names,
            )
        )
    if not confirm_self or not reason.strip():
        raise ServiceError(
            _(
                "You are the only moderator, so you may decide on your own work: tick the "
                "confirmation and give a reason; it will be recorded as self-approved."
            )
        )
    audit.record(decider.id, "review.self_approved", target_type, target_id, reason.strip(),
                 what=what)  # fmt: skip
