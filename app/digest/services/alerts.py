"""Saved-search alerts: tell members about newly published cases that match their saved searches.

`send_due(now)` (run by `flask alerts send`, hourly from cron) looks at every saved search with
a daily or weekly alert that has not had its alert for the current period (the UTC day, or the
ISO week). The cases published since the search was last looked at, that its owner may read and
that have every word and filter of the search, make one site notification and one e-mail
listing their titles and links (never a case's text). The alert is recorded in
`saved_search_alerts`, one row per search and period (a unique key), so a second run in the
same period sends nothing, and two runs at once cannot both send.

A search with no new match is looked at again on the next run; the first run that finds some
sends that period's alert. Cases published a few minutes before the last look are looked at
again (a publication whose transaction was still open then), and a case already listed is
never listed twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from whoosh.query import And, Or, Query, Term

from app.accounts.models import User
from app.core.db import db, lock
from app.core.errors import NotFound
from app.core.i18n import recipient_language
from app.core.mail import send_mail
from app.core.notifications import notify
from app.core.time import utcnow
from app.core.urls import external_url
from app.digest import browse, policy
from app.digest.models import (
    AlertFrequency,
    CaseDigest,
    CaseStatus,
    SavedSearch,
    SavedSearchAlert,
)
from app.digest.presentation import labelled
from app.digest.services.saved_searches import state_of, unsubscribe_token
from app.search import MAX_QUERY_CHARS, search

log = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=10)
MAX_LISTED = 20  # titles in one e-mail; the rest are counted, with a link to all of them
MAX_CANDIDATES = 100  # new cases looked at per search and run (the search service's page limit)
NOTIFICATION_KIND = "digest.alert"


@dataclass
class RunReport:
    checked: int = 0
    sent: int = 0
    cases: int = 0
    failed: int = 0


def period_of(alert: str, now: datetime) -> str:
    """The period an alert belongs to: the UTC day ("2026-12-06") or ISO week ("2026-W49")."""
    if alert == AlertFrequency.WEEKLY:
        year, week, _ = now.isocalendar()
        return f"{year}-W{week:02d}"
    return now.date().isoformat()


def _due() -> list[int]:
    statement = (
        select(SavedSearch.id)
        .join(User, User.id == SavedSearch.user_id)
        .where(SavedSearch.alert != AlertFrequency.NONE, User.deleted_at.is_(None))
        .order_by(SavedSearch.id)
    )
    return list(db.session.scalars(statement))


def new_matches(
    saved: SavedSearch, user: User, since: datetime, until: datetime
) -> list[CaseDigest]:
    """Cases published in (since, until] that `user` may read and that match the saved search
    with every word and filter (no spelling correction, no "some of the words"), oldest first;
    cases an earlier alert of this search listed are left out."""
    listed: set[str] = set()
    for cases in db.session.scalars(
        select(SavedSearchAlert.cases).where(
            SavedSearchAlert.saved_search_id == saved.id, SavedSearchAlert.sent_at > since
        )
    ):
        listed.update(cases)
    candidates = [
        case
        for case in db.session.scalars(
            select(CaseDigest)
            .where(
                CaseDigest.status == CaseStatus.PUBLISHED,
                CaseDigest.published_at > since,
                CaseDigest.published_at <= until,
                policy.visible(user),
            )
            .order_by(CaseDigest.published_at, CaseDigest.id)
            .limit(MAX_CANDIDATES)
        )
        if case.slug not in listed
    ]
    if not candidates:
        return []
    state = state_of(saved)
    if len(state.q) > MAX_QUERY_CHARS:
        return []
    keys: Query = Or([Term("key", case.slug) for case in candidates])
    restriction = policy.restriction(user)
    request = browse.request_for(state, user, page=1, per_page=MAX_CANDIDATES)
    result = search(
        replace(
            request,
            restrict=keys if restriction is None else And([restriction, keys]),
            loosen=False,
        )
    )
    if result.error:
        log.warning("Saved search %s could not be run: %s", saved.id, result.error)
        return []
    found = {hit.key for hit in result.hits}
    return [case for case in candidates if case.slug in found]


def _path(endpoint: str, **values: object) -> str:
    """A site path (for a notification link), built without a request."""
    parts = urlsplit(external_url(endpoint, **values))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _results_args(saved: SavedSearch) -> dict[str, object]:
    """The search page's parameters for the saved search, newest cases first."""
    return state_of(saved).args(sort="newest", page=None)


