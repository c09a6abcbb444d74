"""The second factor: setup confirmed by a code, the code step of signing in (authenticator
code, recovery code, replay, wrong codes, expiry), new recovery codes, switching off."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from app.accounts.models import RecoveryCode, SecondFactor, SignIn, User
from app.accounts.services import second_factor
from app.accounts.views import second_factor as second_factor_views
from app.core.db import db
from app.core.models import AuditEntry
from tests.conftest import PASSWORD, Outbox


def enable(app: Flask, user: User) -> tuple[pyotp.TOTP, list[str]]:
    """Switch the second factor on for `user` with the previous time step's code, so that the
    current step's code is still unused."""
    with app.app_context():
        member = db.session.get(User, user.id)
        assert member is not None
        factor = second_factor.begin_setup(member)
        totp = pyotp.TOTP(factor.secret)
        codes = second_factor.confirm_setup(member, totp.at(time.time() - 30))
        db.commit()
    return totp, codes


def password_step(client: FlaskClient, user: User, query: str = "") -> TestResponse:
    """Post the sign-in form by hand: these tests are about what follows it."""
    return client.post(f"/sign-in{query}", data={"email": user.email, "password": PASSWORD})


def signed_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


def test_setup_shows_the_secret_and_switches_on_only_with_a_current_code(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    user = login()
    assert "off" in client.get("/account/two-factor").get_data(as_text=True)
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page)
    assert secret is not None
    assert (
        f"otpauth://totp/Firearms%20Practitioners%27%20Platform:{user.email.replace('@', '%40')}"
        in page
    )
    # Reloading the page keeps the same secret (the app may already hold it).
    assert secret.group(1) in client.get("/account/two-factor/setup").get_data(as_text=True)

    wrong = client.post("/account/two-factor/setup", data={"code": "000000"})
    assert wrong.status_code == 400
    with app.app_context():
        assert db.session.get(SecondFactor, user.id).enabled_at is None  # type: ignore[union-attr]

    code = pyotp.TOTP(secret.group(1)).now()
    done = client.post("/account/two-factor/setup", data={"code": code})
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store" and done.mimetype == "text/html"
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.get_data(as_text=True))
    assert len(set(codes)) == 10
    with app.app_context():
        hashes = db.session.scalars(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
        ).all()
    assert len(hashes) == 10 and not {c.replace("-", "") for c in codes} & set(hashes)
    status = client.get("/account/two-factor").get_data(as_text=True)
    assert "Recovery codes left" in status and ">10<" in status
    assert "Second factor (authenticator app)</a>: on" in client.get("/account").get_data(
        as_text=True
    )


