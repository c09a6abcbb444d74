"""Seeding categories, and administrators creating, renaming, describing and reordering them."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import AuditEntry
from app.forum.models import Category
from tests.forum.factory import MakeCategory

User_ = Callable[..., User]

SEEDED = [
    "Investigations and tracing",
    "Border, postal and courier detection",
    "Online and dark-web trafficking",
    "Legislation and prosecution",
    "Data and analysis",
    "Training and capacity building",
]


def _names(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Category.name).order_by(Category.position)))


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_seed_creates_the_six_categories_once(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["forum", "seed"])
    assert result.exit_code == 0 and "6 added" in result.output
    again = runner.invoke(args=["forum", "seed"])
    assert again.exit_code == 0 and "0 added" in again.output
    assert _names(app) == SEEDED


def test_admin_creates_renames_and_reorders_with_audit(
    app: Flask, client: FlaskClient, login: User_, runner: FlaskCliRunner
) -> None:
    runner.invoke(args=["forum", "seed"])
    login("admin")
    response = client.post(
        "/forum/admin/categories",
        data={"name": "Ammunition", "description": "Ammunition and components."},
    )
    assert response.status_code == 302
    assert _names(app)[-1] == "Ammunition"
    with app.app_context():
        ammunition = db.session.scalar(select(Category).where(Category.slug == "ammunition"))
        assert ammunition is not None
        category_id = ammunition.id
    response = client.post(
        f"/forum/admin/categories/{category_id}",
        data={"name": "Ammunition and parts", "slug": "ammunition", "description": "Parts too."},
    )
    assert response.status_code == 302
    client.post(f"/forum/admin/categories/{category_id}/move", data={"direction": "up"})
    assert _names(app)[-2:] == ["Ammunition and parts", "Training and capacity building"]
    page = client.get("/forum/").get_data(as_text=True)
    assert "Ammunition and parts" in page and "Parts too." in page
    assert _actions(app) == [
        "forum.category.create", "forum.category.update", "forum.category.move"
    ]  # fmt: skip


def test_category_form_rejects_bad_input_with_messages(
    app: Flask, client: FlaskClient, login: User_, make_category: MakeCategory
) -> None:
    make_category()
    login("admin")
    cases = [
        ({"name": ""}, "Give the category a name", 400),
        ({"name": "ab"}, "between 3 and 120", 400),
        ({"name": "Valid name", "slug": "Bad Slug!"}, "lower-case letters", 400),
        ({"name": "Valid name", "position": "first"}, "Not a valid integer", 400),
        ({"name": "General discussion"}, "already has this name", 409),
        ({"name": "Fresh name", "slug": "general"}, "already has this address name", 409),
    ]
    for data, message, status in cases:
        response = client.post("/forum/admin/categories", data=data)
        assert response.status_code == status, data
        assert message in response.get_data(as_text=True), data
    assert _names(app) == ["General discussion"]
    with app.app_context():
        only = db.session.scalar(select(Category.id))
    response = client.post(f"/forum/admin/categories/{only}/move", data={"direction": "up"})
    assert response.status_code == 400
    assert "already at the top" in response.get_data(as_text=True)
    assert client.get("/forum/admin/categories/9999").status_code == 404


def test_moderators_cannot_manage_categories(
    app: Flask, client: FlaskClient, login: User_, make_category: MakeCategory
) -> None:
    make_category()
    login("moderator")
    assert client.get("/forum/admin/categories").status_code == 403
    assert client.post("/forum/admin/categories", data={"name": "Sneaky"}).status_code == 403
    assert _names(app) == ["General discussion"]
