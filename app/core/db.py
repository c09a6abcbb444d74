"""Engine, declarative base and the one-session-per-request (or per CLI command) lifecycle.

The session lives on the application context. A request commits once, after the view returned a
response below 400; anything else is rolled back. A CLI command or script commits when its
application context closes without an exception. Callbacks registered with `on_commit` run after a
successful commit (mail, search indexing), never for a rolled-back transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask, Response, g, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import (
    BigInteger,
    Integer,
    MetaData,
    Select,
    SmallInteger,
    create_engine,
    event,
    select,
)
from sqlalchemy import inspect as inspect_model
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.core.errors import NotFound

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_M = TypeVar("_M")
# Keys in a SQLite connection's info: how its current transaction began, and the row changes
# the connection had made by then (sqlite3's total_changes), to tell whether it has written since.
_BEGAN_READ_ONLY = "db_began_read_only"
_CHANGES_AT_BEGIN = "db_changes_at_begin"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and explicit BEGINs."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            # Pooled (SQLAlchemy's default for a file): opening a connection and setting its
            # pragmas per request cost about 3 ms, as much as a whole small page.
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A transaction that may write takes the write lock up front: a deferred transaction
        # that reads and then writes fails with SQLITE_BUSY (or loses updates) under concurrency.
        immediate = wants_write()
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        connection.info[_BEGAN_READ_ONLY] = not immediate
        connection.info[_CHANGES_AT_BEGIN] = connection.connection.dbapi_connection.total_changes


def wants_write() -> bool:
    """Tell whether the current unit of work may write (POST requests, CLI, explicit intent).

    Outside a request nothing says what a unit of work will do, so it is taken to write unless it
    declared otherwise with `read_only(app)`.
    """
    if "db_write_intent" in g:
        return bool(g.db_write_intent)
    if has_request_context():
        return request.method not in SAFE_METHODS
    return True


def intend_write() -> None:
    """Declare that this GET request writes (e.g. marking a lesson read).

    Call it before the view's first write. On SQLite, a transaction that an earlier read began as
    a plain BEGIN (Flask-Login loading the user does that) and that has written nothing yet is
    ended here, so that the next statement begins with BEGIN IMMEDIATE and waits for the write
    lock: upgrading the read transaction instead fails at once with "database is locked".
    """
    g.db_write_intent = True
    session: Session | None = g.get("db_session")
    if session is None or not session.in_transaction():
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite" or not connection.info.get(_BEGAN_READ_ONLY):
        return
    unwritten = not (session.new or session.dirty or session.deleted)
    changes = connection.connection.dbapi_connection.total_changes  # type: ignore[union-attr]
    if unwritten and changes == connection.info.get(_CHANGES_AT_BEGIN):
        # Nothing to lose: committing a read-only transaction only releases its snapshot, and
        # keeps the loaded objects (expire_on_commit=False) such as the current user.
        session.commit()


@contextmanager
def read_only(app: Flask) -> Iterator[None]:
    """Push an application context for a unit of work outside a request that only reads.

    On SQLite it begins with a plain BEGIN: it reads a snapshot without taking the write lock, so
    it neither waits for a writer nor makes one wait (a search rebuild reading every document
    while requests save changes). A unit of work outside a request that does not say so begins
    with BEGIN IMMEDIATE, because a deferred transaction that reads and then writes fails with
    "database is locked" under concurrency. Do not write inside it.
    """
    with app.app_context():
        g.db_write_intent = False
        yield


class Database:
    """Holds the engine and hands out the session bound to the current application context."""

    def __init__(self) -> None:
        self._sessionmakers: dict[int, sessionmaker[Session]] = {}
        self._engines: dict[int, Engine] = {}

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        self._engines[id(app)] = engine
        self._sessionmakers[id(app)] = sessionmaker(bind=engine, expire_on_commit=False)
        app.extensions["database"] = self
        app.before_request(self._mark_request)
        app.after_request(self._commit_response)
        app.teardown_appcontext(self._teardown)

    def serves(self, app: Flask) -> bool:
        """Tell whether `app` has a database (init_app ran for it)."""
        return id(app) in self._sessionmakers

    def engine_for(self, app: Flask) -> Engine:
        return self._engines[id(app)]

    @property
    def engine(self) -> Engine:
        from flask import current_app

        return self._engines[id(current_app._get_current_object())]  # type: ignore[attr-defined]

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            from flask import current_app

            app = current_app._get_current_object()  # type: ignore[attr-defined]
            g.db_session = self._sessionmakers[id(app)]()
            g.db_on_commit = []
        session: Session = g.db_session
        return session

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run callback after the current transaction commits (never after a rollback)."""
        _ = self.session
        g.db_on_commit.append(callback)

    def commit(self) -> None:
        """Commit now and run the after-commit callbacks (CLI commands and tests use this)."""
        if "db_session" not in g:
            return
        session: Session = g.db_session
        try:
            session.commit()
        except Exception:
            session.rollback()
            g.db_on_commit = []
            raise
        callbacks, g.db_on_commit = g.db_on_commit, []
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        if "db_session" in g:
            g.db_session.rollback()
            g.db_on_commit = []

    @staticmethod
    def _mark_request() -> None:
        g.db_in_request = True

    def _commit_response(self, response: Response) -> Response:
        if response.status_code < 400:
            self.commit()
        else:
            self.rollback()
        return response

    def _teardown(self, exc: BaseException | None) -> None:
        if "db_session" not in g:
            return
        try:
            if exc is None and not g.get("db_in_request"):
                self.commit()
            else:
                self.rollback()
        finally:
            g.db_session.close()
            g.pop("db_session")


