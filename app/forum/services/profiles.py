"""Members' forum profiles: what each member chooses to show, and who may see it.

A profile exists for every forum reader (practitioners and above, not deleted); everyone else
answers 404. A member who hides their details shows other members only their display name;
they themselves and the moderators still see everything.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Actor, User
from app.core.db import db, one_or_404
from app.core.errors import ServiceError
from app.forum import policy
from app.forum.models import ORGANISATION_TYPES, MemberProfile
from app.forum.services.watching import READER_ROLES


def get_member(user_id: int) -> User:
    """A forum reader by id; NotFound for anyone else (trainees, deleted accounts, no one)."""
    statement = select(User).where(
        User.id == user_id, User.role.in_(READER_ROLES), User.deleted_at.is_(None)
    )
    return one_or_404(statement, _("There is no such member."))


def profile_of(user_id: int) -> MemberProfile:
    """The member's choices (the defaults, unsaved, when they never chose)."""
    found = db.session.get(MemberProfile, user_id)
    if found is None:
        return MemberProfile(
            user_id=user_id, hidden=False, organisation_type="", show_country=False
        )
    return found


def shows_details(viewer: Actor, member: User, profile: MemberProfile) -> bool:
    """Whether `viewer` sees the details: unless hidden; always themselves and moderators."""
    if not profile.hidden:
        return True
    return viewer.is_authenticated and (viewer.id == member.id or policy.can_moderate(viewer))


def save_profile(
    user: User, *, hidden: bool, organisation_type: str, show_country: bool
) -> MemberProfile:
    if organisation_type and organisation_type not in ORGANISATION_TYPES:
        raise ServiceError(_("Choose an organisation type from the list."))
    profile = db.session.get(MemberProfile, user.id)
    if profile is None:
        profile = MemberProfile(user_id=user.id)
        db.session.add(profile)
    profile.hidden = hidden
    profile.organisation_type = organisation_type
    profile.show_country = show_country
    db.session.flush()
    return profile
