"""Administrators list accounts, change a role and re-send a confirmation in the site (issue 17
item 8: before, only the command line could)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import AuditEntry
from tests.conftest import ClientFor

User_ = Callable[..., User]


def _role(app: Flask, user_id: int) -> str:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return user.role


def test_the_list_searches_and_filters_accounts(
    client: FlaskClient, login: User_, make_user: User_
) -> None:
    login("admin")
    make_user("practitioner", display_name="Customs Officer Alpha", organisation="Port Authority")
    make_user("trainee", display_name="Border Guard Beta")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Customs Officer Alpha" in page and "Border Guard Beta" in page
    found = client.get("/admin/users?q=port+auth").get_data(as_text=True)
    assert "Customs Officer Alpha" in found and "Border Guard Beta" not in found
    trainees = client.get("/admin/users?role=trainee").get_data(as_text=True)
    assert "Border Guard Beta" in trainees and "Customs Officer Alpha" not in trainees
    never = client.get("/admin/users?seen=never&status=active").get_data(as_text=True)
    assert "Border Guard Beta" in never
    # Untrusted filters are ignored, never a 500; LIKE wildcards are plain characters.
    odd = client.get("/admin/users?role=emperor&status=%00&seen=999&q=%25_%25&page=-3")
    assert odd.status_code == 200 and "No account matches" in odd.get_data(as_text=True)


def test_only_admins_see_the_accounts(client_for: ClientFor, make_user: User_) -> None:
    for role in ("trainee", "practitioner", "moderator"):
        assert client_for(make_user(role)).get("/admin/users").status_code == 403
    target = make_user("trainee")
    moderator = client_for(make_user("moderator"))
    refused = moderator.post(
        f"/admin/users/{target.id}/role", data={"role": "admin", "reason": "Please"}
    )
    assert refused.status_code == 403


def test_an_admin_changes_a_role_and_the_audit_log_shows_before_and_after(
    app: Flask, client: FlaskClient, login: User_, make_user: User_
) -> None:
    admin = login("admin")
    member = make_user("trainee", display_name="Vetted Investigator")
    page = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert "Vetted Investigator" in page and "Change the role" in page
    missing = client.post(f"/admin/users/{member.id}/role", data={"role": "practitioner"})
    assert missing.status_code == 400 and "Give a reason" in missing.get_data(as_text=True)
    assert _role(app, member.id) == "trainee"
    bogus = client.post(f"/admin/users/{member.id}/role", data={"role": "root", "reason": "x"})
    assert bogus.status_code == 400 and _role(app, member.id) == "trainee"
    done = client.post(
        f"/admin/users/{member.id}/role", data={"role": "practitioner", "reason": "Vetted by HQ"}
    )
    assert done.status_code == 302 and _role(app, member.id) == "practitioner"
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.set_role"))
        assert entry is not None and entry.actor_id == admin.id and entry.reason == "Vetted by HQ"
    history = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert "<dt>previous</dt><dd>trainee</dd>" in history
    audit = client.get("/moderation/audit").get_data(as_text=True)
    assert "User: Vetted Investigator" in audit and "<dd>practitioner</dd>" in audit
    assert client.get("/admin/users/999999").status_code == 404
    assert client.get("/admin/users/99999999999999").status_code == 404


def test_an_admin_does_not_change_their_own_role(
    app: Flask, client: FlaskClient, login: User_, make_user: User_, client_for: ClientFor
) -> None:
    """So the site always keeps an administrator: another one must do it."""
    admin = login("admin")
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "You cannot change your own role" in page and "Change the role" not in page
    own = client.post(f"/admin/users/{admin.id}/role", data={"role": "trainee", "reason": "x"})
    assert own.status_code == 403 and _role(app, admin.id) == "admin"
    other = client_for(make_user("admin"))
    done = other.post(f"/admin/users/{admin.id}/role", data={"role": "moderator", "reason": "Swap"})
    assert done.status_code == 302 and _role(app, admin.id) == "moderator"


def test_an_admin_resends_a_confirmation(
    app: Flask, client: FlaskClient, login: User_, make_user: User_
) -> None:
    login("admin")
    with app.app_context():
        from app.accounts.services import users

        pending = users.create_user("pending@example.org", "Pending Person", "long enough pass 1")
        db.session.commit()
        pending_id = pending.id
    page = client.get(f"/admin/users/{pending_id}").get_data(as_text=True)
    assert "Send the confirmation e-mail again" in page
    sent = client.post(f"/admin/users/{pending_id}/confirmation")
    assert sent.status_code == 302
    assert "sent again to pending@example.org" in client.get(f"/admin/users/{pending_id}").get_data(
        as_text=True
    )
    confirmed = make_user("trainee")
    again = client.post(f"/admin/users/{confirmed.id}/confirmation")
    assert again.status_code == 409 and "already confirmed" in again.get_data(as_text=True)
