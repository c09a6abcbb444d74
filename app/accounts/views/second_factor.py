"""The second factor: its page on the account, its setup, and the code step of signing in.

Between the password step and the code step the only state is a signed entry in the Flask
session (`PENDING`): the account, a fingerprint of its session token (a new password voids the
entry), where to go next, an expiry (`PENDING_SECONDS`) and the count of wrong codes
(`MAX_CODE_TRIES`). Nobody is signed in, and no `SignIn` row exists, until a code is accepted.
The account also counts wrong codes (`second_factor.check_at_sign_in`), since a client can send
an old session cookie again.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import forms, reading
from app.accounts.models import User
from app.accounts.services import second_factor
from app.accounts.services import users as services
from app.accounts.views import safe_next, sign_in_browser
from app.core import settings
from app.core.db import db, intend_write
from app.core.errors import ServiceError
from app.core.permissions import Role, has_role
from app.core.responses import ViewResult, invalid, page_status
from app.extensions import limiter

PENDING = "second_factor_pending"
PENDING_SECONDS = 5 * 60
MAX_CODE_TRIES = 5


def _fingerprint(user: User) -> str:
    """Stands for the account's session token in the cookie, which the client can read (signed,
    not encrypted): a new password changes it, and the token itself never leaves the server."""
    return hashlib.sha256(f"second-factor:{user.session_token}".encode()).hexdigest()[:32]


def begin(user: User, remember: bool, next_url: str | None) -> Response:
    """After a correct password: remember who is signing in, and ask for the code."""
    session[PENDING] = {
        "uid": user.id,
        "st": _fingerprint(user),
        "remember": remember,
        "next": next_url or "",
        "until": int(time.time()) + PENDING_SECONDS,
        "tries": 0,
    }
    return redirect(url_for("accounts.sign_in_code"))


def _pending() -> tuple[User, dict[str, Any]] | None:
    data = session.get(PENDING)
    if not isinstance(data, dict) or int(data.get("until", 0)) < time.time():
        session.pop(PENDING, None)
        return None
    user = services.get_user(int(data["uid"]))
    if user is None or user.deleted_at is not None or _fingerprint(user) != data.get("st"):
        session.pop(PENDING, None)
        return None
    return user, data


@limiter.limit("10 per 5 minutes", methods=["POST"])
def sign_in_code() -> ViewResult:
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    pending = _pending()
    if pending is None:
        flash(_("Sign in again: the step for the code has expired."), "info")
        return redirect(url_for("accounts.sign_in"))
    user, data = pending
    form = forms.SecondFactorCodeForm()
    if form.validate_on_submit():
        if second_factor.check_at_sign_in(user, form.code.data):
            session.pop(PENDING, None)
            remember = bool(data.get("remember"))
            sign_in_browser(user, remember)
            return redirect(safe_next(data.get("next")))
        # The wrong code is counted on the account even though the answer is an error.
        db.commit()
        data["tries"] = int(data.get("tries", 0)) + 1
        if data["tries"] >= MAX_CODE_TRIES:
            session.pop(PENDING, None)
            flash(_("Too many wrong codes. Sign in again."), "error")
            return redirect(url_for("accounts.sign_in"))
        session[PENDING] = data
        form.code.errors.append(str(second_factor.WRONG_CODE))
        return render_template("accounts/sign_in_code.html", form=form), 401
    return render_template("accounts/sign_in_code.html", form=form), page_status(form)


def _status_page(status: int = 200, **forms_: Any) -> tuple[str, int]:
    return render_template(
        "accounts/second_factor.html",
        enabled=reading.second_factor_on(current_user.id),
        factor=second_factor.get(current_user.id),
        unused=reading.unused_recovery_codes(current_user.id),
        regenerate_form=forms_.get("regenerate_form")
        or forms.RegenerateCodesForm(prefix="regenerate"),
        disable_form=forms_.get("disable_form") or forms.DisableSecondFactorForm(prefix="disable"),
    ), status


@login_required
def overview() -> ViewResult:
    return _status_page()


def _codes_page(codes: list[str]) -> Response:
    response = make_response(render_template("accounts/recovery_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response


@login_required
@limiter.limit("10 per 10 minutes", methods=["POST"])
def setup() -> ViewResult:
    if reading.second_factor_on(current_user.id):
        flash(_("Your second factor is already on."), "info")
        return redirect(url_for("accounts.second_factor"))
    form = forms.SecondFactorCodeForm()
    if request.method == "GET":
        intend_write()
    factor = second_factor.begin_setup(current_user)
    context = {
        "form": form,
        "secret": factor.secret,
        "uri": second_factor.provisioning_uri(factor, current_user),
    }
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_setup(current_user, form.code.data)
        except ServiceError as error:
            return invalid("accounts/second_factor_setup.html", error, **context)
        flash(_("Your second factor is on."), "success")
        return _codes_page(codes)
    return render_template("accounts/second_factor_setup.html", **context), page_status(form)


@login_required
@limiter.limit("10 per hour")
def regenerate_codes() -> ViewResult:
    form = forms.RegenerateCodesForm(prefix="regenerate")
    if not form.validate_on_submit():
        return _status_page(400, regenerate_form=form)
    try:
        codes = second_factor.regenerate_recovery_codes(current_user, form.password.data)
    except ServiceError as error:
        flash(error.message, "error")
        return _status_page(error.status, regenerate_form=form)
    flash(_("New recovery codes: the old ones no longer work."), "success")
    return _codes_page(codes)


@login_required
@limiter.limit("10 per hour")
def disable() -> ViewResult:
    if has_role(current_user, Role.MODERATOR) and settings.get_bool(settings.REQUIRE_2FA_FOR_STAFF):
        flash(_("Moderators and administrators must keep a second factor on this site."), "error")
        return _status_page(403)
    form = forms.DisableSecondFactorForm(prefix="disable")
    if not form.validate_on_submit():
        return _status_page(400, disable_form=form)
    try:
        second_factor.disable(current_user, form.password.data, form.code.data)
    except ServiceError as error:
        flash(error.message, "error")
        return _status_page(error.status, disable_form=form)
    flash(_("Your second factor is off."), "success")
    return redirect(url_for("accounts.second_factor"))


# Where a moderator or administrator without a second factor may go while the site requires one.
SETUP_ENDPOINTS = frozenset(
    {"static", "accounts.second_factor", "accounts.second_factor_setup", "accounts.sign_out"}
)


def require_for_staff() -> Response | None:
    """Send staff without a second factor to set one up, when the site setting asks for it."""
    if request.endpoint in SETUP_ENDPOINTS or not current_user.is_authenticated:
        return None
    if not has_role(current_user, Role.MODERATOR):
        return None
    if reading.second_factor_on(current_user.id):
        return None
    if not settings.get_bool(settings.REQUIRE_2FA_FOR_STAFF):
        return None
    flash(_("This site requires moderators and administrators to set up a second factor."), "info")
    return redirect(url_for("accounts.second_factor_setup"))
