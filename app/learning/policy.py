"""Who may do what in learning: the named requirements that services and templates share."""

from __future__ import annotations

from app.accounts.models import Actor
from app.core.errors import Forbidden
from app.core.permissions import Role, has_role


def can_revoke_certificates(user: Actor) -> bool:
    return has_role(user, Role.MODERATOR)


def require_can_revoke_certificates(user: Actor) -> None:
    if not can_revoke_certificates(user):
        raise Forbidden("Only moderators revoke certificates.")


def can_view_reports(user: Actor) -> bool:
    """Training reports (per course, per question) are for moderators and admins."""
    return has_role(user, Role.MODERATOR)
