"""Index specifications: what each feature puts in the search index and how to read it back."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from whoosh.fields import Schema

from app.core import hooks


@dataclass(frozen=True)
class IndexSpec:
    """One index: a name, a Whoosh schema and two callbacks into the owning feature.

    `schema` must contain `key=ID(stored=True, unique=True)`.
    `documents(keys)` returns `{key: field dict}` for the keys that belong in the index now; a
    key missing from the result is deleted from the index. It runs in an application context
    (use `db.session`) and must only read.
    `all_keys()` returns every key that belongs in the index (for `rebuild`).
    """

    name: str
    schema: Schema
    documents: Callable[[list[str]], dict[str, dict[str, Any]]]
    all_keys: Callable[[], Iterable[str]]


def register_index(app: Flask, spec: IndexSpec) -> None:
    """Make `spec` known to this application (call it from the feature's init_app)."""
    if "key" not in spec.schema.names():
        raise ValueError(f"The schema of index {spec.name!r} has no 'key' field.")
    if not spec.name.isidentifier():
        raise ValueError(f"Index name {spec.name!r} must be a plain identifier.")
    hooks.search_indexes.register(app, spec.name, spec)


def specs(app: Flask) -> dict[str, IndexSpec]:
    """Every index registered on this application, by name."""
    return hooks.search_indexes.entries(app)


def spec_for(app: Flask, name: str) -> IndexSpec:
    try:
        return specs(app)[name]
    except KeyError:
        raise KeyError(f"No search index named {name!r} is registered.") from None
