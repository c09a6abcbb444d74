"""Sign-up, e-mail confirmation, sign-in, profile, password reset, lockout, account deletion."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from tests.conftest import PASSWORD, Outbox


def _user(app: Flask, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None
        db.session.expunge(user)
        return user


def test_sign_up_confirm_sign_in_and_edit_profile(
    app: Flask, client: FlaskClient, outbox: Outbox
) -> None:
    response = client.post(
        "/sign-up",
        data={
            "email": "Officer@Example.org",
            "display_name": "Border Officer",
            "password": "tracing-seized-rifles-42",
            "confirm": "tracing-seized-rifles-42",
        },
    )
    assert response.status_code == 200
    assert "Check your mailbox" in response.get_data(as_text=True)
    assert _user(app, "officer@example.org").email_confirmed_at is None
    assert client.get("/account").status_code == 302  # not signed in until confirmed

    link = outbox.last_link("officer@example.org", "/confirm/")
    assert client.get(link).status_code == 302
    assert _user(app, "officer@example.org").email_confirmed_at is not None

    signed_in = client.post(
        "/sign-in",
        data={"email": "officer@example.org", "password": "tracing-seized-rifles-42"},
    )
    assert signed_in.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "confirmed" in page and "Border Officer" in page

    saved = client.post(
        "/account",
        data={
            "display_name": "Inspector B",
            "organisation": "National Customs",
            "country": "Ghana",
            "function": "Customs officer",
            "expertise": "Postal interdiction",
        },
        follow_redirects=True,
    )
    assert "Your profile is saved." in saved.get_data(as_text=True)
    user = _user(app, "officer@example.org")
    assert (user.display_name, user.organisation, user.country) == (
        "Inspector B",
        "National Customs",
        "Ghana",
    )


def test_sign_up_rejects_common_short_and_mismatched_passwords(client: FlaskClient) -> None:
    base = {"email": "a@example.org", "display_name": "Trainee A"}
    short = client.post("/sign-up", data={**base, "password": "abc", "confirm": "abc"})
    assert short.status_code == 400
    assert "at least 10 characters" in short.get_data(as_text=True)
    common = client.post(
        "/sign-up", data={**base, "password": "password123", "confirm": "password123"}
    )
    assert common.status_code == 400
    assert "too common" in common.get_data(as_text=True)
    mismatch = client.post(
        "/sign-up", data={**base, "password": "long enough pass", "confirm": "other pass 12"}
    )
    assert mismatch.status_code == 400
    assert "do not match" in mismatch.get_data(as_text=True)


def test_duplicate_sign_up_keeps_the_first_account_and_tells_its_owner(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], outbox: Outbox
) -> None:
    existing = make_user(email="taken@example.org", display_name="First")
    response = client.post(
        "/sign-up",
        data={
            "email": "TAKEN@example.org",
            "display_name": "Second",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "Check your mailbox" in response.get_data(as_text=True)
    assert "already" not in response.get_data(as_text=True)
    assert _user(app, "taken@example.org").display_name == existing.display_name
    [notice] = [m for m in outbox.messages() if m["To"] == "taken@example.org"]
    assert "already has an account" in notice.get_payload(decode=True).decode()


def test_forged_confirmation_link_is_refused(client: FlaskClient) -> None:
    response = client.get("/confirm/forged.token.value")
    assert response.status_code == 400
    assert "invalid or has expired" in response.get_data(as_text=True)


def test_password_reset_by_mailed_link_works_once(
    app: Flask, client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    user = make_user()
    answer = client.post("/reset", data={"email": user.email})
    assert "If an account uses this address" in answer.get_data(as_text=True)
    link = outbox.last_link(user.email, "/reset/")
    new = "a brand new passphrase"
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 302
    assert (
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 401
    )
    assert client.post("/sign-in", data={"email": user.email, "password": new}).status_code == 302
    # The token is bound to the old session token: a second use fails.
    client.post("/sign-out")
    reused = client.post(link, data={"password": "another passphrase", "confirm": "x"})
    assert reused.status_code == 400
    assert "already used" in reused.get_data(as_text=True)


def test_reset_for_unknown_address_says_the_same_and_sends_nothing(
    client: FlaskClient, outbox: Outbox
) -> None:
    answer = client.post("/reset", data={"email": "nobody@example.org"})
    assert answer.status_code == 200
    assert "If an account uses this address" in answer.get_data(as_text=True)
    assert outbox.messages() == []


def test_repeated_failed_sign_ins_hold_back_that_address_with_the_same_message(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    answers = set()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        wrong = client.post("/sign-in", data={"email": user.email, "password": "wrong password"})
        assert wrong.status_code == 401
        answers.add(wrong.get_data(as_text=True))
    # Even the right password waits while this address is held back, with the same words.
    right = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert right.status_code == 401
    answers.add(right.get_data(as_text=True))
    assert len(answers) == 1 and "not correct" in answers.pop()


def test_remember_me_sets_a_persistent_cookie(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in cookies)


def test_sign_in_ignores_offsite_next(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user()
    response = client.post(
        "/sign-in?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_change_password_requires_the_current_one(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login()
    wrong = client.post(
        "/account/password",
        data={
            "current": "not mine at all",
            "password": "fresh passphrase 1",
            "confirm": "fresh passphrase 1",
        },
    )
    assert wrong.status_code == 400
    assert "current password is not correct" in wrong.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "fresh passphrase 1",
            "confirm": "fresh passphrase 1",
        },
    )
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200


def test_deleting_the_account_erases_personal_data_and_blocks_sign_in(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    user = login(organisation="Police", country="Peru")
    refused = client.post("/account/delete", data={"password": "wrong one", "confirm": "y"})
    assert refused.status_code == 400
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored is not None
        assert stored.display_name == "Deleted user"
        assert stored.email.endswith("@invalid") and stored.organisation == ""
    assert client.get("/account").status_code == 302
    again = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert again.status_code == 401
