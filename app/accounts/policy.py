"""Who may do what with accounts: the named requirements that services and templates share."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.core.errors import Conflict, Forbidden
from app.core.permissions import Role, at_least, has_role


def require_can_apply(user: User, has_pending_application: bool) -> None:
    """A confirmed trainee without a waiting application may ask for practitioner access."""
    if has_role(user, Role.PRACTITIONER):
        raise Conflict(_("You already have practitioner access."))
    if user.email_confirmed_at is None:
        raise Forbidden(_("Confirm your e-mail address before applying."))
    if has_pending_application:
        raise Conflict(_("Your application is already waiting for review."))


can_decide_applications = at_least(
    Role.MODERATOR, "decide applications", _l("Only moderators decide applications.")
)

can_edit_site_settings = at_least(
    Role.ADMIN, "edit site settings", _l("Only administrators change the site settings.")
)

can_manage_users = at_least(
    Role.ADMIN, "manage accounts", _l("Only administrators list accounts and change roles.")
)