db = Database()


def get_or_404(model: type[_M], ident: int, message: str) -> _M:
    """The `model` row with primary key `ident`; NotFound(message) when there is none.

    An id the key column cannot hold (a URL takes any integer) is simply not found: the database
    would refuse it (SQLite raises OverflowError past 64 bits; PostgreSQL "integer out of range"
    past 32 bits for an INTEGER key, and the error aborts the transaction).
    """
    if not _fits_key(model, ident):
        raise NotFound(message)
    row = db.session.get(model, ident)
    if row is None:
        raise NotFound(message)
    return row


def one_or_404(statement: Select[_M], message: str) -> _M:
    """The one row `statement` selects; NotFound(message) when it selects none."""
    row = db.session.execute(statement).scalar_one_or_none()
    if row is None:
        raise NotFound(message)
    return row


def lock(model: type[_M], ident: int, message: str | None = None) -> _M:
    """Lock the `model` row until the transaction ends, and return it as committed now.

    PostgreSQL: SELECT ... FOR UPDATE, so a writer of the same row waits here until the first
    commits, then reads its changes (objects already loaded are refreshed: populate_existing).
    SQLite has no row locks and leaves the clause out: a writing transaction began with BEGIN
    IMMEDIATE and already holds the database's write lock. Pending changes are flushed first, so
    the reload keeps them.
    """
    (key,) = inspect_model(model).primary_key
    db.session.flush()
    row = db.session.scalar(
        select(model)
        .where(key == ident)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(message or _("This no longer exists."))
    return row


def _fits_key(model: type[Any], ident: int) -> bool:
    """Tell whether `ident` is in the range of the model's integer primary key column."""
    columns = inspect_model(model).primary_key
    if len(columns) != 1 or not isinstance(columns[0].type, Integer):
        return True
    if isinstance(columns[0].type, BigInteger) or db.engine.dialect.name == "sqlite":
        bits = 64  # SQLite stores every INTEGER in up to 64 bits
    elif isinstance(columns[0].type, SmallInteger):
        bits = 16
    else:
        bits = 32
    bound = 1 << (bits - 1)
    return -bound <= ident < bound
