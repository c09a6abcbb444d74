"""The site settings page (/admin/settings), for administrators."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import forms, policy
from app.accounts.services import site_settings as services
from app.core import settings
from app.core.errors import ServiceError
from app.core.permissions import requires
from app.core.responses import ViewResult, invalid, page_status


@requires(policy.can_edit_site_settings)
def edit() -> ViewResult:
    form = forms.site_settings_form(settings.values(), settings.value_settings())
    if form.validate_on_submit():
        values = {s.key: bool(form[s.key].data) for s in settings.SETTINGS}
        # A number the form did not send keeps its value; one sent empty is refused.
        numbers = {
            s.key: str(form[s.key].data or "")
            for s in settings.VALUE_SETTINGS
            if s.key in request.form
        }
        try:
            changed = services.update(current_user, values, numbers)
        except ServiceError as error:
            return invalid(
                "accounts/site_settings.html",
                error,
                form=form,
                settings=settings.SETTINGS,
                value_settings=settings.VALUE_SETTINGS,
            )
        flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("accounts.site_settings"))
    return render_template(
        "accounts/site_settings.html", form=form, settings=settings.SETTINGS,
        value_settings=settings.VALUE_SETTINGS,
    ), page_status(form)  # fmt: skip
