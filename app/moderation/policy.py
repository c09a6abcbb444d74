"""Who may moderate what: the named requirements that moderation services and pages share."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.core.errors import Forbidden
from app.core.permissions import RANK, Role, at_least

can_moderate = at_least(Role.MODERATOR, "moderate", _l("Only moderators can do this."))
can_read_audit_log = at_least(
    Role.MODERATOR,
    "read the audit log",
    _l("The audit log is for moderators and administrators."),
)
# Moderators read the entries of moderation actions; administrators read every entry (roles,
# site settings, watched words, categories, second factors too).
reads_whole_audit_log = at_least(
    Role.ADMIN, "read the whole audit log", _l("Only administrators read every entry of the log.")
)
can_restrict_accounts = at_least(
    Role.MODERATOR, "restrict accounts", _l("Only moderators can restrict accounts.")
)


def require_can_restrict(actor: User, user: User) -> None:
    """A moderator restricts members below their own rank, never themselves."""
    if user.id == actor.id:
        raise Forbidden(_("You cannot restrict your own account."))
    if RANK[Role(user.role)] >= RANK[Role(actor.role)]:
        raise Forbidden(_("Only an administrator can restrict a moderator's account."))
