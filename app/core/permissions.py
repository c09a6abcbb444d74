"""Roles, named permission requirements, and the decorator that guards views.

A `Requirement` is a named rule with the message a refused user reads (flaskbb's
`utils/requirements.py` is the model): `policy.can_flag(user)` answers yes or no (templates,
views), `policy.can_flag.require(user)` raises `Forbidden` with the message (services). Each
feature declares its requirements in its `policy.py`; no guard is written twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.errors import Forbidden

if TYPE_CHECKING:
    from app.accounts.models import Actor

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    TRAINEE = "trainee"
    PRACTITIONER = "practitioner"
    MODERATOR = "moderator"
    ADMIN = "admin"


RANK = {Role.TRAINEE: 0, Role.PRACTITIONER: 1, Role.MODERATOR: 2, Role.ADMIN: 3}
# Each role as a reader reads it (lazy: translated when shown, in the reader's language).
ROLE_NAMES = {
    Role.TRAINEE: _l("Trainee"),
    Role.PRACTITIONER: _l("Practitioner"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Administrator"),
}


def role_name(role: str) -> str:
    """The role's name in the reader's language ("Praticien"); an unknown value as it is."""
    try:
        return str(ROLE_NAMES[Role(role)])
    except ValueError:
        return role


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


@dataclass(frozen=True)
class Requirement:
    """A permission rule with a name and the message shown when it refuses (a lazy string,
    `lazy_gettext`: the rule is declared at import, the message read in the reader's language)."""

    name: str
    rule: Callable[[Actor | None], bool]
    message: str

    def __call__(self, user: Actor | None) -> bool:
        return self.rule(user)

    def require(self, user: Actor | None) -> None:
        """Raise `Forbidden` (403, with the message) unless the rule holds for `user`. The message
        may be a lazy translation (made at import): it is read in the reader's language here."""
        if not self.rule(user):
            raise Forbidden(str(self.message))


def at_least(role: Role, name: str, message: str) -> Requirement:
    """The requirement of holding `role` or a higher one."""
    return Requirement(name, lambda user: has_role(user, role), message)


def requires(requirement: Requirement) -> Callable[[F], F]:
    """Guard a view with a requirement: visitors go to sign-in (401), others get a 403 page
    with the requirement's message."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            requirement.require(current_user)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
