"""The site settings page (audited), the second factor required of staff when a setting says
so, and a member's data download."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core import settings
from app.core.db import db
from app.core.models import AuditEntry, SiteSetting
from app.forum.models import Post
from tests.conftest import PASSWORD, sign_in
from tests.test_second_factor import enable


def require_for_staff(app: Flask, on: bool = True) -> None:
    with app.app_context():
        db.session.add(SiteSetting(key=settings.REQUIRE_2FA_FOR_STAFF, value=str(on).lower()))
        db.commit()


def test_admin_changes_a_setting_and_the_audit_log_has_before_and_after(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    admin = login("admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Require a second factor for moderators and administrators" in page
    with app.app_context():
        assert settings.get_bool(settings.REQUIRE_2FA_FOR_STAFF) is False
    # Saving unchanged values writes no audit entry.
    assert client.post("/admin/settings", data={}).status_code == 302
    saved = client.post("/admin/settings", data={settings.REQUIRE_2FA_FOR_STAFF: "y"})
    assert saved.status_code == 302
    with app.app_context():
        assert settings.get_bool(settings.REQUIRE_2FA_FOR_STAFF) is True
        row = db.session.get(SiteSetting, settings.REQUIRE_2FA_FOR_STAFF)
        assert row is not None and row.updated_by_id == admin.id
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "settings.update")
        ).all()
    assert len(entries) == 1
    assert entries[0].actor_id == admin.id
    assert entries[0].target_id == settings.REQUIRE_2FA_FOR_STAFF
    assert json.loads(entries[0].details) == {"before": False, "after": True}
    # The administrator has no second factor yet: the new rule applies to them at once.
    assert client.get("/moderation/audit").headers["Location"] == "/account/two-factor/setup"


def test_moderator_cannot_open_the_settings(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login("moderator")
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings", data={"require_2fa_for_staff": "y"}).status_code == 403


def test_staff_without_second_factor_must_set_one_up_when_required(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    require_for_staff(app)
    login("moderator")
    for path in ("/", "/moderation/", "/account", "/account/data.json"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/two-factor/setup"
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page)
    assert secret is not None
    done = client.post("/account/two-factor/setup", data={"code": pyotp.TOTP(secret[1]).now()})
    assert done.status_code == 200
    assert client.get("/moderation/").status_code == 200
    # While the site requires it, a moderator cannot switch it off.
    off = client.post(
        "/account/two-factor/disable", data={"disable-password": PASSWORD, "disable-code": "x"}
    )
    assert off.status_code == 403


def test_the_staff_requirement_leaves_members_and_sign_out_alone(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    require_for_staff(app)
    login("practitioner")
    assert client.get("/").status_code == 200
    client.post("/sign-out")
    login("admin")
    assert client.get("/").status_code == 302
    assert client.post("/sign-out").status_code == 302
    assert client.get("/account").status_code == 302  # signed out: to sign-in
    assert "/sign-in" in client.get("/account").headers["Location"]


def test_the_staff_requirement_is_off_by_default(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login("admin")
    assert client.get("/moderation/").status_code == 200


def test_data_download_holds_every_part_and_never_secrets(
    app: Flask, client: FlaskClient, login: Callable[..., User]
) -> None:
    user = login(display_name="Ama Mensah", organisation="Ghana Police Service")
    totp, codes = enable(app, user)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="my-data-')
    body = response.get_data(as_text=True)
    data = json.loads(body)
    assert {"profile", "practitioner_applications", "sign_ins", "second_factor", "learning",
            "forum"} <= set(data)  # fmt: skip
    assert data["profile"]["email"] == user.email
    assert data["profile"]["display_name"] == "Ama Mensah"
    assert data["profile"]["organisation"] == "Ghana Police Service"
    assert len(data["sign_ins"]) == 1
    assert data["sign_ins"][0]["address"] == "127.0.0.1"
    assert data["sign_ins"][0]["ended_at"] is None
    assert data["second_factor"]["enabled"] is True
    assert data["second_factor"]["unused_recovery_codes"] == 10
    assert totp.secret not in body
    assert not any(code in body or code.replace("-", "") in body for code in codes)
    assert response.headers["Cache-Control"] == "no-store"


def test_data_download_needs_sign_in(client: FlaskClient) -> None:
    response = client.get("/account/data.json")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_admin_sets_the_forum_limits_and_the_forum_follows(
    app: Flask,
    client: FlaskClient,
    login: Callable[..., User],
    make_user: Callable[..., User],
    make_category: Callable[..., int],
) -> None:
    """Issue 17: the forum's limits and pre-moderation are site settings, the same on every node."""
    login("admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Posting limit for new members" in page and "wait for approval" in page
    with app.app_context():
        assert settings.get_int(settings.FORUM_PREMODERATE_FIRST) == 0  # the testing config
    bad = client.post(
        "/admin/settings",
        data={settings.FORUM_RATE_LIMIT: "lots", settings.FORUM_PREMODERATE_FIRST: "3"},
    )
    assert bad.status_code == 400
    assert "write a limit such as" in bad.get_data(as_text=True)
    with app.app_context():  # nothing was stored, not even the valid number
        assert settings.get_int(settings.FORUM_PREMODERATE_FIRST) == 0
    too_many = client.post("/admin/settings", data={settings.FORUM_PREMODERATE_FIRST: "999"})
    assert too_many.status_code == 400 and "from 0 to 50" in too_many.get_data(as_text=True)
    saved = client.post(
        "/admin/settings",
        data={settings.FORUM_RATE_LIMIT: " 9 per minute ", settings.FORUM_PREMODERATE_FIRST: "1"},
    )
    assert saved.status_code == 302
    with app.app_context():
        assert settings.get_text(settings.FORUM_RATE_LIMIT) == "9 per minute"
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.target_id == settings.FORUM_PREMODERATE_FIRST)
        )
        assert entry is not None and json.loads(entry.details) == {"before": "0", "after": "1"}
    # The forum now holds a new member's first post for approval.
    member = make_user("practitioner")
    make_category()
    posted = sign_in(app.test_client(), member).post(
        "/forum/c/general/new", data={"title": "Held for review", "body": "First post."}
    )
    assert posted.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.author_id == member.id))
        assert post is not None and post.status == "pending"