def _mail_body(saved: SavedSearch, user: User, cases: list[CaseDigest]) -> str:
    """The e-mail's text, in the language `_tell` has set (the member's)."""
    count = len(cases)
    if saved.alert == AlertFrequency.DAILY:
        how_often = _("You get at most one e-mail a day for this search, when new cases match it.")
    else:
        how_often = _("You get at most one e-mail a week for this search, when new cases match it.")
    lines = [
        _("Hello %(name)s,", name=user.display_name),
        "",
        ngettext(
            "%(num)d new case matches your saved search “%(name)s”:",
            "%(num)d new cases match your saved search “%(name)s”:",
            count,
            name=saved.name,
        ),
        "",
    ]
    for case in cases[:MAX_LISTED]:
        lines += [f"- {labelled(case.title, case.illustrative)}",
                  f"  {external_url('digest.case', slug=case.slug)}"]  # fmt: skip
    if count > MAX_LISTED:
        lines += ["", _("… and %(count)s more.", count=count - MAX_LISTED)]
    lines += [
        "",
        _("Every result of this search, newest first:"),
        external_url("digest.search_page", **_results_args(saved)),
        "",
        how_often,
        _("Stop the alerts for this search:"),
        external_url("digest.unsubscribe", token=unsubscribe_token(saved)),
        _("Change or delete your saved searches:"),
        external_url("digest.saved_search_list"),
        "",
    ]
    return "\n".join(lines)


def _tell(saved: SavedSearch, user: User, cases: list[CaseDigest]) -> None:
    """The site notification and the e-mail, written in the member's language (the
    notification's text is stored as it is written)."""
    with force_locale(recipient_language(user.language)):
        title = ngettext(
            "%(num)d new case matches your saved search “%(name)s”",
            "%(num)d new cases match your saved search “%(name)s”",
            len(cases),
            name=saved.name,
        )
        body = _mail_body(saved, user, cases)
    notify(user.id, NOTIFICATION_KIND, title,
           _path("digest.search_page", **_results_args(saved)))  # fmt: skip
    if user.email_confirmed_at is not None:
        unsubscribe = external_url("digest.unsubscribe", token=unsubscribe_token(saved))
        send_mail(user.email, title, body,
                  headers={"List-Unsubscribe": f"<{unsubscribe}>"})  # fmt: skip


def send_one(search_id: int, now: datetime) -> int:
    """Send the search's alert for the current period if it is due and finds new cases;
    return how many cases it listed (0: nothing sent)."""
    saved = lock(SavedSearch, search_id)
    user = db.session.get(User, saved.user_id)
    if saved.alert == AlertFrequency.NONE or user is None or user.deleted_at is not None:
        return 0
    period = period_of(saved.alert, now)
    if saved.last_alert_period == period:
        return 0
    if user.is_suspended:
        return 0  # suspended: nothing is looked at, so the cases wait for the end of it
    since = max(saved.alerts_from, saved.checked_until - OVERLAP)
    cases = new_matches(saved, user, since, now)
    saved.checked_until = now
    if not cases:
        db.session.flush()
        return 0
    try:
        with db.session.begin_nested():
            db.session.add(
                SavedSearchAlert(saved_search_id=saved.id, period=period, sent_at=now,
                                 cases=[case.slug for case in cases])
            )  # fmt: skip
            db.session.flush()
    except IntegrityError:  # another run sent this period's alert a moment ago
        return 0
    saved.last_alert_period, saved.last_alert_at = period, now
    _tell(saved, user, cases)
    db.session.flush()
    return len(cases)


def send_due(now: datetime | None = None) -> RunReport:
    """Send every alert that is due, committing after each saved search."""
    report = RunReport()
    for search_id in _due():
        moment = now or utcnow()
        try:
            listed = send_one(search_id, moment)
            db.commit()
        except NotFound:  # deleted since the list was read
            db.rollback()
            continue
        except Exception:  # one broken search must not stop the others' alerts
            db.rollback()
            current_app.logger.exception("Alert of saved search %s failed.", search_id)
            report.failed += 1
            continue
        report.checked += 1
        if listed:
            report.sent += 1
            report.cases += listed
    return report
