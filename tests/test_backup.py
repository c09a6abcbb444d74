"""`flask backup DEST`: the copy restores to a working site (docs/OPERATIONS.md, "Restore")."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, make_url, text

from app.accounts.models import User
from app.core import backup
from app.core.db import db
from tests.conftest import TEST_DATABASE_URL, sign_in

ON_POSTGRES = bool(TEST_DATABASE_URL)


def _works(app: Flask, user: User) -> None:
    """The restored site answers, and the account from before the backup can sign in."""
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 200, health.get_json()
    sign_in(client, user)
    assert client.get("/account").status_code == 200


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite backup (this run is on PostgreSQL)")
def test_sqlite_backup_restores_to_a_working_site(
    app: Flask,
    runner: FlaskCliRunner,
    make_user: Callable[..., User],
    make_app: Callable[..., Flask],
    tmp_path: Path,
) -> None:
    before = make_user(email="kept@example.org")
    index = Path(app.config["SEARCH_INDEX_DIR"])
    index.mkdir(parents=True)
    (index / "MAIN_1.toc").write_text("index generation 1")

    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    make_user(email="after@example.org")  # written after the backup: not in the copy

    folder = tmp_path / "backup"
    manifest = json.loads((folder / "backup.json").read_text())
    assert manifest["database"] == {"backend": "sqlite", "file": "database.sqlite3"}
    assert (folder / "search" / "MAIN_1.toc").read_text() == "index generation 1"
    # Restore as docs/OPERATIONS.md says: put the file where DATABASE_URL points.
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(folder / "database.sqlite3", restored)
    site = make_app(DATABASE_URL=f"sqlite:///{restored}", SEARCH_INDEX_DIR=str(folder / "search"))
    try:
        _works(site, before)
        with site.app_context():
            emails = set(db.session.scalars(text("SELECT email FROM users")))
        assert emails == {"kept@example.org"}
    finally:
        db.engine_for(site).dispose()


def test_backup_refuses_a_folder_that_is_not_empty(runner: FlaskCliRunner, tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something").write_text("x")
    result = runner.invoke(args=["backup", str(tmp_path / "old")])
    assert result.exit_code != 0
    assert "is not empty" in result.output


def test_postgres_backup_without_pg_dump_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump was not found"):
        backup.backup(tmp_path / "b", "postgresql+psycopg://u@127.0.0.1:1/x", None)


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL backup (this run is on SQLite)")
@pytest.mark.skipif(not shutil.which("pg_restore"), reason="pg_dump/pg_restore not installed")
def test_postgres_backup_restores_to_a_working_site(
    runner: FlaskCliRunner,
    make_user: Callable[..., User],
    make_app: Callable[..., Flask],
    tmp_path: Path,
) -> None:
    before = make_user(email="kept@example.org")
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output

    url = make_url(TEST_DATABASE_URL)
    restored_url = url.set(database=f"{url.database}_restore")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{restored_url.database}"'))
        connection.execute(text(f'CREATE DATABASE "{restored_url.database}"'))
    admin.dispose()
    libpq = restored_url.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            f"--dbname={libpq}",
            str(tmp_path / "backup" / "database.pgdump"),
        ],
        check=True,
        capture_output=True,
    )
    site = make_app(DATABASE_URL=restored_url.render_as_string(hide_password=False))
    try:
        _works(site, before)
    finally:
        db.engine_for(site).dispose()
