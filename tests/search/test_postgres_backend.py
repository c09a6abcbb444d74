"""PostgreSQL search specifics: the index is a table written in the change's transaction."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import DataError

from app.core.db import db
from app.search import SearchOutbox, SearchRequest, drain, search
from app.search import pg as search_pg
from tests.search import toy
from tests.search.backends import ON_POSTGRES

on_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL search runs only when TEST_DATABASE_URL is PostgreSQL"
)


@pytest.fixture
def search_backend() -> str:
    return "postgres"


def _rows(app: Flask) -> dict[str, str]:
    with app.app_context():
        found = db.session.execute(
            text(f"SELECT key, stored->>'title' FROM {search_pg.TABLE} WHERE index_name = :i"),
            {"i": toy.INDEX},
        )
        return {str(key): str(title) for key, title in found}


def _titles(app: Flask, words: str) -> list[str]:
    with app.app_context():
        result = search(SearchRequest(toy.INDEX, words, fields=["title", "summary", "body"]))
        return [str(hit.fields["title"]) for hit in result.hits]


@on_postgres
def test_a_change_is_searchable_at_commit_without_an_outbox_row(search_app: Flask) -> None:
    with search_app.app_context():
        toy.add("boat", "Rifles smuggled on a fishing boat")
        db.commit()
        assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
    assert _rows(search_app) == {"boat": "Rifles smuggled on a fishing boat"}
    assert drain(search_app) == 0  # nothing to drain
    assert _titles(search_app, "smuggling") == ["Rifles smuggled on a fishing boat"]

    with search_app.app_context():
        toy.change("boat", title="Pistols hidden in a lorry")
        db.commit()
    assert _titles(search_app, "lorry") == ["Pistols hidden in a lorry"]
    assert _titles(search_app, "boat") == []
    with search_app.app_context():
        toy.remove("boat")
        db.commit()
    assert _rows(search_app) == {}


@on_postgres
def test_a_rolled_back_change_writes_no_row(search_app: Flask) -> None:
    with search_app.app_context():
        toy.add("boat", "Rifles smuggled on a fishing boat")
        db.rollback()
        db.commit()
    assert _rows(search_app) == {}


@on_postgres
def test_a_failed_search_inside_a_transaction_keeps_its_pending_write(
    search_app: Flask,
) -> None:
    with search_app.app_context():
        toy.add("boat", "Rifles smuggled on a fishing boat")
        # search() runs in a savepoint; one that fails is rolled back alone.
        with pytest.raises(DataError), db.session.begin_nested():
            db.session.execute(text("SELECT 1/0"))
        db.commit()
    assert _rows(search_app) == {"boat": "Rifles smuggled on a fishing boat"}


@on_postgres
def test_rebuild_refills_the_table_from_the_database(search_app: Flask) -> None:
    with search_app.app_context():
        toy.add("boat", "Rifles smuggled on a fishing boat")
        db.commit()
        db.session.execute(text(f"DELETE FROM {search_pg.TABLE}"))
        db.commit()
    result = search_app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert "toys: 1 documents" in result.output
    assert _rows(search_app) == {"boat": "Rifles smuggled on a fishing boat"}
    status = search_app.test_cli_runner().invoke(args=["search", "status"])
    assert "toys: generation 1, 1 documents, outbox backlog 0" in status.output


def test_postgres_search_on_sqlite_is_refused_with_a_clear_message(
    make_app: Callable[..., Flask],
) -> None:
    with pytest.raises(RuntimeError, match="needs DATABASE_URL to be a PostgreSQL database"):
        make_app(DATABASE_URL="sqlite:///:memory:")
