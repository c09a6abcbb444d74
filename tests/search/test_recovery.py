"""A process killed between the database commit and the indexing loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from app.core.db import db
from app.search import SearchOutbox, SearchRequest, register_index, search
from tests.search import toy

ROOT = Path(__file__).resolve().parents[2]
TEXT = ["title", "summary", "body"]

PRELUDE = """
import os, signal
from app import create_app
from app.core.db import db
from tests.search import toy
app = create_app({"TESTING": True, "DATABASE_URL": os.environ["T_DB"], "SEARCH_BACKEND": "whoosh",
                  "SEARCH_INDEX_DIR": os.environ["T_INDEX"], "OUTBOX_DIR": os.environ["T_MAIL"]})
toy.register(app, reset=False)
def die():
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _run_and_get_killed(app: Flask, body: str) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "T_DB": app.config["DATABASE_URL"],
        "T_INDEX": app.config["SEARCH_INDEX_DIR"],
        "T_MAIL": app.config["OUTBOX_DIR"],
    }
    script = PRELUDE + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]


def _state(app: Flask, text: str) -> tuple[list[str], int]:
    with app.app_context():
        keys = [hit.key for hit in search(SearchRequest(toy.INDEX, text, fields=TEXT)).hits]
        backlog = db.session.scalar(select(func.count()).select_from(SearchOutbox))
    return keys, int(backlog or 0)


def test_killed_after_commit_before_indexing_is_caught_up_by_the_worker(
    search_app: Flask,
) -> None:
    # The first after-commit callback kills the process, before the inline drain can run.
    _run_and_get_killed(
        search_app,
        """
        with app.app_context():
            db.on_commit(die)
            toy.add("boat", "Rifles on a fishing boat")
            db.commit()
        """,
    )
    assert _state(search_app, "fishing") == ([], 1)  # committed, not indexed, not forgotten

    result = search_app.test_cli_runner().invoke(args=["search", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 outbox rows." in result.output
    assert _state(search_app, "fishing") == (["boat"], 0)


def test_killed_after_index_commit_before_row_delete_reindexes_once(search_app: Flask) -> None:
    # The index commit happened, the outbox delete did not: the next drain writes it again.
    _run_and_get_killed(
        search_app,
        """
        from app.search import indexer
        apply = indexer._apply
        def apply_then_die(*args, **kwargs):
            apply(*args, **kwargs)
            die()
        indexer._apply = apply_then_die
        with app.app_context():
            toy.add("boat", "Rifles on a fishing boat")
            db.commit()
        """,
    )
    assert _state(search_app, "fishing") == (["boat"], 1)

    result = search_app.test_cli_runner().invoke(args=["search", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert _state(search_app, "fishing") == (["boat"], 0)
    with search_app.app_context():
        assert search(SearchRequest(toy.INDEX, "", fields=TEXT)).total == 1  # no duplicate document


def test_inline_drain_that_fails_keeps_the_request_and_the_rows(
    search_app: Flask, monkeypatch: object
) -> None:
    def broken(keys: list[str]) -> dict[str, dict[str, object]]:
        raise RuntimeError("feature bug while reading documents")

    spec = toy.spec()
    register_index(search_app, spec.__class__(spec.name, spec.schema, broken, spec.all_keys))

    @search_app.post("/_test/toy")
    def add() -> str:
        toy.add("boat", "Rifles on a fishing boat")
        return "ok"

    assert search_app.test_client().post("/_test/toy").status_code == 200
    assert _state(search_app, "fishing") == ([], 1)

    toy.register(search_app, reset=False)  # the feature is fixed
    result = search_app.test_cli_runner().invoke(args=["search", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert _state(search_app, "fishing") == (["boat"], 0)
