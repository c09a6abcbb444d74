"""A rebuild only reads the database: it must not hold SQLite's write lock while it builds.

Its reads ran in application contexts outside a request, which began with BEGIN IMMEDIATE, so a
request saving a change waited for the whole build (and a test of it waited out two timeouts).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from app.core.db import db
from app.search import IndexSpec, rebuild, register_index
from tests.search import toy


def _write_lock_free(app: Flask) -> bool:
    """Try to take the write lock from another connection, giving up after 0.2 s."""
    path = make_url(app.config["DATABASE_URL"]).database
    connection = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()


def test_a_rebuild_leaves_the_write_lock_free_while_it_reads(seeded: Flask) -> None:
    if db.engine_for(seeded).dialect.name != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL readers never block writers")
    seeded.config["SEARCH_INLINE_INDEXING"] = False
    with seeded.app_context():
        toy.change("rifle-boat", title="Rifles in a lorry")  # an outbox row for the drain
        db.commit()
    checks: list[tuple[list[str], bool]] = []

    def documents(keys: list[str]) -> dict[str, dict[str, Any]]:
        docs = toy.documents(keys)  # the read has begun this unit's transaction
        checks.append((keys, _write_lock_free(seeded)))
        return docs

    register_index(seeded, IndexSpec(toy.INDEX, toy.schema(), documents, toy.all_keys))
    rebuild(seeded, [toy.INDEX])
    # The build read every document, then the drain read the changed one: neither held the lock.
    assert [free for _keys, free in checks] == [True, True]
    assert checks[-1][0] == ["rifle-boat"]
