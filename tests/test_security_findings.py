"""The findings of the security probe of the `make run` site, one test (or a few) per finding.

Each test failed against the code before its fix; docs/SECURITY.md lists them with the threat
they cover.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts import passwords
from app.accounts.models import User
from app.core.audit import record
from app.core.db import db
from app.core.permissions import Role
from tests.conftest import PASSWORD, Outbox

SIGN_IN = "/sign-in"


def _sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **kw: Any) -> Any:
    return client.post(SIGN_IN, data={"email": email, "password": password, **kw})


# 1. Links in e-mail never follow the request's Host header ---------------------------------


def test_a_request_for_a_host_not_allowed_is_refused_and_sends_no_mail(
    make_app: Callable[..., Flask], make_user: Callable[..., User], outbox: Outbox
) -> None:
    app = make_app(SERVER_NAME=None)
    user = make_user()
    client = app.test_client()
    response = client.post("/reset", data={"email": user.email}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert outbox.messages() == []


def test_links_in_mail_use_the_configured_public_address(
    make_app: Callable[..., Flask], make_user: Callable[..., User], outbox: Outbox
) -> None:
    app = make_app(
        SERVER_NAME=None,
        PUBLIC_BASE_URL="https://platform.example.org",
        TRUSTED_HOSTS=["platform.example.org", "127.0.0.1"],
    )
    user = make_user()
    client = app.test_client()
    response = client.post("/reset", data={"email": user.email}, headers={"Host": "127.0.0.1"})
    assert response.status_code == 200
    body = outbox.messages()[-1].get_payload(decode=True).decode()
    assert "https://platform.example.org/reset/" in body
    assert "127.0.0.1" not in body


# 4. Signing out ends the session, wherever its cookie went ---------------------------------


def _copy_cookie(source: FlaskClient, target: FlaskClient, name: str) -> None:
    cookie = source.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    target.set_cookie(name, cookie.value)


def test_a_session_cookie_captured_before_sign_out_no_longer_works(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user()
    browser, thief = app.test_client(), app.test_client()
    assert _sign_in(browser, user.email).status_code == 302
    _copy_cookie(browser, thief, "session")
    assert thief.get("/account").status_code == 200
    browser.post("/sign-out")
    assert thief.get("/account").status_code == 302


def test_a_remember_cookie_captured_before_sign_out_no_longer_works(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user()
    browser, thief = app.test_client(), app.test_client()
    assert _sign_in(browser, user.email, remember="y").status_code == 302
    _copy_cookie(browser, thief, "remember_token")
    assert thief.get("/account").status_code == 200
    browser.post("/sign-out")
    thief.delete_cookie("session")
    assert thief.get("/account").status_code == 302


def test_sign_out_everywhere_ends_every_session_of_the_account(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    _sign_in(laptop, user.email)
    _sign_in(phone, user.email)
    assert "Sign out everywhere" in laptop.get("/account").get_data(as_text=True)
    assert laptop.post("/account/sign-out-everywhere").status_code == 302
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302


def test_the_remember_cookie_lifetime_is_configurable(make_app: Callable[..., Flask]) -> None:
    assert make_app().config["REMEMBER_COOKIE_DURATION"].days == 30
    assert make_app(REMEMBER_COOKIE_DAYS=7).config["REMEMBER_COOKIE_DURATION"].days == 7


# 5. Nobody can lock somebody else's account --------------------------------------------------


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(
    app: Flask, make_user: Callable[..., User], outbox: Outbox
) -> None:
    user = make_user()
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    answers = {
        _sign_in(attacker, user.email, "wrong password!").get_data(as_text=True) for _ in range(8)
    }
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert _sign_in(owner, user.email).status_code == 302
    # Even the right password waits while this address is held back.
    assert _sign_in(attacker, user.email).status_code == 401
    # One message for every failure: it says nothing of which accounts exist or are held.
    unknown = _sign_in(attacker, "nobody@example.org", "wrong password!").get_data(as_text=True)
    assert "locked" not in " ".join(answers) + unknown
    # The owner hears of it.
    notices = [m for m in outbox.messages() if m["To"] == user.email]
    assert any("sign-in" in m["Subject"].lower() for m in notices)


# 6. No account enumeration -----------------------------------------------------------------


def test_unknown_and_known_addresses_cost_the_same_password_work(
    app: Flask, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user()
    client = app.test_client()
    calls: list[str] = []
    real_hash, real_verify = passwords.hash_password, passwords.verify_password

    def hash_password(password: str) -> str:
        calls.append("hash")
        return real_hash(password)

    def verify_password(hashed: str, password: str) -> bool:
        calls.append("verify")
        return real_verify(hashed, password)

    monkeypatch.setattr(passwords, "hash_password", hash_password)
    monkeypatch.setattr("app.accounts.services.sessions.verify_password", verify_password)
    # Whatever is prepared once per process is prepared by this first round.
    _sign_in(client, "nobody@example.org", "wrong password!")
    calls.clear()
    _sign_in(client, user.email, "wrong password!")
    known = list(calls)
    calls.clear()
    _sign_in(client, "nobody-else@example.org", "wrong password!")
    assert calls == known == ["verify"]


def test_sign_up_with_a_taken_address_answers_as_a_new_one_and_tells_the_owner(
    app: Flask, make_user: Callable[..., User], outbox: Outbox
) -> None:
    make_user(email="taken@example.org")

    def sign_up(email: str) -> Any:
        return app.test_client().post(
            "/sign-up",
            data={"email": email, "display_name": "Someone", "password": PASSWORD,
                  "confirm": PASSWORD},
        )  # fmt: skip

    def page(response: Any, email_word: str) -> str:
        # Each browser has its own CSRF token (the footer's language form): not a difference.
        text = response.get_data(as_text=True).replace(email_word, "X")
        return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', text)

    taken, fresh = sign_up("taken@example.org"), sign_up("fresh@example.org")
    assert taken.status_code == fresh.status_code
    assert page(taken, "taken") == page(fresh, "fresh")
    to_owner = [m for m in outbox.messages() if m["To"] == "taken@example.org"]
    assert to_owner and "already has an account" in to_owner[-1].get_payload(decode=True).decode()


# 7. Ids out of range are not found, not a 500 ----------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/forum/t/{n}",
        "/forum/p/{n}",
        "/forum/p/{n}/flag",
        "/learning/attempts/{n}",
        "/moderation/items/{n}",
        "/forum/admin/categories/{n}",
        "/forum/library/e/{n}",
        "/forum/members/{n}/restrictions",
    ],
)
def test_ids_beyond_64_bits_are_not_found(
    client: FlaskClient, login: Callable[..., User], path: str
) -> None:
    login(Role.ADMIN)
    for ident in (2**31, 2**63):  # past PostgreSQL's INTEGER keys, past SQLite's
        assert client.get(path.format(n=ident)).status_code == 404


# 8. Single-line text is cleaned the same way everywhere ------------------------------------


def test_control_and_bidi_characters_are_removed_from_display_names(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    user = login()
    response = client.post(
        "/account",
        data={"display_name": "Ana\x00\r\nBcc: x@evil\x1b[31m\u202eRuiz", "organisation": "A\tB"},
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert saved is not None
        assert saved.display_name == "Ana Bcc: x@evil[31mRuiz"
        assert saved.organisation == "A B"


# 9. /healthz says up or down to the public -------------------------------------------------


def test_public_health_check_gives_no_counts(client: FlaskClient) -> None:
    answer = client.get("/healthz").get_json()
    assert answer == {"status": "ok"}


def test_an_admin_sees_the_health_details(client: FlaskClient, login: Callable[..., User]) -> None:
    login(Role.ADMIN)
    answer = client.get("/healthz").get_json()
    assert answer["status"] == "ok" and "database" in answer["checks"]


def test_configured_addresses_see_the_health_details(make_app: Callable[..., Flask]) -> None:
    app = make_app(HEALTH_DETAIL_ADDRESSES=["10.0.0.5"])
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.5"
    assert "checks" in client.get("/healthz").get_json()


# 11. Every CSV cell is defused -------------------------------------------------------------


def test_the_audit_csv_defuses_formulas_in_every_cell(
    app: Flask, client: FlaskClient, login: Callable[..., User], make_user: Callable[..., User]
) -> None:
    actor = make_user(Role.MODERATOR, display_name='=HYPERLINK("http://evil")')
    with app.app_context():
        record(actor.id, "user.set_role", "user", actor.id, "+cmd|' /C calc'!A0")
        db.commit()
    login(Role.ADMIN)
    rows = list(csv.reader(io.StringIO(client.get("/moderation/audit.csv").get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


# 13. The API's year range ------------------------------------------------------------------


def test_an_inverted_year_range_is_swapped_and_the_answer_says_so(client: FlaskClient) -> None:
    response = client.get("/api/v1/cases?year_from=2020&year_to=2010")
    assert response.status_code == 200
    assert "were swapped" in response.get_json()["notice"]


def test_the_openapi_document_describes_the_year_range_rule(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    listing = document["paths"]["/api/v1/cases"]["get"]
    year_from = next(p for p in listing["parameters"] if p["name"] == "year_from")
    assert "swapped" in year_from["description"]
