"""A member's saved case searches: save, rename, choose the alert, delete, stop by e-mail link.

A saved search is the search page's whole URL state, kept in its canonical form (what the page
understood, without the page number), so running it shows the same search again. Every saved
search fetched by id is checked against its owner: someone else's is "not found" (404).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.accounts.models import User
from app.accounts.tokens import make_token, read_token
from app.core.db import db, lock
from app.core.errors import Conflict, NotFound, ServiceError
from app.core.text import single_line
from app.core.time import utcnow
from app.digest import browse
from app.digest.models import AlertFrequency, SavedSearch

MAX_NAME = 80
MAX_QUERY = 2000
MAX_PER_USER = 25
UNSUBSCRIBE_PURPOSE = "digest-alert-unsubscribe"
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600  # a link in an old e-mail keeps working for a year
NOT_FOUND = _l("You have no saved search at this address (it may have been deleted).")
FREQUENCIES = {
    AlertFrequency.NONE.value: _l("No alerts"),
    AlertFrequency.DAILY.value: _l("Daily e-mail"),
    AlertFrequency.WEEKLY.value: _l("Weekly e-mail"),
}


def canonical_query(query: str) -> str:
    """The URL query of the search as the page understands it (unknown values dropped, no
    page number), so two ways of writing one search are saved as one."""
    return browse.parse_state(MultiDict(parse_qsl(query.lstrip("?")))).query()


def state_of(search: SavedSearch) -> browse.SearchState:
    return browse.parse_state(MultiDict(parse_qsl(search.query)))


def saved_searches(user: User) -> list[SavedSearch]:
    """The user's saved searches, in the order they were saved."""
    statement = select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
    return list(db.session.scalars(statement))


def get_own(user: User, search_id: int) -> SavedSearch:
    """The user's saved search with this id; anybody else's is not found."""
    search = db.session.get(SavedSearch, search_id)
    if search is None or search.user_id != user.id:
        raise NotFound(str(NOT_FOUND))
    return search


def _name(name: str) -> str:
    name = single_line(name or "").strip()
    if not name:
        raise ServiceError(_("Give the search a name, such as “Converted pistols in the Balkans”."))
    if len(name) > MAX_NAME:
        raise ServiceError(
            _("The name is too long (%(length)s characters): use at most %(most)s.",
              length=len(name), most=MAX_NAME)
        )  # fmt: skip
    return name


def _frequency(alert: str) -> AlertFrequency:
    try:
        return AlertFrequency(alert or AlertFrequency.NONE.value)
    except ValueError:
        raise ServiceError(_("Choose no alerts, a daily e-mail or a weekly e-mail.")) from None


def _same_name(user: User, name: str, other_than: int | None = None) -> None:
    statement = select(SavedSearch.id).where(
        SavedSearch.user_id == user.id, func.lower(SavedSearch.name) == name.lower()
    )
    if other_than is not None:
        statement = statement.where(SavedSearch.id != other_than)
    if db.session.scalar(statement) is not None:
        raise Conflict(
            _("You already have a saved search named “%(name)s”: choose another name.", name=name)
        )


def save(user: User, name: str, query: str, alert: str = "none") -> SavedSearch:
    """Keep the search `query` (a URL query of /cases) under `name`."""
    name, frequency = _name(name), _frequency(alert)
    canonical = canonical_query(query)
    if len(canonical) > MAX_QUERY:
        raise ServiceError(_("This search is too long to save: use fewer words or filters."))
    lock(User, user.id)  # two saves at once wait here, so the limit below holds
    count = db.session.scalar(
        select(func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id)
    )
    if (count or 0) >= MAX_PER_USER:
        raise Conflict(
            _(
                "You have %(most)s saved searches, the most you can keep: delete one you no "
                "longer need, then save this one.",
                most=MAX_PER_USER,
            )
        )
    _same_name(user, name)
    existing = db.session.scalar(
        select(SavedSearch).where(SavedSearch.user_id == user.id, SavedSearch.query == canonical)
    )
    if existing is not None:
        raise Conflict(_("You already saved this search as “%(name)s”.", name=existing.name))
    now = utcnow()
    search = SavedSearch(
        user_id=user.id, name=name, query=canonical, alert=frequency.value,
        alerts_from=now, checked_until=now,
    )  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(search)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("You already have a saved search named “%(name)s”.", name=name)) from None
    return search


def rename(user: User, search_id: int, name: str) -> SavedSearch:
    search = get_own(user, search_id)
    name = _name(name)
    _same_name(user, name, other_than=search.id)
    search.name = name
    db.session.flush()
    return search


def set_alert(user: User, search_id: int, alert: str) -> SavedSearch:
    """Choose how often to hear of new cases; alerts switched on start from now."""
    search = get_own(user, search_id)
    frequency = _frequency(alert)
    if search.alert == AlertFrequency.NONE and frequency != AlertFrequency.NONE:
        search.alerts_from = search.checked_until = utcnow()
    search.alert = frequency.value
    db.session.flush()
    return search


def delete(user: User, search_id: int) -> str:
    """Delete the saved search (and its alert history); returns its name."""
    search = get_own(user, search_id)
    name = search.name
    db.session.delete(search)
    db.session.flush()
    return name


def unsubscribe_token(search: SavedSearch) -> str:
    return make_token(UNSUBSCRIBE_PURPOSE, {"search": search.id, "user": search.user_id})


def search_for_token(token: str) -> SavedSearch:
    """The saved search an unsubscribe link names; a forged or altered link is refused (400)."""
    payload = read_token(UNSUBSCRIBE_PURPOSE, token, UNSUBSCRIBE_MAX_AGE)
    if payload is None or not isinstance(payload.get("search"), int):
        raise ServiceError(
            _(
                "This link to stop alerts is not valid (it may be incomplete or too old). Sign "
                "in and change the alert on your saved searches page instead."
            )
        )
    search = db.session.get(SavedSearch, payload["search"])
    if search is None or search.user_id != payload.get("user"):
        raise NotFound(_("This saved search no longer exists, so it sends no more alerts."))
    return search


def unsubscribe(token: str) -> SavedSearch:
    """Stop the alerts of the saved search the link names (again is harmless)."""
    search = search_for_token(token)
    search.alert = AlertFrequency.NONE.value
    db.session.flush()
    return search
