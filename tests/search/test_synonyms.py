"""Synonym groups: stored in the database, seeded from app/search/synonyms.yaml by the migration
and `flask search synonyms --load`, applied to what the case search page finds (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, delete, func, select

from app.core import migrate
from app.core.db import db
from app.search.models import SynonymGroup
from app.search.synonyms import load_seed, read_seed
from tests.digest.factory import MakeCases, summary
from tests.digest.search_world import slugs
from tests.search.backends import search_backend  # noqa: F401  (both backends)

NEUTRAL = {"modus_operandi": "[drones]", "weapons": "[rifles]", "techniques": "[]", "links": "[]"}
CASES = {
    "dark-web-vendor": {**NEUTRAL, "sections": summary("A vendor sold rifles on the dark web.")},
    "darknet-market": {**NEUTRAL, "sections": summary("Buyers paid on a darknet market.")},
    "dark-net-forum": {**NEUTRAL, "sections": summary("A dark-net forum listed rifles.")},
    "cartridge-trucks": {**NEUTRAL, "sections": summary("Trucks carried cartridges by road.")},
    "additive-workshop": {
        **NEUTRAL,
        "sections": summary("A workshop made frames by additive manufacturing."),
    },
    "plain-boat": {**NEUTRAL, "sections": summary("Rifles were carried on a fishing boat.")},
}
DARK = ["dark-net-forum", "dark-web-vendor", "darknet-market"]
NOT_DARK = ["additive-workshop", "cartridge-trucks", "plain-boat"]


@pytest.fixture
def cases(app: Flask, make_cases: MakeCases) -> Flask:
    with app.app_context():
        load_seed()
        db.commit()
    make_cases(CASES)
    return app


def _found(client: FlaskClient, query: str) -> list[str]:
    response = client.get("/cases", query_string={"q": query})
    assert response.status_code == 200
    return sorted(slugs(response.get_data(as_text=True)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("darknet", DARK),
        ("darkweb", DARK),
        ("dark web", DARK),
        ("dark-net", DARK),
        ("Dark Nets", DARK),  # case and plural endings do not matter
        ("tor market", DARK),
        ("ammo", ["cartridge-trucks"]),
        ("3D-printed", ["additive-workshop"]),
        ("3d printing", ["additive-workshop"]),
        ("darknet market", ["darknet-market"]),  # each word still counts
        ("rifles NOT darknet", NOT_DARK),  # the whole group is excluded
        ("rifles -dark-web", NOT_DARK),
    ],
)
def test_a_word_finds_the_cases_that_use_its_variants(
    cases: Flask, client: FlaskClient, query: str, expected: list[str]
) -> None:
    assert _found(client, query) == expected


def test_quoted_phrases_are_searched_as_typed(cases: Flask, client: FlaskClient) -> None:
    assert _found(client, '"dark web"') == ["dark-web-vendor"]


def test_the_groups_are_read_from_the_database(cases: Flask, client: FlaskClient) -> None:
    assert _found(client, "zarquon") == []
    with cases.app_context():
        db.session.add(SynonymGroup(terms=["zarquon", "fishing boat"]))
        db.commit()
    assert _found(client, "zarquon") == ["plain-boat"]
    with cases.app_context():
        db.session.execute(delete(SynonymGroup))
        db.commit()
    assert _found(client, "darknet") == ["darknet-market"]  # no group: the word alone


def test_loading_the_seed_twice_adds_each_group_once(app: Flask, runner: FlaskCliRunner) -> None:
    seeded = len(read_seed())
    first = runner.invoke(args=["search", "synonyms", "--load"])
    assert f"Added {seeded} synonym groups" in first.output
    assert "dark web / darknet / darkweb" in first.output
    second = runner.invoke(args=["search", "synonyms", "--load"])
    assert "Added 0 synonym groups" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SynonymGroup)) == seeded


def test_the_migration_seeds_the_groups(app: Flask, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    with app.app_context():
        migrate.upgrade(url)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(select(SynonymGroup.terms)).scalars().all()
    finally:
        engine.dispose()
    assert [list(terms) for terms in stored] == read_seed()
