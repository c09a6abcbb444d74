"""Migrations build exactly the models' schema; the users CLI creates admins and sets roles."""

from __future__ import annotations

import os
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, select, text

from app.accounts.models import User
from app.core import migrate
from app.core.db import Base, db
from app.search import pg as search_pg


def _not_search_documents(name: str | None, kind: str, _parents: object) -> bool:
    return not (kind == "table" and name == search_pg.TABLE)


def test_migrated_schema_equals_the_models(tmp_path: Path, app: Flask) -> None:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    with app.app_context():
        migrate.upgrade(url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(
                MigrationContext.configure(
                    connection,
                    # PostgreSQL search's table is made by a migration only, never by the models.
                    opts={"compare_type": True, "include_name": _not_search_documents},
                ),
                Base.metadata,
            )
        assert diff == []
    finally:
        if os.environ.get("TEST_DATABASE_URL"):
            # Leave the tables for the other tests, which only truncate them.
            with engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        engine.dispose()


def test_create_admin_prints_credentials_once(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["users", "create-admin", "chief@example.org"])
    assert first.exit_code == 0, first.output
    assert "password:" in first.output
    password = first.output.split("password:", 1)[1].split()[0]
    again = runner.invoke(args=["users", "create-admin", "chief@example.org", "--if-missing"])
    assert again.exit_code == 0 and "password:" not in again.output
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "chief@example.org", "password": password})
    assert response.status_code == 302
    assert "Audit log" in client.get("/").get_data(as_text=True)


def test_set_role_changes_the_role_and_is_audited(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["users", "create-admin", "x@example.org", "--password", "long pass 1234"])
    result = runner.invoke(args=["users", "set-role", "x@example.org", "moderator"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "x@example.org"))
        assert user is not None and user.role == "moderator"
    bad = runner.invoke(args=["users", "set-role", "x@example.org", "emperor"])
    assert bad.exit_code != 0
    missing = runner.invoke(args=["users", "set-role", "nobody@example.org", "admin"])
    assert missing.exit_code != 0 and "No account" in missing.output


def test_the_decision_year_migration_keeps_only_the_year_of_illustrative_cases(
    tmp_path: Path, app: Flask
) -> None:
    url = f"sqlite:///{tmp_path / 'years.sqlite3'}"
    with app.app_context():
        migrate.upgrade(url, "3442b111da21")  # the digest branch before decision_year
    engine = create_engine(url)
    lists = ", ".join(["'[]'"] * 13) + ", '{}'"
    with engine.begin() as connection:
        for slug, day, illustrative in [("composite", "2019-06-14", 1), ("real", "2020-03-05", 0),
                                        ("undated", None, 1)]:  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO case_digests (slug, title, kind, country, region, court, "
                    "court_level, decision_date, stage, outcome, offences, protocol_articles, "
                    "convention_articles, modus_operandi, weapons, route_origin, route_transit, "
                    "route_destination, links, techniques, sentences, sources, modules, "
                    "quantities, illustrative, restricted, body, status, created_at, updated_at) "
                    f"VALUES (:slug, 'T', 'case', 'Spain', 'European Union', '', 'none', :day, "
                    f"'final', 'conviction', {lists}, :illustrative, 0, '', 'published', "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                {"slug": slug, "day": day, "illustrative": illustrative},
            )
    with app.app_context():
        migrate.upgrade(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT slug, decision_date, decision_year FROM case_digests ORDER BY slug")
            ).all()
        assert [tuple(row) for row in rows] == [
            ("composite", None, 2019),
            ("real", "2020-03-05", 2020),
            ("undated", None, None),
        ]
    finally:
        engine.dispose()
