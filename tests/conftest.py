"""Fixtures: a fresh database per test (SQLite file, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, event, text

from app import create_app
from app.accounts.models import User
from app.accounts.services import users as accounts
from app.core import catalogs
from app.core.db import Base, db
from app.core.permissions import Role
from app.search import pg as search_pg

# Factory fixtures of each feature (indico's testing/fixtures are the model).
pytest_plugins = ["tests.digest.factory", "tests.forum.factory", "tests.learning.factory"]

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
PASSWORD = "correct horse battery staple"

ClientFor = Callable[..., FlaskClient]


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """The `.mo` files `make` builds, built here too, so that `pytest` alone sees translations."""
    catalogs.compile_catalogs()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Create the schema once: a template SQLite file, or the tables in PostgreSQL."""
    if TEST_DATABASE_URL:
        engine = create_engine(TEST_DATABASE_URL)
        with engine.begin() as connection:
            Base.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
            Base.metadata.create_all(connection)
            search_pg.install(connection)  # PostgreSQL search's table (created by a migration)
        engine.dispose()
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    return str(path)


def _empty_postgres(url: str) -> None:
    """Delete every row and restart the id sequences, in one round trip.

    TRUNCATE of every table took about 0.8 s per test; DELETE on these small tables, with the
    foreign-key triggers off for this transaction only, takes about 0.1 s.
    """
    engine = create_engine(url)
    with engine.begin() as connection:
        sequences = connection.execute(
            text(
                "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = 'public'"
            )
        ).scalars()
        statements = ["SET LOCAL session_replication_role = replica"]
        statements += [f'DELETE FROM "{t.name}"' for t in reversed(Base.metadata.sorted_tables)]
        statements += [f"DELETE FROM {search_pg.TABLE}"]
        statements += [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
        connection.exec_driver_sql("; ".join(statements))
    engine.dispose()


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> str:
    if TEST_DATABASE_URL:
        _empty_postgres(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    path = tmp_path / "test.sqlite3"
    shutil.copy(database_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def search_backend() -> str:
    """The search backend of the apps a test makes: Whoosh, whatever the database, unless the
    test module asks for both (`tests/search/backends.py`)."""
    return "whoosh"


@pytest.fixture
def make_app(
    database_url: str, tmp_path: Path, search_backend: str
) -> Iterator[Callable[..., Flask]]:
    made: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        config = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SEARCH_BACKEND": search_backend,
            "OUTBOX_DIR": str(tmp_path / "outbox"),
            "SEARCH_INDEX_DIR": str(tmp_path / "search"),
        }
        config.update(overrides)
        made.append(create_app(config))
        return made[-1]

    yield factory
    for application in made:  # close the pooled connections of every app the test made
        db.engine_for(application).dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    application = make_app()
    yield application
    db.engine_for(application).dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create a confirmed user with a role; returns a detached User with its id and e-mail."""
    counter = {"n": 0}

    def factory(role: Role | str = Role.TRAINEE, email: str | None = None, **fields: Any) -> User:
        counter["n"] += 1
        email = email or f"user{counter['n']}-{Role(role).value}@example.org"
        with app.app_context():
            user = accounts.create_user(
                email,
                fields.pop("display_name", f"User {counter['n']}"),
                PASSWORD,
                role=Role(role),
                confirmed=fields.pop("confirmed", True),
            )
            for key, value in fields.items():
                setattr(user, key, value)
            db.commit()
            db.session.expunge(user)
        return user

    return factory


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    """Sign `client` in as `user` through the sign-in form; fail the test if it is refused."""
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


# A form's hidden CSRF field, its value captured (Flask-WTF's `form.csrf_token` writes
# `type="hidden"` between the name and the value, the templates' `csrf()` does not).
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]*)"')


def form_token(page: str) -> str:
    """The CSRF token of the first form on `page`; fail the test if there is none."""
    found = CSRF_FIELD.search(page)
    assert found and found.group(1), "no CSRF token on the page"
    return found.group(1)


def sign_in_with_token(client: FlaskClient, user: User) -> Any:
    """Post the sign-in form with the token it was served with (an app with CSRF checks on);
    the response, for the caller to check."""
    token = form_token(client.get("/sign-in").get_data(as_text=True))
    return client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )


class Auth:
    """Signs the `client` fixture in and out."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def sign_in(self, user: User) -> None:
        sign_in(self.client, user)

    def sign_out(self) -> None:
        self.client.post("/sign-out")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@pytest.fixture
def login(client: FlaskClient, make_user: Callable[..., User]) -> Callable[..., User]:
    """Create a user with the given role and sign the test client in as that user."""

    def factory(role: Role | str = Role.TRAINEE, **fields: Any) -> User:
        user = make_user(role, **fields)
        sign_in(client, user)
        return user

    return factory


@pytest.fixture
def client_for(app: Flask) -> ClientFor:
    """A new test client (a browser of its own) signed in as `user`, on `app` or `on`."""

    def factory(user: User, on: Flask | None = None) -> FlaskClient:
        return sign_in((on or app).test_client(), user)

    return factory


class Outbox:
    """The .eml files the app wrote instead of sending mail."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def messages(self) -> list[Any]:
        if not self.folder.exists():
            return []
        return [message_from_bytes(p.read_bytes()) for p in sorted(self.folder.glob("*.eml"))]

    def last_link(self, to: str, contains: str) -> str:
        for message in reversed(self.messages()):
            if message["To"] == to:
                body = message.get_payload(decode=True).decode()
                for url in re.findall(r"https?://\S+", body):
                    if contains in url:
                        return url.split("localhost", 1)[1]
        raise AssertionError(f"no mail to {to} with a link containing {contains!r}")


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "outbox")


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""
    from contextlib import contextmanager

    engine = db.engine_for(app)

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
                counter.statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting
