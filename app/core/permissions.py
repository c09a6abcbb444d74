"""Roles and the decorators that guard views."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort
from flask_login import current_user

if TYPE_CHECKING:
    from app.accounts.models import Actor

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    TRAINEE = "trainee"
    PRACTITIONER = "practitioner"
    MODERATOR = "moderator"
    ADMIN = "admin"


RANK = {Role.TRAINEE: 0, Role.PRACTITIONER: 1, Role.MODERATOR: 2, Role.ADMIN: 3}


def has_role(user: Actor | None, role: Role) -> bool:
    """Tell whether a user (possibly anonymous) holds `role` or a higher one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return RANK.get(Role(user.role), -1) >= RANK[role]


def role_required(role: Role) -> Callable[[F], F]:
    """Refuse the view with 401 (redirect to sign-in) or 403 below `role`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if not has_role(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
