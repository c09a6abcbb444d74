"""Members' forum profiles and the profile settings on the preferences page."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.errors import ServiceError
from app.core.responses import ViewResult, invalid
from app.forum import forms, reading
from app.forum.models import ORGANISATION_TYPES
from app.forum.services import profiles
from app.forum.services import watching as notify


def member(user_id: int) -> str:
    person = profiles.get_member(user_id)
    profile = profiles.profile_of(person.id)
    details = profiles.shows_details(current_user, person, profile)
    return render_template(
        "forum/member.html", member=person, profile=profile, details=details,
        own=person.id == current_user.id, organisation_types=ORGANISATION_TYPES,
        handle=notify.mention_handle(person.display_name),
        posts=reading.recent_posts(current_user, person.id) if details else [],
        post_count=reading.member_post_count(current_user, person.id) if details else 0,
        practices=reading.good_practices_of(person.id) if details else [],
    )  # fmt: skip


def preference_forms(profile_form: forms.ProfileForm | None = None) -> dict[str, object]:
    """What the preferences page shows besides the notification form."""
    if profile_form is None:
        profile = profiles.profile_of(current_user.id)
        profile_form = forms.ProfileForm(data={
            "organisation_type": profile.organisation_type,
            "show_country": profile.show_country, "hidden": profile.hidden,
        })  # fmt: skip
    return {
        "kinds": notify.EVENT_KINDS,
        "handle": notify.mention_handle(current_user.display_name),
        "profile_form": profile_form,
    }


def save_profile() -> ViewResult | Response:
    form = forms.ProfileForm()
    notifications = forms.PreferencesForm(formdata=None)
    for kind, (on_site, email) in notify.preferences(current_user.id).items():
        notifications[f"{kind}_site"].data, notifications[f"{kind}_email"].data = on_site, email
    if not form.validate_on_submit():
        page = render_template("forum/preferences.html", form=notifications,
                               **preference_forms(form))  # fmt: skip
        return page, 400
    try:
        profiles.save_profile(
            current_user, hidden=bool(form.hidden.data),
            organisation_type=form.organisation_type.data or "",
            show_country=bool(form.show_country.data),
        )  # fmt: skip
    except ServiceError as error:
        return invalid("forum/preferences.html", error, form=notifications,
                       **preference_forms(form))  # fmt: skip
    flash(_("Your profile settings are saved."), "success")
    return redirect(url_for("forum.member", user_id=current_user.id))
