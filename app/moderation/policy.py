"""Who may moderate what: the named requirements that moderation services and pages share."""

from __future__ import annotations

from app.accounts.models import Actor, User
from app.core.errors import Forbidden
from app.core.permissions import RANK, Role, has_role


def is_moderator(user: Actor) -> bool:
    return has_role(user, Role.MODERATOR)


def require_moderator(user: Actor, message: str = "Only moderators can do this.") -> None:
    if not is_moderator(user):
        raise Forbidden(message)


def require_can_restrict(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise Forbidden("You cannot restrict your own account.")
    if RANK[Role(user.role)] >= RANK[Role(actor.role)]:
        raise Forbidden("Only an administrator can restrict a moderator's account.")
