"""Saved-search alerts: `flask alerts send` tells a member, on the site and by e-mail, about newly
published cases that match a saved search; once per period; no restricted title below
practitioner; never a case's text; one-click (button) unsubscribe by a signed link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import Notification
from app.core.time import utcnow
from app.digest.models import SavedSearch, SavedSearchAlert
from app.digest.services import alerts
from tests.conftest import ClientFor, Outbox
from tests.digest.curation_helpers import case_form
from tests.digest.factory import SECTIONS, MakeCases
from tests.search.backends import search_backend  # noqa: F401  (both backends)

User_ = Callable[..., User]
SECRET_TEXT = "The ledger named the buyer in the harbour town."


def _about(word: str, **front: Any) -> dict[str, Any]:
    """Front matter of a case whose summary mentions `word`."""
    sections = {**SECTIONS, "Summary": f"{SECRET_TEXT} A {word} was searched."}
    return {"sections": sections, **front}


def _save(client: FlaskClient, name: str, query: str, alert: str = "daily") -> None:
    response = client.post("/cases/saved", data={"name": name, "query": query, "alert": alert})
    assert response.status_code == 302, response.get_data(as_text=True)


def _send(runner: FlaskCliRunner) -> str:
    result = runner.invoke(args=["alerts", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def _alerts(app: Flask) -> list[SavedSearchAlert]:
    with app.app_context():
        rows = list(db.session.scalars(select(SavedSearchAlert).order_by(SavedSearchAlert.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _notifications(app: Flask, user: User) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(Notification.title).where(Notification.user_id == user.id))
        )


def _mails_to(outbox: Outbox, user: User) -> list[Any]:
    return [message for message in outbox.messages() if message["To"] == user.email]


def test_only_new_published_cases_that_match_are_sent_once_per_period(
    app: Flask,
    client: FlaskClient,
    login: User_,
    make_cases: MakeCases,
    runner: FlaskCliRunner,
    outbox: Outbox,
) -> None:
    root = make_cases({"old-granary-case": _about("granary", title='"The old granary case"')})
    member = login("trainee", display_name="Tomas")
    _save(client, "Granaries", "q=granary")
    assert "0 alerts sent" in _send(runner)  # nothing new yet: the old case is not news
    make_cases(
        {
            "new-granary-case": _about("granary", title='"Pistols found under a granary"'),
            "new-barn-case": _about("barn", title='"Pistols found in a barn"'),
        },
        root=root,
    )
    assert "1 alerts sent (1 cases listed)" in _send(runner)
    (alert,) = _alerts(app)
    assert alert.cases == ["new-granary-case"]
    assert _notifications(app, member) == ["1 new case matches your saved search “Granaries”"]
    (mail,) = _mails_to(outbox, member)
    body = mail.get_payload(decode=True).decode()
    assert (
        str(make_header(decode_header(mail["Subject"])))
        == "1 new case matches your saved search “Granaries”"
    )
    assert "Pistols found under a granary (illustrative case)" in body
    assert "http://localhost/cases/new-granary-case" in body
    assert "barn" not in body and "old granary" not in body
    assert SECRET_TEXT not in body  # titles and links only, never a case's text
    assert mail["List-Unsubscribe"].startswith("<http://localhost/cases/alerts/unsubscribe/")

    # A second run in the same period sends nothing, even with another new match.
    make_cases({"second-granary-case": _about("granary")}, root=root)
    assert "0 alerts sent" in _send(runner)
    assert len(_mails_to(outbox, member)) == 1
    assert len(_notifications(app, member)) == 1
    # The next day's run lists it, and only it.
    with app.app_context():
        report = alerts.send_due(utcnow() + timedelta(days=1))
    assert (report.sent, report.cases) == (1, 1)
    assert [a.cases for a in _alerts(app)] == [["new-granary-case"], ["second-granary-case"]]
    assert len(_mails_to(outbox, member)) == 2


def test_a_published_draft_is_news_and_every_word_must_match(
    app: Flask,
    client: FlaskClient,
    login: User_,
    make_user: User_,
    client_for: ClientFor,
    runner: FlaskCliRunner,
    outbox: Outbox,
) -> None:
    member = login("trainee")
    _save(client, "Fuel tanks", "q=fuel+tank")
    _save(client, "Fuel tanks in boats", "q=fuel+tank+boat")
    author, approver = client_for(make_user("moderator")), client_for(make_user("moderator"))
    assert author.post("/cases/new", data=case_form()).status_code == 302
    assert "0 alerts sent" in _send(runner)  # a draft is not published
    assert author.post("/cases/fuel-tank-courier/submit").status_code == 302
    with app.app_context():
        from app.moderation.models import ReviewItem

        item_id = db.session.scalar(select(ReviewItem.id).where(ReviewItem.kind == "case_draft"))
    approved = approver.post(f"/moderation/items/{item_id}", data={"decision": "approve"})
    assert approved.status_code == 302
    assert "1 alerts sent (1 cases listed)" in _send(runner)
    # "boat" is in no word of the case: no "some of the words" fallback for alerts.
    assert _notifications(app, member) == ["1 new case matches your saved search “Fuel tanks”"]
    (mail,) = _mails_to(outbox, member)
    assert "Pistols hidden in a fuel tank" in mail.get_payload(decode=True).decode()


def test_restricted_titles_only_reach_practitioners(
    app: Flask,
    make_user: User_,
    client_for: ClientFor,
    make_cases: MakeCases,
    runner: FlaskCliRunner,
    outbox: Outbox,
) -> None:
    trainee, practitioner = make_user("trainee"), make_user("practitioner")
    for user in (trainee, practitioner):
        _save(client_for(user), "Granaries", "q=granary")
    make_cases(
        {
            "restricted-granary": _about(
                "granary", title='"Secret granary route"', restricted="true"
            ),
        }
    )
    assert "1 alerts sent" in _send(runner)
    assert _mails_to(outbox, trainee) == [] and _notifications(app, trainee) == []
    (mail,) = _mails_to(outbox, practitioner)
    assert "Secret granary route" in mail.get_payload(decode=True).decode()
    make_cases({"public-granary": _about("granary", title='"Open granary route"')})
    with app.app_context():
        alerts.send_due(utcnow() + timedelta(days=1))
    (trainee_mail,) = _mails_to(outbox, trainee)
    body = trainee_mail.get_payload(decode=True).decode()
    assert "Open granary route" in body and "Secret" not in body


def test_weekly_alerts_wait_for_the_next_week(
    app: Flask, client: FlaskClient, login: User_, make_cases: MakeCases, outbox: Outbox
) -> None:
    member = login("trainee")
    _save(client, "Granaries", "q=granary", alert="weekly")
    root = make_cases({"first-granary": _about("granary")})
    now = utcnow()
    with app.app_context():
        assert alerts.send_due(now).sent == 1
        make_cases({"second-granary": _about("granary")}, root=root)
        # Still this ISO week (same day), then a week later.
        assert alerts.send_due(now + timedelta(seconds=5)).sent == 0
        assert alerts.send_due(now + timedelta(days=7)).sent == 1
    assert len(_mails_to(outbox, member)) == 2


def test_the_unsubscribe_link_asks_then_stops_the_alerts(
    app: Flask,
    client: FlaskClient,
    login: User_,
    make_cases: MakeCases,
    runner: FlaskCliRunner,
    outbox: Outbox,
) -> None:
    member = login("trainee")
    _save(client, "Granaries", "q=granary")
    make_cases({"new-granary": _about("granary")})
    _send(runner)
    link = outbox.last_link(member.email, "/cases/alerts/unsubscribe/")
    visitor = app.test_client()  # the link works without signing in
    page = visitor.get(link)
    assert page.status_code == 200
    assert "Stop the daily e-mails about new cases matching your saved search “Granaries”?" in (
        page.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.scalar(select(SavedSearch.alert)) == "daily"  # GET changes nothing
    done = visitor.post(link)
    assert done.status_code == 200
    assert "You will get no more alerts" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(SavedSearch.alert)) == "none"
    assert visitor.post(link).status_code == 200  # again: harmless
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    refused = visitor.get(tampered)
    assert refused.status_code == 400
    assert "This link to stop alerts is not valid" in refused.get_data(as_text=True)
    assert visitor.post(tampered).status_code == 400


def test_a_deleted_search_sends_nothing_and_its_link_says_so(
    app: Flask,
    client: FlaskClient,
    login: User_,
    make_cases: MakeCases,
    runner: FlaskCliRunner,
    outbox: Outbox,
) -> None:
    member = login("trainee")
    _save(client, "Granaries", "q=granary")
    root = make_cases({"new-granary": _about("granary")})
    _send(runner)
    link = outbox.last_link(member.email, "/cases/alerts/unsubscribe/")
    with app.app_context():
        search_id = db.session.scalar(select(SavedSearch.id))
    client.post(f"/cases/saved/{search_id}/delete")
    gone = app.test_client().get(link)
    assert gone.status_code == 404
    assert "This saved search no longer exists" in gone.get_data(as_text=True)
    make_cases({"another-granary": _about("granary")}, root=root)
    with app.app_context():
        assert alerts.send_due(utcnow() + timedelta(days=1)).sent == 0
