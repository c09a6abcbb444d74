"""Moderators keep the search synonyms on /cases/synonyms: list, add, remove, audit-logged."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import AuditEntry
from app.core.permissions import Role
from app.search.models import SynonymGroup
from tests.digest.search_world import slugs, world

__all__ = ["world"]

Login = Callable[..., User]


def _groups(app: Flask) -> list[list[str]]:
    with app.app_context():
        return [list(g.terms) for g in db.session.scalars(select(SynonymGroup))]


def _audit(app: Flask) -> list[tuple[str, list[str]]]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, json.loads(e.details)["terms"]) for e in entries]


def test_a_moderator_adds_a_group_and_the_search_uses_it(
    world: Flask, client: FlaskClient, login: Login
) -> None:
    assert slugs(client.get("/cases?q=trawler").get_data(as_text=True)) == []
    login(Role.MODERATOR)
    response = client.post("/cases/synonyms", data={"terms": "trawler / fishing boat"})
    assert response.status_code == 302
    assert _groups(world) == [["trawler", "fishing boat"]]
    assert _audit(world) == [("synonyms.add", ["trawler", "fishing boat"])]
    page = client.get("/cases/synonyms").get_data(as_text=True)
    assert "trawler / fishing boat" in page
    assert slugs(client.get("/cases?q=trawler").get_data(as_text=True)) == ["rifles-boat-chile"]


def test_a_moderator_removes_a_group(world: Flask, client: FlaskClient, login: Login) -> None:
    with world.app_context():
        group = SynonymGroup(terms=["trawler", "fishing boat"])
        db.session.add(group)
        db.commit()
        group_id = group.id
    assert slugs(client.get("/cases?q=trawler").get_data(as_text=True)) == ["rifles-boat-chile"]
    login(Role.MODERATOR)
    assert client.post(f"/cases/synonyms/{group_id}/remove").status_code == 302
    assert _groups(world) == []
    assert _audit(world) == [("synonyms.remove", ["trawler", "fishing boat"])]
    assert slugs(client.get("/cases?q=trawler").get_data(as_text=True)) == []


def test_a_group_needs_two_variants_and_is_not_added_twice(
    world: Flask, client: FlaskClient, login: Login
) -> None:
    login(Role.MODERATOR)
    alone = client.post("/cases/synonyms", data={"terms": "trawler"})
    assert alone.status_code == 400
    assert "A group needs 2 to 30 words or phrases" in alone.get_data(as_text=True)
    client.post("/cases/synonyms", data={"terms": "trawler, fishing boat"})
    again = client.post("/cases/synonyms", data={"terms": "Fishing-Boats / trawlers"})
    assert again.status_code == 409
    assert "already in the list" in again.get_data(as_text=True)
    assert _groups(world) == [["trawler", "fishing boat"]]


def test_practitioners_cannot_edit_the_synonyms(
    world: Flask, client: FlaskClient, login: Login
) -> None:
    login(Role.PRACTITIONER)
    assert client.post("/cases/synonyms", data={"terms": "a / b"}).status_code == 403
    assert _groups(world) == []
