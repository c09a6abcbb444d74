"""core.db helpers: get_or_404 and one_or_404 (fetch or NotFound), lock (row lock and reload)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from app.accounts.models import User
from app.core.db import db, get_or_404, lock, one_or_404
from app.core.errors import NotFound
from app.core.permissions import Role

TOO_LARGE = [2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user(Role.TRAINEE, display_name="Ana")


def test_get_or_404_returns_the_row_with_that_primary_key(app: Flask, user: User) -> None:
    with app.app_context():
        assert get_or_404(User, user.id, "No such member.").email == user.email


def test_get_or_404_raises_not_found_with_the_message(app: Flask, user: User) -> None:
    with app.app_context(), pytest.raises(NotFound, match="No such member"):
        get_or_404(User, user.id + 1, "No such member.")


@pytest.mark.parametrize("ident", TOO_LARGE)
def test_get_or_404_finds_nothing_for_an_id_the_key_cannot_hold(
    app: Flask, user: User, ident: int
) -> None:
    with app.app_context():
        with pytest.raises(NotFound, match="No such member"):
            get_or_404(User, ident, "No such member.")
        # The transaction is still usable (PostgreSQL aborts it on "integer out of range").
        assert get_or_404(User, user.id, "No such member.").id == user.id


def test_an_address_with_an_id_too_large_for_the_database_is_not_found(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login(Role.PRACTITIONER)
    for ident in (2**31, 2**40, 2**64):  # past PostgreSQL's INTEGER, SQLite's, anything
        assert client.get(f"/forum/library/e/{ident}").status_code == 404


def test_one_or_404_returns_the_row_the_statement_selects(app: Flask, user: User) -> None:
    with app.app_context():
        found = one_or_404(select(User).where(User.email == user.email), "No such member.")
        assert found.id == user.id


def test_one_or_404_raises_not_found_with_the_message(app: Flask, user: User) -> None:
    with app.app_context(), pytest.raises(NotFound, match="No such member"):
        one_or_404(select(User).where(User.email == "nobody@example.org"), "No such member.")


def test_lock_reloads_a_row_another_transaction_changed(app: Flask, user: User) -> None:
    with app.app_context():
        stale = get_or_404(User, user.id, "No such member.")
        db.commit()  # the object outlives the transaction (expire_on_commit=False)
        with app.app_context():  # another unit of work, with its own session
            get_or_404(User, user.id, "No such member.").display_name = "Bea"
            db.commit()
        assert stale.display_name == "Ana"
        assert lock(User, user.id) is stale
        assert stale.display_name == "Bea"


def test_lock_keeps_the_changes_not_yet_flushed(app: Flask, user: User) -> None:
    with app.app_context():
        member = get_or_404(User, user.id, "No such member.")
        member.display_name = "Carla"
        assert lock(User, user.id).display_name == "Carla"
        db.commit()
    with app.app_context():
        assert get_or_404(User, user.id, "No such member.").display_name == "Carla"


def test_lock_raises_not_found_for_a_missing_row(app: Flask) -> None:
    with app.app_context(), pytest.raises(NotFound, match="This no longer exists"):
        lock(User, 12345)


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    engine = db.engine_for(app)
    sent: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    yield sent
    event.remove(engine, "before_cursor_execute", before)


def test_lock_selects_for_update_on_postgresql_only(
    app: Flask, user: User, statements: list[str]
) -> None:
    with app.app_context():
        lock(User, user.id)
        dialect = db.engine.dialect.name
    (select_sent,) = [s for s in statements if s.startswith("SELECT")]
    # SQLite has no row locks: a writing transaction already holds the database's write lock.
    assert select_sent.rstrip().endswith("FOR UPDATE") == (dialect == "postgresql")
