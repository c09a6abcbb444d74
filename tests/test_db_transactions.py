"""How a unit of work begins on SQLite: a plain BEGIN when it only reads, else BEGIN IMMEDIATE."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from app.accounts.models import User
from app.core.db import db, read_only


@pytest.fixture
def begins(app: Flask) -> Iterator[list[str]]:
    """The BEGIN statements the app's engine sends (SQLite only: PostgreSQL has no variants)."""
    engine = db.engine_for(app)
    if engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's")
    sent: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.upper().startswith("BEGIN"):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    yield sent
    event.remove(engine, "before_cursor_execute", before)


def test_a_read_only_unit_outside_a_request_begins_with_a_plain_begin(
    app: Flask, begins: list[str]
) -> None:
    with read_only(app):
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert begins == ["BEGIN"]


def test_a_unit_outside_a_request_that_may_write_still_begins_immediate(
    app: Flask, begins: list[str]
) -> None:
    with app.app_context():
        db.session.add(
            User(email="cli@example.org", display_name="Cli", password_hash="x", session_token="t")
        )
        db.commit()
    assert begins == ["BEGIN IMMEDIATE"]


def test_a_get_request_reads_with_a_plain_begin(app: Flask, begins: list[str]) -> None:
    assert app.test_client().get("/courses").status_code == 200
    assert set(begins) == {"BEGIN"}


def test_a_read_only_unit_reads_while_another_connection_holds_the_write_lock(
    app: Flask, begins: list[str]
) -> None:
    with read_only(app):  # the app's first connection turns the file's WAL journal on
        db.session.execute(select(1))
    writer = sqlite3.connect(make_url(app.config["DATABASE_URL"]).database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with read_only(app):
            assert db.session.scalar(select(func.count()).select_from(User)) == 0
        assert time.monotonic() - started < 1  # not the 30 s busy timeout
    finally:
        writer.execute("ROLLBACK")
        writer.close()
