"""Each member's state counter: a number in the database that moves whenever something the member
sees of their own changes, so that a page kept for them (`http_cache.kept_page`) is never served
after it.

It is bumped, in the transaction that makes the change, for

- the member whose request wrote anything at all (enrolled, answered, replied, read a lesson,
  moved a read position, changed a setting): every write in their request counts;
- every member a written row names through a foreign key to `users` (a certificate issued to
  them, a reply notifying them, a moderator's change to their account), whoever writes it.

A write that names a member some other way (raw SQL, a bulk UPDATE of other members' rows) is not
seen: kept pages also carry the minute they were made, so such a change shows within a minute.
The counter is read with the member at sign-in check (`value_of`), at no extra statement.
"""

from __future__ import annotations

from typing import Any, cast

from flask import g, has_app_context
from sqlalchemy import Column, Table, event, func, inspect, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, ORMExecuteState, Session
from sqlalchemy.sql.elements import ColumnElement

from app.core.db import Base
from app.core.models import MemberState

_IDS = "member_state_ids"  # Session.info: members whose counter this transaction bumps
_G_VALUES = "member_state_values"  # g: {user id: counter read with the member}
_G_WROTE = "member_state_wrote"  # g: this request bumped someone's counter
_USER_COLUMNS: dict[type[Any], tuple[str, ...]] = {}


def value_of(user_id: InstrumentedAttribute[int] | int) -> ColumnElement[int]:
    """The member's counter as a scalar subquery (0 before their first change)."""
    return func.coalesce(
        select(MemberState.value).where(MemberState.user_id == user_id).scalar_subquery(), 0
    )


def remember(user_id: int, value: int) -> None:
    """Keep the counter read with the member for the rest of the request."""
    g.setdefault(_G_VALUES, {})[user_id] = int(value)


def current(user_id: int) -> int | None:
    """The counter read with the member in this request (None: not read, so unknown)."""
    if not has_app_context():
        return None
    values: dict[int, int] = g.get(_G_VALUES, {})
    return values.get(user_id)


def wrote() -> bool:
    """Whether this request bumped a member's counter (what it rendered may be out of date)."""
    return bool(has_app_context() and g.get(_G_WROTE))


def _user_columns(cls: type[Any]) -> tuple[str, ...]:
    """The attributes of `cls` that hold a member's id (its foreign keys to users.id)."""
    found = _USER_COLUMNS.get(cls)
    if found is None:
        mapper = inspect(cls)
        names = []
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            if not isinstance(column, Column):
                continue
            own_id = column.table.name == "users" and column.primary_key
            if own_id or any(fk.column.table.name == "users" for fk in column.foreign_keys):
                names.append(prop.key)
        found = _USER_COLUMNS[cls] = tuple(names)
    return found


def _requesting_member() -> int | None:
    user = g.get("_login_user") if has_app_context() else None
    if user is not None and getattr(user, "is_authenticated", False):
        return int(user.id)
    return None


def _add(session: Session, *ids: int | None) -> None:
    found: set[int] = session.info.setdefault(_IDS, set())
    found.update(i for i in ids if isinstance(i, int))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    changed = [
        *session.new,
        *session.deleted,
        *(obj for obj in session.dirty if session.is_modified(obj)),
    ]
    if not changed:
        return
    _add(session, _requesting_member())
    for obj in changed:
        if isinstance(obj, MemberState):
            continue
        _add(session, *(getattr(obj, name, None) for name in _user_columns(type(obj))))


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        _add(state.session, _requesting_member())


# Before the content generation's own hook (inserted first): the generation's row stays the
# transaction's last update, and members' rows are updated in the order of their ids, so two
# committing transactions never wait on each other's rows in a cycle (PostgreSQL).
@event.listens_for(Session, "before_commit", insert=True)
def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    ids = sorted(session.info.pop(_IDS, ()))
    if ids:
        bump(session, ids)


@event.listens_for(Session, "after_transaction_end")
def _transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_IDS, None)


def bump(session: Session, ids: list[int]) -> None:
    """Add one to the counters of `ids` in `session`'s transaction: one UPDATE, and for a
    member's first change an INSERT of their row (members that no longer exist are left out)."""
    connection = session.connection()
    table = cast(Table, MemberState.__table__)
    users = Base.metadata.tables["users"]
    dialect = connection.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    bumped = connection.execute(
        update(table).where(table.c.user_id.in_(ids)).values(value=table.c.value + 1)
    ).rowcount
    if bumped < len(ids):  # a first change for some: their row, unless another commit made it
        first = (
            select(users.c.id, literal(1))
            .where(users.c.id.in_(ids))
            .where(~select(table.c.user_id).where(table.c.user_id == users.c.id).exists())
        )
        statement = insert(table).from_select(["user_id", "value"], first)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.user_id], set_={"value": table.c.value + 1}
            )
        )
    if has_app_context():
        g.setdefault(_G_WROTE, True)
        values: dict[int, int] = g.get(_G_VALUES, {})
        for user_id in ids:
            values.pop(user_id, None)
