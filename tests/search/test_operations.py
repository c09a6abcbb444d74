"""`flask search ...`, /healthz and `flask backup` with a search index."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from app.core import backup
from app.core.db import db
from app.core.time import utcnow
from app.search import LockTimeout, SearchOutbox, SearchRequest, register_index, search
from app.search.storage import index_root, writer_lock
from tests.search import toy


def _invoke(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["search", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_status_rebuild_and_worker_commands(seeded: Flask) -> None:
    assert "toys: generation 1, 5 documents, outbox backlog 0" in _invoke(seeded, "status")
    output = _invoke(seeded, "rebuild", "--index", "toys")
    assert "toys: 5 documents" in output
    assert "toys: generation 2, 5 documents" in _invoke(seeded, "status")
    assert "Indexed 0 outbox rows." in _invoke(seeded, "worker", "--once")


def test_rebuild_of_an_unknown_index_says_which_exist(seeded: Flask) -> None:
    result = seeded.test_cli_runner().invoke(args=["search", "rebuild", "--index", "nope"])
    assert result.exit_code == 2
    assert "unknown index nope" in result.output
    assert "toys" in result.output


def test_status_before_the_first_build_says_to_rebuild(search_app: Flask) -> None:
    assert "toys: not built (run `flask search rebuild`)" in _invoke(search_app, "status")


def _monitor(app: Flask) -> FlaskClient:
    """A client from an address allowed to read the health details."""
    app.config["HEALTH_DETAIL_ADDRESSES"] = ["127.0.0.1"]
    return app.test_client()


def test_healthz_reports_generation_and_backlog(seeded: Flask) -> None:
    response = _monitor(seeded).get("/healthz")
    assert response.status_code == 200
    detail = response.get_json()["checks"]["search"]["detail"]
    assert "toys: generation 1, 5 documents, outbox backlog 0" in detail


def test_healthz_is_degraded_when_the_outbox_is_stuck(seeded: Flask) -> None:
    with seeded.app_context():
        db.session.execute(
            insert(SearchOutbox).values(
                index_name="toys", key="glock-ring", created_at=utcnow() - timedelta(hours=1)
            )
        )
        db.commit()
    response = _monitor(seeded).get("/healthz")
    assert response.status_code == 503
    search_check = response.get_json()["checks"]["search"]
    assert search_check["ok"] is False
    assert "outbox backlog 1" in search_check["detail"]


def test_inline_drain_gives_up_while_the_writer_is_busy_and_the_worker_catches_up(
    seeded: Flask,
) -> None:
    seeded.config["SEARCH_LOCK_TIMEOUT"] = 0
    with writer_lock(index_root(seeded)):
        with seeded.app_context():
            toy.add("late", "Ammunition sent by courier")
            db.commit()  # the inline drain finds the lock busy and leaves the row
        with pytest.raises(LockTimeout), writer_lock(index_root(seeded), timeout=0):
            pass
    assert "outbox backlog 1" in _invoke(seeded, "status")
    assert "Indexed 1 outbox rows." in _invoke(seeded, "worker", "--once")
    with seeded.app_context():
        found = search(SearchRequest("toys", "courier", fields=["title"]))
        assert [hit.key for hit in found.hits] == ["late"]


def test_changed_schema_is_rebuilt_on_the_next_drain(seeded: Flask) -> None:
    spec = toy.spec()
    wider = spec.schema.copy()
    wider.add("extra", toy.schema()["country"].__class__(stored=True))
    register_index(seeded, spec.__class__(spec.name, wider, spec.documents, spec.all_keys))
    assert "schema changed" in _invoke(seeded, "status")
    with seeded.app_context():
        toy.change("gun-show", title="Straw purchases at a fair")
        db.commit()
    output = _invoke(seeded, "status")
    assert "toys: generation 2, 5 documents, outbox backlog 0" in output
    assert "schema changed" not in output


def test_backup_copies_the_index_while_holding_the_writer_lock(
    seeded: Flask,
    make_search_app: Callable[..., Flask],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held: list[bool] = []

    def fake_database_copy(url: str, target: Path) -> None:
        try:
            with writer_lock(index_root(seeded), timeout=0):
                held.append(False)
        except LockTimeout:
            held.append(True)
        target.write_text("database copy")

    monkeypatch.setattr(backup, "backup_sqlite", fake_database_copy)
    monkeypatch.setattr(backup, "backup_postgres", fake_database_copy)
    result = seeded.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert held == [True]  # no drain could index and delete outbox rows during the copies
    copied = tmp_path / "b" / "search"
    assert (copied / "toys" / "CURRENT").read_text().strip() == "1"
    assert not (copied / ".writer.lock").exists()

    restored = make_search_app(reset=False, SEARCH_INDEX_DIR=str(copied))
    with restored.app_context():
        assert search(SearchRequest("toys", "pistols", fields=["title", "summary"])).total == 2
