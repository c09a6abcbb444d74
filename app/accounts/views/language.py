"""The language picker in the footer: a small form that works without JavaScript."""

from __future__ import annotations

from flask import current_app, redirect
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.forms import LanguageForm
from app.accounts.services import users
from app.accounts.views import safe_next
from app.core import i18n
from app.core.responses import ViewResult
from app.core.views import render_error
from app.extensions import csrf


@csrf.exempt
def choose_language() -> ViewResult:
    """Remember the reader's language in a cookie and, for a member, on their account; then go
    back to the page they were reading.

    Only a member's choice (stored on the account) needs the form's CSRF token: a visitor's sets
    a cookie in their own browser, and a token in every visitor's footer would tie each page to
    one session, so no visitor's page could be kept per content generation (app/core/http_cache).
    """
    form = LanguageForm(meta={} if current_user.is_authenticated else {"csrf": False})
    form.language.choices = i18n.language_choices()
    if not form.validate_on_submit():
        return render_error(400, _("Choose one of the languages offered."))
    language = str(form.language.data)
    if current_user.is_authenticated:
        users.set_language(current_user, language, i18n.supported())
    response = redirect(safe_next(form.next.data), 303)
    response.set_cookie(
        i18n.COOKIE, language, max_age=i18n.COOKIE_DAYS * 86_400, httponly=True, samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )  # fmt: skip
    return response
