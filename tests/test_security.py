"""CSRF, security headers, error pages, rate limits and the health check."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask

from app.accounts.models import User
from app.core.permissions import Role
from tests.conftest import PASSWORD, sign_in_with_token


def test_post_without_csrf_token_is_refused_with_400(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "a@example.org", "password": "x" * 12})
    assert response.status_code == 400
    assert "The form expired or was not sent from this site" in response.get_data(as_text=True)


def test_post_with_csrf_token_from_the_form_is_accepted(
    make_app: Callable[..., Flask], make_user: Callable[..., User]
) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user()
    response = sign_in_with_token(app.test_client(), user)
    assert response.status_code == 302


def test_every_page_carries_security_headers_and_a_csp_without_inline_script(client) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script" not in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(
    client,
    make_user: Callable[..., User],
) -> None:
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_unknown_page_gets_the_friendly_404(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_api_errors_are_json(client) -> None:
    response = client.get("/api/v0/nothing")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_unexpected_error_shows_the_500_page_without_a_traceback(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "secret internal detail" not in body


def test_sign_in_is_rate_limited_with_a_429_page(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [
        client.post("/sign-in", data={"email": "x@example.org", "password": "nope"}).status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
    limited = client.post("/sign-in", data={"email": "x@example.org", "password": "nope"})
    assert "Too many requests" in limited.get_data(as_text=True)


def test_healthz_reports_the_database_to_an_admin(client, login) -> None:
    login(Role.ADMIN)
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "ok" and data["checks"]["database"]["ok"] is True


def test_navigation_shows_moderation_only_to_moderators(
    client,
    login: Callable[..., User],
) -> None:
    assert "Review queue" not in client.get("/").get_data(as_text=True)
    login("moderator")
    page = client.get("/").get_data(as_text=True)
    # Moderators read the audit log's moderation entries; accounts and settings are for admins.
    assert "Review queue" in page and "Audit log" in page
    assert "/admin/users" not in page and "/admin/settings" not in page


def test_every_page_names_an_icon_that_exists(client) -> None:
    """Browsers ask for an icon on every page; without one each page costs a 404."""
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert match is not None
    icon = client.get(match.group(1))
    assert icon.status_code == 200
    icon.close()  # a static file is streamed from disk


def test_a_moderator_reads_the_entries_of_moderation_actions_only(
    app, client, login, make_user
) -> None:
    """Issue 17: moderators see the audit entries of moderation actions; role changes and
    settings stay for administrators. A trainee is told why not."""
    from app.core import audit
    from app.core.db import db

    login(Role.TRAINEE)
    refused = client.get("/moderation/audit")
    assert refused.status_code == 403
    assert "The audit log is for moderators and administrators" in refused.get_data(as_text=True)
    with app.app_context():
        audit.record(None, "forum.post.hide", "post", 1, "Spam link")
        audit.record(None, "user.set_role", "user", 1, "Promoted", previous="trainee")
        audit.record(None, "settings.update", "site_setting", "require_2fa_for_staff")
        db.session.commit()
    client.post("/sign-out")
    login(Role.MODERATOR)
    page = client.get("/moderation/audit").get_data(as_text=True)
    assert "forum.post.hide" in page and "Spam link" in page
    assert "user.set_role" not in page and "settings.update" not in page
    exported = client.get("/moderation/audit.csv").get_data(as_text=True)
    assert "forum.post.hide" in exported and "user.set_role" not in exported
    asked = client.get("/moderation/audit?action=user.set_role").get_data(as_text=True)
    assert "Promoted" not in asked
    client.post("/sign-out")
    login(Role.ADMIN)
    everything = client.get("/moderation/audit").get_data(as_text=True)
    assert "user.set_role" in everything and "settings.update" in everything
