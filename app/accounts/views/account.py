"""Accounts pages: sign-up, sign-in, confirmation, reset, profile, data download, practitioner
application."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from app.accounts import forms, reading
from app.accounts.services import sessions
from app.accounts.services import users as services
from app.accounts.views import safe_next, second_factor, sign_in_browser
from app.core import hooks, notifications
from app.core.db import db
from app.core.errors import ServiceError
from app.core.responses import ViewResult, invalid, page_status
from app.core.time import utcnow
from app.extensions import limiter


@limiter.limit("10 per hour", methods=["POST"])
def sign_up() -> ViewResult:
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = forms.SignUpForm()
    if form.validate_on_submit():
        try:
            services.sign_up(form.email.data, form.display_name.data, form.password.data)
        except ServiceError as error:
            return invalid("accounts/sign_up.html", error, form=form)
        # The same answer whether the address was free or already had an account (its owner
        # was told by e-mail): sign-up does not reveal who has an account.
        return render_template(
            "accounts/message.html",
            title=_("Check your mailbox"),
            message=_(
                "We sent a message to %(address)s. Open the link in it to confirm your address "
                "and sign in.",
                address=form.email.data.strip().lower(),
            ),
        )
    return render_template("accounts/sign_up.html", form=form), page_status(form)


def confirm_email(token: str) -> ViewResult:
    try:
        user, first_time = services.confirm_email(token)
    except ServiceError as error:
        return render_template(
            "accounts/message.html", title=_("Link not valid"), message=error.message
        ), 400
    flash(_("Your e-mail address is confirmed."), "success")
    if first_time and not current_user.is_authenticated:
        # The link reached the mailbox, which proves the address: the new member is signed in,
        # once (a second use of the link only says the address is confirmed).
        sign_in_browser(user)
    return redirect(
        url_for("accounts.profile" if current_user.is_authenticated else "accounts.sign_in")
    )


@login_required
@limiter.limit("5 per hour")
def resend_confirmation() -> Response:
    if current_user.email_confirmed_at is None:
        services.send_confirmation(current_user, reader_is_recipient=True)
        flash(_("We sent a new confirmation link."), "success")
    return redirect(url_for("accounts.profile"))


@limiter.limit("20 per 10 minutes", methods=["POST"])
def sign_in() -> ViewResult:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = forms.SignInForm()
    if form.validate_on_submit():
        address = request.remote_addr or ""
        result = sessions.authenticate(form.email.data, form.password.data, address)
        if result.user is not None:
            remember = bool(form.remember.data)
            if reading.second_factor_on(result.user.id):
                return second_factor.begin(result.user, remember, request.args.get("next"))
            sign_in_browser(result.user, remember)
            return redirect(safe_next(request.args.get("next")))
        # Failed attempts must be counted even though the response is an error.
        db.commit()
        form.password.errors.append(result.error or _("Sign-in failed."))
        return render_template("accounts/sign_in.html", form=form), 401
    return render_template("accounts/sign_in.html", form=form), page_status(form)


def sign_out() -> Response:
    if current_user.is_authenticated:
        sessions.end(current_user)
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("core.index"))


@login_required
def sign_out_everywhere() -> Response:
    ended = sessions.end_all(current_user.id)
    logout_user()
    flash(
        ngettext(
            "You are signed out on every device (%(num)s session).",
            "You are signed out on every device (%(num)s sessions).",
            ended,
        ),
        "success",
    )
    return redirect(url_for("accounts.sign_in"))


@limiter.limit("5 per hour", methods=["POST"])
def request_reset() -> ViewResult:
    form = forms.ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template(
            "accounts/message.html",
            title=_("Check your mailbox"),
            message=_(
                "If an account uses this address, we sent it a link to choose a new password."
            ),
        )
    return render_template("accounts/reset_request.html", form=form), page_status(form)


@limiter.limit("10 per hour", methods=["POST"])
def reset_password(token: str) -> ViewResult:
    try:
        services.user_for_reset_token(token)
    except ServiceError as error:
        return render_template(
            "accounts/message.html", title=_("Link not valid"), message=error.message
        ), 400
    form = forms.ResetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except ServiceError as error:
            return invalid("accounts/reset.html", error, form=form)
        logout_user()
        flash(_("Your password was changed. Sign in with the new one."), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset.html", form=form), page_status(form)


@login_required
def profile() -> ViewResult:
    form = forms.ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            form.display_name.data,
            form.organisation.data or "",
            form.country.data or "",
            form.function.data or "",
            form.expertise.data or "",
        )
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    application = services.latest_application(current_user)
    return render_template(
        "accounts/profile.html",
        form=form,
        application=application,
        second_factor_on=reading.second_factor_on(current_user.id),
    ), page_status(form)


@login_required
@limiter.limit("10 per hour", methods=["POST"])
def change_password() -> ViewResult:
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except ServiceError as error:
            return invalid("accounts/change_password.html", error, form=form)
        # A new password ends every sign-in; this browser starts a new one. (The user itself,
        # not the `current_user` proxy: logged in as the proxy, it would point at itself.)
        sign_in_browser(current_user._get_current_object())
        flash(_("Your password was changed."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), page_status(form)


@login_required
@limiter.limit("10 per hour")
def data_export() -> Response:
    """Everything the site holds about the member, as one JSON file to keep."""
    body = json.dumps(hooks.member_data(current_user), indent=2, ensure_ascii=False, default=str)
    response = Response(body, mimetype="application/json")
    day = utcnow().date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="my-data-{day}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@login_required
@limiter.limit("10 per hour", methods=["POST"])
def delete_account() -> ViewResult:
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.password.data)
        except ServiceError as error:
            return invalid("accounts/delete.html", error, form=form)
        logout_user()
        flash(_("Your account was deleted."), "success")
        return redirect(url_for("core.index"))
    return render_template("accounts/delete.html", form=form), page_status(form)


@login_required
def practitioner() -> ViewResult:
    form = forms.ApplicationForm(obj=current_user)
    if form.validate_on_submit():
        try:
            services.apply_for_practitioner(
                current_user,
                form.organisation.data,
                form.function.data,
                form.country.data,
                form.reason.data,
            )
        except ServiceError as error:
            return invalid(
                "accounts/practitioner.html",
                error,
                form=form,
                application=services.latest_application(current_user),
            )
        flash(_("Your application was sent to the moderators."), "success")
        return redirect(url_for("accounts.practitioner"))
    application = services.latest_application(current_user)
    return render_template(
        "accounts/practitioner.html", form=form, application=application
    ), page_status(form)


@login_required
def notification_list() -> ViewResult:
    if request.method == "POST":
        notifications.mark_all_read(current_user.id)
        return redirect(url_for("accounts.notification_list"))
    items = notifications.recent(current_user.id)
    return render_template("accounts/notifications.html", items=items)


def sign_out_suspended() -> Response | None:
    """End the session of a user suspended while signed in, on their next request."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if not current_user.is_suspended:
        return None
    message = sessions.suspension_message(current_user)
    sessions.end(current_user)
    logout_user()
    flash(message, "error")
    return redirect(url_for("accounts.sign_in"))
