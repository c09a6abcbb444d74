"""The outbox: written in the caller's transaction, drained after commit, never lost."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import func, select

from app.core.db import db
from app.search import SearchOutbox, SearchRequest, drain, search
from tests.search import toy

TEXT = ["title", "summary", "body"]


def _keys(app: Flask, text: str) -> list[str]:
    with app.app_context():
        return sorted(hit.key for hit in search(SearchRequest(toy.INDEX, text, fields=TEXT)).hits)


def _backlog(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(SearchOutbox)) or 0)


def test_committed_change_is_searchable_at_once_and_leaves_no_outbox_row(
    search_app: Flask,
) -> None:
    with search_app.app_context():
        toy.add("boat", "Rifles on a fishing boat")
        db.commit()
    assert _keys(search_app, "fishing") == ["boat"]
    assert _backlog(search_app) == 0


def test_rolled_back_change_leaves_no_outbox_row_and_no_index_entry(search_app: Flask) -> None:
    with search_app.app_context():
        toy.add("boat", "Rifles on a fishing boat")
        db.session.flush()
        db.rollback()
    with search_app.app_context():
        db.commit()  # a later, unrelated commit must not index the rolled-back change
    assert _backlog(search_app) == 0
    assert _keys(search_app, "fishing") == []


def test_failed_request_rolls_back_its_outbox_row(search_app: Flask) -> None:
    @search_app.post("/_test/toy")
    def add_then_fail() -> tuple[str, int]:
        toy.add("boat", "Rifles on a fishing boat")
        return "refused", 400

    response = search_app.test_client().post("/_test/toy")
    assert response.status_code == 400
    assert _backlog(search_app) == 0
    assert _keys(search_app, "fishing") == []


def test_successful_request_indexes_after_its_commit(search_app: Flask) -> None:
    @search_app.post("/_test/toy")
    def add() -> str:
        toy.add("boat", "Rifles on a fishing boat")
        return "ok"

    assert search_app.test_client().post("/_test/toy").status_code == 200
    assert _keys(search_app, "fishing") == ["boat"]
    assert _backlog(search_app) == 0


def test_without_inline_indexing_rows_wait_for_drain(make_search_app: Callable[..., Flask]) -> None:
    app = make_search_app(SEARCH_INLINE_INDEXING=False)
    with app.app_context():
        toy.add("boat", "Rifles on a fishing boat")
        toy.add("ring", "Pistols by post")
        db.commit()
    assert _backlog(app) == 2
    assert _keys(app, "fishing") == []
    assert drain(app) == 2
    assert _keys(app, "fishing") == ["boat"]
    assert _backlog(app) == 0
    assert drain(app) == 0


def test_change_and_delete_reach_the_index(search_app: Flask) -> None:
    with search_app.app_context():
        toy.add("boat", "Rifles on a fishing boat")
        toy.add("ring", "Pistols by post")
        db.commit()
    with search_app.app_context():
        toy.change("boat", title="Rifles in a lorry")
        toy.remove("ring")
        db.commit()
    assert _keys(search_app, "fishing") == []
    assert _keys(search_app, "lorry") == ["boat"]
    assert _keys(search_app, "pistols") == []


def test_draining_the_same_key_twice_is_harmless(make_search_app: Callable[..., Flask]) -> None:
    app = make_search_app(SEARCH_INLINE_INDEXING=False)
    with app.app_context():
        toy.add("boat", "Rifles on a fishing boat")
        db.commit()
        for _ in range(3):
            toy.change("boat", summary="Seized at the harbour")
        db.commit()
    assert drain(app, batch=2) == 4
    with app.app_context():
        toy.change("boat", summary="Seized at the harbour")  # again, after it was indexed
        db.commit()
    assert drain(app) == 1
    with app.app_context():
        result = search(SearchRequest(toy.INDEX, "harbour", fields=TEXT))
    assert [hit.key for hit in result.hits] == ["boat"]
    assert result.total == 1
