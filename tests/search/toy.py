"""A toy index over a test-only table: the search service tested without any feature's code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask
from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from app.core.db import db
from app.search import IndexSpec, enqueue, plain_analyzer, register_index, text_analyzer

INDEX = "toys"
metadata = MetaData()
toys = Table(
    "search_test_toys",
    metadata,
    Column("slug", String(80), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("body", Text, nullable=False, default=""),
    Column("country", String(40), nullable=False, default=""),
    Column("weapons", String(200), nullable=False, default=""),
    Column("year", Integer, nullable=False, default=2020),
    Column("restricted", Boolean, nullable=False, default=False),
)


def schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        title=TEXT(analyzer=text_analyzer(), stored=True, phrase=True),
        summary=TEXT(analyzer=text_analyzer(), stored=True, phrase=True),
        body=TEXT(analyzer=text_analyzer(), phrase=True),
        words=TEXT(analyzer=plain_analyzer()),
        country=ID(stored=True, sortable=True),
        weapon=KEYWORD(stored=True, commas=True, lowercase=True, sortable=True),
        year=NUMERIC(stored=True, sortable=True),
        restricted=ID(stored=True),
    )


def documents(keys: list[str]) -> dict[str, dict[str, Any]]:
    rows = db.session.execute(select(toys).where(toys.c.slug.in_(keys))).mappings()
    return {
        row["slug"]: {
            "key": row["slug"],
            "title": row["title"],
            "summary": row["summary"],
            "body": row["body"],
            "words": f"{row['title']} {row['summary']} {row['body']}",
            "country": row["country"],
            "weapon": row["weapons"],
            "year": row["year"],
            "restricted": "yes" if row["restricted"] else "no",
        }
        for row in rows
    }


def all_keys() -> Iterable[str]:
    return list(db.session.scalars(select(toys.c.slug)))


def spec() -> IndexSpec:
    return IndexSpec(INDEX, schema(), documents, all_keys)


def register(app: Flask, reset: bool = True) -> None:
    """Create the toy table (emptied unless reset=False) and register the toy index on `app`."""
    engine = db.engine_for(app)
    with app.app_context():
        metadata.create_all(engine)
        if reset:
            with engine.begin() as connection:
                connection.execute(delete(toys))
    register_index(app, spec())


def add(slug: str, title: str, **fields: Any) -> None:
    """Insert a toy and enqueue it, in the current transaction (the caller commits)."""
    db.session.execute(insert(toys).values(slug=slug, title=title, **fields))
    enqueue(INDEX, slug)


def change(slug: str, **fields: Any) -> None:
    db.session.execute(update(toys).where(toys.c.slug == slug).values(**fields))
    enqueue(INDEX, slug)


def remove(slug: str) -> None:
    db.session.execute(delete(toys).where(toys.c.slug == slug))
    enqueue(INDEX, slug)
