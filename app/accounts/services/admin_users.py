"""What administrators do to accounts from the site: change a role, re-send a confirmation.

Each change is in the audit log with what it was before and after. Suspensions and silences are
the moderation feature's (`/forum/members/<id>/restrictions`), linked from the account page.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.accounts import policy
from app.accounts.models import User
from app.accounts.services import users
from app.core import audit
from app.core.errors import Conflict, Forbidden, ServiceError
from app.core.permissions import Role


def change_role(actor: User, user: User, role: Role, reason: str) -> None:
    """Give `user` a new role. An administrator does not change their own role (another one
    must), so the site always keeps at least one administrator."""
    policy.can_manage_users.require(actor)
    if user.deleted_at is not None:
        raise Conflict(_("This account was deleted; its role cannot change."))
    if not reason.strip():
        raise ServiceError(_("Give a reason for the change."))
    if user.id == actor.id:
        raise Forbidden(_("You cannot change your own role: ask another administrator."))
    if user.role == role.value:
        raise Conflict(_("%(name)s already has this role.", name=user.display_name))
    users.set_role(actor, user, role, reason.strip())


def resend_confirmation(actor: User, user: User) -> None:
    policy.can_manage_users.require(actor)
    if user.deleted_at is not None:
        raise Conflict(_("This account was deleted."))
    if user.email_confirmed_at is not None:
        raise Conflict(_("This address is already confirmed."))
    users.send_confirmation(user)
    audit.record(actor.id, "user.confirmation_resent", "user", user.id)