def test_sign_in_asks_for_the_code_before_signing_in(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    totp, _ = enable(app, user)
    response = password_step(client, user)
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in/code"
    assert not signed_in(client)
    with app.app_context():
        assert db.session.scalar(select(func.count(SignIn.id))) == 0
    page = client.get("/sign-in/code")
    assert page.status_code == 200 and "authenticator app" in page.get_data(as_text=True)
    done = client.post("/sign-in/code", data={"code": totp.now()})
    assert done.status_code == 302
    assert signed_in(client)
    with app.app_context():
        assert db.session.scalar(select(func.count(SignIn.id))) == 1


def test_sign_in_with_code_keeps_next_on_site(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    totp, _ = enable(app, user)
    password_step(client, user, "?next=/courses")
    assert client.post("/sign-in/code", data={"code": totp.now()}).headers["Location"] == (
        "/courses"
    )


def test_a_code_is_not_accepted_twice(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    totp, _ = enable(app, user)
    code = totp.now()
    password_step(client, user)
    assert client.post("/sign-in/code", data={"code": code}).status_code == 302
    client.post("/sign-out")
    password_step(client, user)
    replay = client.post("/sign-in/code", data={"code": code})
    assert replay.status_code == 401
    assert "not correct or was already used" in replay.get_data(as_text=True)
    assert not signed_in(client)


def test_a_code_from_the_previous_time_step_is_accepted_but_not_older(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    with app.app_context():
        member = db.session.get(User, user.id)
        assert member is not None
        totp = pyotp.TOTP(second_factor.begin_setup(member).secret)
        with pytest.raises(second_factor.ServiceError):
            second_factor.confirm_setup(member, totp.at(time.time() - 90))
        second_factor.confirm_setup(member, totp.at(time.time() - 30))
        db.commit()
    password_step(client, user)
    # The previous step was used by the setup; the current one is later, so accepted.
    assert client.post("/sign-in/code", data={"code": totp.now()}).status_code == 302


def test_a_recovery_code_signs_in_once(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    _, codes = enable(app, user)
    password_step(client, user)
    # Recovery codes are accepted in capitals and without the hyphen too.
    typed = codes[0].replace("-", " ").upper()
    assert client.post("/sign-in/code", data={"code": typed}).status_code == 302
    assert signed_in(client)
    assert ">9<" in client.get("/account/two-factor").get_data(as_text=True)
    client.post("/sign-out")
    password_step(client, user)
    assert client.post("/sign-in/code", data={"code": codes[0]}).status_code == 401
    assert not signed_in(client)
    assert client.post("/sign-in/code", data={"code": codes[1]}).status_code == 302


def test_wrong_codes_end_the_code_step_after_the_limit(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    totp, _ = enable(app, user)
    password_step(client, user)
    for _ in range(second_factor_views.MAX_CODE_TRIES - 1):
        assert client.post("/sign-in/code", data={"code": "123456"}).status_code == 401
    last = client.post("/sign-in/code", data={"code": "123456"})
    assert last.status_code == 302 and last.headers["Location"] == "/sign-in"
    # The password step has to be passed again, even with a right code now.
    assert client.post("/sign-in/code", data={"code": totp.now()}).headers["Location"] == (
        "/sign-in"
    )
    assert not signed_in(client)


def test_the_code_step_expires(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = make_user()
    totp, _ = enable(app, user)
    password_step(client, user)
    later = time.time() + second_factor_views.PENDING_SECONDS + 1
    monkeypatch.setattr(second_factor_views.time, "time", lambda: later)
    response = client.post("/sign-in/code", data={"code": totp.now()})
    assert response.headers["Location"] == "/sign-in"
    assert not signed_in(client)


def test_a_new_password_voids_a_pending_code_step(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    totp, _ = enable(app, user)
    password_step(client, user)
    with app.app_context():
        member = db.session.get(User, user.id)
        assert member is not None
        member.session_token = "changed"
        db.commit()
    assert client.post("/sign-in/code", data={"code": totp.now()}).headers["Location"] == (
        "/sign-in"
    )


def test_new_recovery_codes_need_the_password_and_void_the_old_ones(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    user = login()
    _, old = enable(app, user)
    refused = client.post(
        "/account/two-factor/recovery-codes", data={"regenerate-password": "wrong one"}
    )
    assert refused.status_code == 400
    fresh = client.post(
        "/account/two-factor/recovery-codes", data={"regenerate-password": PASSWORD}
    )
    assert fresh.status_code == 200
    new = re.findall(r"<code>([a-z2-9-]{11})</code>", fresh.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    with app.app_context():
        member = db.session.get(User, user.id)
        assert member is not None
        assert not second_factor.check(member, old[0])
        assert second_factor.check(member, new[0])


def test_switching_off_needs_password_and_code(
    app: Flask, client: FlaskClient, login: Callable[..., User], outbox: object
) -> None:
    user = login()
    totp, codes = enable(app, user)
    no_code = client.post(
        "/account/two-factor/disable", data={"disable-password": PASSWORD, "disable-code": "111111"}
    )
    assert no_code.status_code == 400
    wrong_password = client.post(
        "/account/two-factor/disable",
        data={"disable-password": "not it at all", "disable-code": totp.now()},
    )
    assert wrong_password.status_code == 400
    off = client.post(
        "/account/two-factor/disable", data={"disable-password": PASSWORD, "disable-code": codes[2]}
    )
    assert off.status_code == 302
    with app.app_context():
        assert db.session.get(SecondFactor, user.id) is None
        assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    # Signing in asks only for the password again.
    client.post("/sign-out")
    assert (
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).headers[
            "Location"
        ]
        == "/"
    )


def test_an_administrator_removes_a_lost_second_factor_from_the_command_line(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()
    enable(app, user)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "remove-second-factor", user.email, "--reason", "identity checked by call"]
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["users", "remove-second-factor", user.email, "--reason", "x"])
    assert again.exit_code != 0 and "has no second factor" in again.output
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "user.second_factor_removed")
        )
        assert entry is not None and entry.reason == "identity checked by call"
    assert password_step(client, user).headers["Location"] == "/"


def test_wrong_codes_are_counted_on_the_account_whatever_the_session(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], outbox: Outbox
) -> None:
    user = make_user()
    totp, _ = enable(app, user)
    # A client that starts the code step afresh (or replays an old cookie) each time still
    # adds to the account's count.
    for _ in range(second_factor.FAILURES_BEFORE_WAIT):
        password_step(client, user)
        assert client.post("/sign-in/code", data={"code": "123456"}).status_code == 401
    assert [m["Subject"] for m in outbox.messages()][-1] == "Wrong codes after your password"
    password_step(client, user)
    assert client.post("/sign-in/code", data={"code": totp.now()}).status_code == 401
    assert not signed_in(client)
    with app.app_context():
        factor = db.session.get(SecondFactor, user.id)
        assert factor is not None and factor.failed_codes == second_factor.FAILURES_BEFORE_WAIT
        factor.held_until = None  # the wait is over
        db.commit()
    password_step(client, user)
    assert client.post("/sign-in/code", data={"code": totp.now()}).status_code == 302
    with app.app_context():
        factor = db.session.get(SecondFactor, user.id)
        assert factor is not None and factor.failed_codes == 0
