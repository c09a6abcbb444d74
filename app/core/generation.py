"""The content generation: a counter in the database that every change to shared content bumps.

Caches of what readers see (rendered references, related cases, repeated searches) are keyed by
the generation, so they stay right after content is loaded, curated or posted, on every app node:
the number lives in the database, not in a process. Features name the models whose changes count
with `watch(app, Model, ...)`; a flush that inserts, changes or deletes one of them, and an ORM
`update()`/`delete()` on one, bump the counter in the same transaction. A request reads the
number at most once (`current()`); `cached(name, key, compute)` keeps an answer for as long
as the generation stays.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, has_app_context, has_request_context
from flask_login import current_user
from sqlalchemy import Table, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.selectable import ScalarSelect

from app.core.db import db
from app.core.models import ContentGeneration

_T = TypeVar("_T")
_WATCHED: set[type[Any]] = set()
_BUMPED = "content_generation_bumped"  # Session.info: bumped in this transaction already
_G_KEY = "content_generation"


def watch(app: Flask, *models: type[Any]) -> None:
    """Count changes to rows of `models` as content changes (the app argument names who asks)."""
    del app
    _WATCHED.update(models)


def value_query() -> ScalarSelect[int]:
    """The generation as a scalar subquery, to read it along with something else."""
    return select(ContentGeneration.value).where(ContentGeneration.id == 1).scalar_subquery()


def remember(value: int | None) -> None:
    """Keep a generation read along with something else (the member) for this request."""
    if has_app_context():
        g.setdefault(_G_KEY, int(value or 0))


def current() -> int:
    """The generation this request sees (read once per request; 0 outside an app context)."""
    if not has_app_context():
        return 0
    value = g.get(_G_KEY)
    if value is None:
        value = int(db.session.scalar(select(value_query())) or 0)
        g.setdefault(_G_KEY, value)
    return int(value)


def reader_class() -> str:
    """Who reads, as far as shared answers can differ: the role, or "visitor". Caches of what
    a reader may see (resolved references, illustrations) are keyed by it."""
    if not has_request_context():
        return "visitor"
    user = current_user
    if not getattr(user, "is_authenticated", False):
        return "visitor"
    return str(user.role)


def bump(session: Session) -> None:
    """Add one to the generation in `session`'s transaction (once per transaction; the
    commit does it for every transaction that changed a watched model)."""
    if session.info.get(_BUMPED):
        return
    session.info[_BUMPED] = True
    connection = session.connection()
    table = cast(Table, ContentGeneration.__table__)
    changed = connection.execute(
        update(table).where(table.c.id == 1).values(value=table.c.value + 1)
    ).rowcount
    if not changed:
        connection.execute(insert(table).values(id=1, value=1))
    if has_app_context():
        g.pop(_G_KEY, None)
        g.content_generation_wrote = True


def wrote() -> bool:
    """Whether this request moved the generation on (what it rendered may be out of date)."""
    return bool(has_app_context() and g.get("content_generation_wrote"))


def _touches_watched(session: Session) -> bool:
    for obj in (*session.new, *session.deleted):
        if type(obj) in _WATCHED:
            return True
    return any(type(obj) in _WATCHED and session.is_modified(obj) for obj in session.dirty)


# The counter row is updated just before COMMIT, as the transaction's last statement: on
# PostgreSQL its row lock is then always taken last and held only for the commit, so writers
# never wait on it while holding other locks (no deadlock), and a rolled-back transaction never
# bumped it. Until its commit, a transaction that changed content keeps nothing in the caches:
# what it read may never be committed.
_PENDING = "content_generation_pending"
_CHANGED = "content_generation_changed"


def writes_pending() -> bool:
    """Tell whether this request's transaction changed watched content (not committed yet)."""
    session = g.get("db_session") if has_app_context() else None
    return bool(session is not None and session.info.get(_CHANGED))


def _mark(session: Session) -> None:
    session.info[_PENDING] = session.info[_CHANGED] = True


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if _WATCHED and _touches_watched(session):
        _mark(session)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ in _WATCHED:
        _mark(state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this hook
    if session.info.pop(_PENDING, False):
        bump(session)


@event.listens_for(Session, "after_transaction_end")
def _transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for flag in (_BUMPED, _PENDING, _CHANGED):
            session.info.pop(flag, None)


_STORE = "content_generation_cache"  # app.extensions: {"generation": n, "values": {...}}
CACHE_LIMIT = 2048  # entries kept per generation before the oldest half is dropped


def _values(pool: str = _STORE) -> dict[Hashable, Any] | None:
    """This process's cache `pool` for the current generation (emptied when it moves on)."""
    if not has_app_context() or not db.serves(current_app._get_current_object()):  # type: ignore[attr-defined]
        return None
    if writes_pending():
        return None
    store: dict[str, Any] = current_app.extensions.setdefault(pool, {})
    gen = current()
    if store.get("generation") != gen:
        store.clear()
        store["generation"] = gen
    values: dict[Hashable, Any] = store.setdefault("values", {})
    return values


def _put(values: dict[Hashable, Any], key: Hashable, value: Any, limit: int) -> None:
    if len(values) >= limit:
        for old in list(values)[: limit // 2]:
            values.pop(old, None)
    values[key] = value


def store(name: str, key: Hashable, value: Any) -> None:
    """Keep `value` under (name, key) until the generation changes."""
    values = _values()
    if values is not None:
        _put(values, (name, key), value, CACHE_LIMIT)


def peek(pool: str, key: Hashable) -> Any:
    """What `keep` kept under `key` in the cache `pool` for this generation, or None."""
    values = _values(pool)
    return None if values is None else values.get(key)


def keep(pool: str, key: Hashable, value: Any, limit: int) -> None:
    """Keep `value` under `key` in a cache of its own, `pool`, of at most `limit` entries (the
    oldest half dropped past that) until the generation changes: for large values that should
    not push the shared cache's answers out (pages)."""
    values = _values(pool)
    if values is not None:
        _put(values, key, value, limit)


def forget(name: str) -> None:
    """Drop this process's answers kept under `name` (tests and benchmarks, to measure the path
    that computes them)."""
    values: dict[Hashable, Any] = current_app.extensions.get(_STORE, {}).get("values", {})
    for key in [key for key in values if isinstance(key, tuple) and key[0] == name]:
        values.pop(key, None)


def cached(name: str, key: Hashable, compute: Callable[[], _T]) -> _T:
    """`compute()` once per (name, key) and content generation, in this process.

    For answers that depend on shared content only (never on who asks, unless `key` says so):
    the generation is the database's, so a change made through any app node is seen by all.
    Outside an app context with a database it is computed every time. (A `compute` returning
    None is not kept: None means "not cached" to the callers that peek.)
    """
    values = _values()
    if values is None:
        return compute()
    if (name, key) in values:
        return cast(_T, values[(name, key)])
    value = compute()
    if value is not None:
        store(name, key, value)
    return value
