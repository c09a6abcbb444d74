"""Administrators' account screens: the list of accounts with search and filters, and one
account's page (role change, confirmation re-send, link to restrictions, its audit trail)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts import forms, policy, reading
from app.accounts.models import User
from app.accounts.services import admin_users
from app.core.db import get_or_404
from app.core.errors import ServiceError
from app.core.pagination import page_number
from app.core.permissions import Role, requires, role_name
from app.core.responses import ViewResult


@requires(policy.can_manage_users)
def user_list() -> str:
    filters = reading.UserFilters.parse(request.args)
    page = reading.user_page(filters, page_number(request.args.get("page")))
    return render_template(
        "accounts/admin_users.html",
        page=page,
        filters=filters,
        roles=list(Role),
        statuses=reading.USER_STATUSES,
        last_seen=reading.LAST_SEEN,
        status_of=reading.user_status,
    )


def _render_user(
    user: User,
    role_form: forms.RoleForm,
    status: int = 200,
    error: ServiceError | None = None,
) -> ViewResult:
    """The account's page; with `error`, its message flashed and its 4xx status."""
    if error is not None:
        flash(error.message, "error")
        status = error.status
    return render_template(
        "accounts/admin_user.html",
        user=user,
        role_form=role_form,
        resend_form=forms.ResendConfirmationForm(),
        status=reading.user_status(user),
        entries=reading.user_audit_entries(user),
    ), status


@requires(policy.can_manage_users)
def user_detail(user_id: int) -> ViewResult:
    user = get_or_404(User, user_id, _("There is no account with this number."))
    form = forms.RoleForm()
    if request.method == "GET":
        form.role.data = user.role
    return _render_user(user, form)


@requires(policy.can_manage_users)
def user_role(user_id: int) -> ViewResult:
    user = get_or_404(User, user_id, _("There is no account with this number."))
    form = forms.RoleForm()
    if not form.validate_on_submit():
        return _render_user(user, form, 400)
    previous = user.role
    try:
        admin_users.change_role(current_user, user, Role(form.role.data), form.reason.data or "")
    except ServiceError as error:
        return _render_user(user, form, error=error)
    message = _(
        "%(name)s is now %(role)s (was %(previous)s).",
        name=user.display_name,
        role=role_name(user.role).lower(),
        previous=role_name(previous).lower(),
    )
    flash(message, "success")
    return redirect(url_for("accounts.admin_user", user_id=user.id))


@requires(policy.can_manage_users)
def user_resend(user_id: int) -> Response | ViewResult:
    user = get_or_404(User, user_id, _("There is no account with this number."))
    form = forms.ResendConfirmationForm()
    if not form.validate_on_submit():
        return _render_user(user, forms.RoleForm(), 400)
    try:
        admin_users.resend_confirmation(current_user, user)
    except ServiceError as error:
        return _render_user(user, forms.RoleForm(), error=error)
    flash(
        _("The confirmation e-mail was sent again to %(address)s.", address=user.email), "success"
    )
    return redirect(url_for("accounts.admin_user", user_id=user.id))
