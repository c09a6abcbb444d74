"""Saved searches: save from the search page, list, run, rename, choose the alert, delete; and
the page an alert e-mail's "stop the alerts" link opens (a button, then a POST)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from app.core.errors import ServiceError
from app.core.permissions import Role, role_required
from app.core.responses import ViewResult, invalid
from app.digest import browse, reading
from app.digest.forms import RemoveForm, RenameSearchForm, SaveSearchForm, SearchAlertForm
from app.digest.models import SavedSearch
from app.digest.services import saved_searches as saved

TEMPLATE = "digest/saved_searches.html"
UNSUBSCRIBE = "digest/unsubscribe.html"


def _context(**extra: Any) -> dict[str, Any]:
    searches = saved.saved_searches(current_user)
    countries = reading.country_names(current_user)
    described = {s.id: browse.describe(saved.state_of(s), countries) for s in searches}
    return {
        "searches": searches, "described": described, "limit": saved.MAX_PER_USER,
        "frequencies": saved.FREQUENCIES, "remove": RemoveForm(), **extra,
    }  # fmt: skip


def _refused(form: FlaskForm, **extra: Any) -> ViewResult:
    """The list again with the form's first error (400)."""
    message = next(iter(error for errors in form.errors.values() for error in errors), "")
    return invalid(
        TEMPLATE, ServiceError(message or _("The form was not valid.")), **_context(**extra)
    )


@role_required(Role.TRAINEE)
def saved_search_list() -> str:
    return render_template(TEMPLATE, **_context())


@role_required(Role.TRAINEE)
def save_search() -> ViewResult:
    form = SaveSearchForm()
    query = saved.canonical_query(form.query.data or "")
    pending = {"save_form": form, "pending": _describe(query)}
    if not form.validate_on_submit():
        return _refused(form, **pending)
    try:
        search = saved.save(current_user, form.name.data or "", form.query.data or "",
                            form.alert.data or "none")  # fmt: skip
    except ServiceError as error:
        return invalid(TEMPLATE, error, **_context(**pending))
    flash(_("The search is saved as “%(name)s”.", name=search.name), "success")
    return redirect(url_for("digest.saved_search_list"))


def _describe(query: str) -> str:
    state = browse.parse_state(MultiDict(parse_qsl(query)))
    return browse.describe(state, reading.country_names(current_user))


@role_required(Role.TRAINEE)
def run_saved_search(search_id: int) -> Response:
    search = saved.get_own(current_user, search_id)
    return redirect(url_for("digest.search_page", **saved.state_of(search).args()))


@role_required(Role.TRAINEE)
def rename_saved_search(search_id: int) -> ViewResult:
    form = RenameSearchForm()
    saved.get_own(current_user, search_id)  # someone else's is not found, whatever the form
    if not form.validate_on_submit():
        return _refused(form)
    try:
        search = saved.rename(current_user, search_id, form.name.data or "")
    except ServiceError as error:
        return invalid(TEMPLATE, error, **_context())
    flash(_("The search is renamed “%(name)s”.", name=search.name), "success")
    return redirect(url_for("digest.saved_search_list"))


@role_required(Role.TRAINEE)
def saved_search_alert(search_id: int) -> ViewResult:
    form = SearchAlertForm()
    saved.get_own(current_user, search_id)
    if not form.validate_on_submit():
        return _refused(form)
    search = saved.set_alert(current_user, search_id, form.alert.data or "")
    flash(_alert_message(search), "success")
    return redirect(url_for("digest.saved_search_list"))


def _alert_message(search: SavedSearch) -> str:
    if search.alert == "none":
        return str(_("No more alerts for “%(name)s”.", name=search.name))
    if search.alert == "daily":
        return str(
            _(
                "You will get at most one e-mail a day when newly published cases match "
                "“%(name)s”.",
                name=search.name,
            )
        )
    return str(
        _(
            "You will get at most one e-mail a week when newly published cases match “%(name)s”.",
            name=search.name,
        )
    )


@role_required(Role.TRAINEE)
def delete_saved_search(search_id: int) -> Response:
    name = saved.delete(current_user, search_id)
    flash(_("The saved search “%(name)s” is deleted.", name=name), "success")
    return redirect(url_for("digest.saved_search_list"))


def unsubscribe(token: str) -> ViewResult:
    """GET shows what the link stops and a button; only the POST changes anything."""
    form = RemoveForm()
    try:
        search = saved.search_for_token(token)
    except ServiceError as error:
        return render_template(UNSUBSCRIBE, error=error.message, form=form), error.status
    if form.validate_on_submit():
        search = saved.unsubscribe(token)
        return render_template(UNSUBSCRIBE, search=search, done=True, form=form)
    return render_template(UNSUBSCRIBE, search=search, done=False, form=form)
