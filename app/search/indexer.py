"""Outbox, drain and rebuild: keeping the index a faithful projection of the database.

A change and its outbox row commit together (`enqueue`). `drain` turns outbox rows into index
writes under the single writer lock and deletes the rows only after the index commit, so a
process killed anywhere in between leaves rows that the next drain processes again (processing
a key twice writes the same document twice: harmless). `rebuild` holds the same lock while it
builds a new generation, so rows created meanwhile stay in the outbox and are drained into the
new generation right after the swap.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import delete, func, select
from whoosh import index as whoosh_index
from whoosh.fields import Schema

from app import jobs
from app.core.db import db, read_only
from app.core.time import utcnow
from app.search import pg
from app.search.models import SearchOutbox
from app.search.registry import IndexSpec, spec_for, specs
from app.search.searchers import current_searcher
from app.search.storage import (
    LockTimeout,
    create_empty,
    generation,
    index_root,
    new_build_dir,
    open_current,
    publish,
    writer_lock,
)

log = logging.getLogger(__name__)

REBUILD_CHUNK = 500


def enqueue(index: str, key: str) -> None:
    """Record that `key` of `index` changed, in the caller's transaction (call it from services).

    Nothing is written to the index now. After the transaction commits, the outbox is drained
    inline when SEARCH_INLINE_INDEXING is true; a rolled-back transaction leaves no row.
    """
    spec_for(current_app, index)  # an unknown index is a programming error: fail loudly
    if pg.active():  # the index is a table written in this transaction: no outbox row
        pg.enqueue(index, str(key))
        return
    db.session.add(SearchOutbox(index_name=index, key=str(key)))
    if jobs.backend() == "rq":  # a worker drains (the row is the record if Redis loses it)
        _ = db.session
        if g.get("search_drain_for") is not g.db_on_commit:  # one drain per transaction
            g.search_drain_for = g.db_on_commit
            jobs.defer("search.drain")
        return
    if current_app.config.get("SEARCH_INLINE_INDEXING", True):
        pending = g.get("db_on_commit") or []
        if _inline_drain not in pending:
            db.on_commit(_inline_drain)


def _drain_job() -> None:
    """The `search.drain` job (JOBS_BACKEND=rq): drain the outbox under the writer lock."""
    drain(current_app._get_current_object(), timeout=60)  # type: ignore[attr-defined]


jobs.register("search.drain", _drain_job)


def _inline_drain() -> None:
    """Drain after a commit without ever failing the request that committed."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        drain(
            app,
            timeout=float(app.config.get("SEARCH_LOCK_TIMEOUT", 10)),
            limit=int(app.config.get("SEARCH_INLINE_MAX_ROWS", 2000)),
        )
    except LockTimeout:
        log.info("Search writer busy: outbox left for the next drain or `flask search worker`.")
    except Exception:  # the change is committed; its outbox row waits for the next drain
        log.exception("Inline search indexing failed; the outbox keeps the rows.")


def drain(
    app: Flask, batch: int = 500, timeout: float | None = None, limit: int | None = None
) -> int:
    """Apply pending outbox rows to the index, oldest first; return how many were processed.

    Stops when the outbox is empty or after about `limit` rows (None: no limit; the inline
    drain after a request is limited so that a large backlog is left to the worker). Takes the
    writer lock, waiting up to `timeout` seconds (None: as long as needed; else LockTimeout).
    Rows of indexes not registered on `app` are left alone. With the PostgreSQL backend there
    is no outbox and nothing to drain (0).
    """
    if pg.backend(app) == "postgres":
        return 0
    with writer_lock(index_root(app), timeout):
        return _drain_locked(app, batch, limit)


def rebuild(
    app: Flask, names: list[str] | None = None, timeout: float | None = None
) -> dict[str, int]:
    """Build the named indexes (default: all) from the database and swap them in atomically.

    Returns the number of documents per index. Readers keep the old generation until the swap;
    outbox rows written during the build are drained into the new generation afterwards.
    """
    if pg.backend(app) == "postgres":
        return pg.rebuild(app, names)
    chosen = [spec_for(app, name) for name in (names or list(specs(app)))]
    with writer_lock(index_root(app), timeout):
        counts = {spec.name: _build(app, spec) for spec in chosen}
        _drain_locked(app, 500)
    return counts


@dataclass
class IndexStatus:
    name: str
    generation: int
    documents: int | None
    backlog: int
    oldest_pending: datetime | None
    schema_current: bool

    @property
    def summary(self) -> str:
        if self.generation == 0:
            state = "not built (run `flask search rebuild`)"
        else:
            state = f"generation {self.generation}, {self.documents} documents"
            if not self.schema_current:
                state += ", schema changed (run `flask search rebuild`)"
        return f"{state}, outbox backlog {self.backlog}"


def status(app: Flask) -> list[IndexStatus]:
    """State of every registered index (run in an application context: reads the outbox)."""
    backlog = {
        name: (count, oldest)
        for name, count, oldest in db.session.execute(
            select(
                SearchOutbox.index_name, func.count(), func.min(SearchOutbox.created_at)
            ).group_by(SearchOutbox.index_name)
        )
    }
    if pg.backend(app) == "postgres":
        documents = pg.document_counts()
        return [
            IndexStatus(name, 1, documents.get(name, 0), *_backlog(backlog, name), True)
            for name in specs(app)
        ]
    root = index_root(app)
    report = []
    for name, spec in specs(app).items():
        opened = current_searcher(root, name)
        count, oldest = backlog.get(name, (0, None))
        report.append(
            IndexStatus(
                name=name,
                generation=opened[0] if opened else 0,
                documents=opened[1].doc_count() if opened else None,
                backlog=count,
                oldest_pending=oldest,
                schema_current=opened is None or _same_schema(opened[1].schema, spec.schema),
            )
        )
    return report


def _backlog(
    found: Mapping[str, tuple[int, datetime | None]], name: str
) -> tuple[int, datetime | None]:
    return found.get(name, (0, None))


def backlog_age_seconds(item: IndexStatus) -> float:
    if item.oldest_pending is None:
        return 0.0
    return (utcnow() - item.oldest_pending).total_seconds()


def _drain_locked(app: Flask, batch: int, limit: int | None = None) -> int:
    names = list(specs(app))
    done = 0
    while names and (limit is None or done < limit):
        with read_only(app):
            rows = db.session.execute(
                select(SearchOutbox.id, SearchOutbox.index_name, SearchOutbox.key)
                .where(SearchOutbox.index_name.in_(names))
                .order_by(SearchOutbox.id)
                .limit(batch)
            ).all()
            keys: dict[str, dict[str, None]] = {}
            for _id, name, key in rows:
                keys.setdefault(name, {})[key] = None
            documents = {
                name: specs(app)[name].documents(list(wanted)) for name, wanted in keys.items()
            }
            db.commit()
        if not rows:
            break
        for name, wanted in keys.items():
            _apply(app, specs(app)[name], list(wanted), documents[name])
        with app.app_context():
            g.db_write_intent = True  # SQLite: take the write lock at BEGIN
            db.session.execute(
                delete(SearchOutbox).where(SearchOutbox.id.in_([row[0] for row in rows]))
            )
            db.commit()
        done += len(rows)
    return done


def _apply(app: Flask, spec: IndexSpec, keys: list[str], docs: dict[str, dict[str, Any]]) -> None:
    """Write or delete each key in the current generation (caller holds the writer lock)."""
    root = index_root(app)
    if generation(root, spec.name) == 0:
        create_empty(root, spec.name, spec.schema)
    opened = open_current(root, spec.name)
    assert opened is not None
    _gen, ix = opened
    try:
        if not _same_schema(ix.schema, spec.schema):
            log.warning("Schema of index %s changed: rebuilding it.", spec.name)
            _build(app, spec)
            return
        writer = ix.writer(timeout=5.0)
        try:
            # Delete then add, with one searcher: update_document would open one per document.
            with writer.searcher() as searcher:
                for key in keys:
                    writer.delete_by_term("key", key, searcher=searcher)
            for key in keys:
                if (doc := docs.get(key)) is not None:
                    writer.add_document(**{**doc, "key": key})
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
    finally:
        ix.close()


def _build(app: Flask, spec: IndexSpec) -> int:
    """Write a complete new generation of one index and publish it (caller holds the lock)."""
    root = index_root(app)
    gen, build = new_build_dir(root, spec.name)
    try:
        ix = whoosh_index.create_in(str(build), spec.schema)
        with read_only(app):
            keys = list(dict.fromkeys(str(key) for key in spec.all_keys()))
        writer = _build_writer(app, ix, len(keys))
        count = 0
        try:
            for chunk in _chunks(keys, REBUILD_CHUNK):
                with read_only(app):
                    docs = spec.documents(chunk)
                for key in chunk:
                    if (doc := docs.get(key)) is not None:
                        writer.add_document(**{**doc, "key": key})
                        count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(optimize=True)
        written = ix.doc_count()
        ix.close()
        if written != count:  # e.g. a writer process that died: never publish a short index
            raise RuntimeError(f"Index {spec.name}: {written} of {count} documents written.")
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    publish(root, spec.name, gen, build)
    return count


def _build_writer(app: Flask, ix: Any, documents: int) -> Any:
    """The writer of a rebuild. Whoosh spends a rebuild analysing text and writing postings in
    pure Python; from SEARCH_BUILD_PARALLEL_FROM documents on, SEARCH_BUILD_PROCS processes do
    that side by side (this process reads the database and hands them documents), each
    writing its own segment (multisegment: merging them again would cost what was saved). Each
    sorts its postings in memory up to SEARCH_BUILD_LIMITMB before spilling runs to disk."""
    limitmb = int(app.config["SEARCH_BUILD_LIMITMB"])
    procs = int(app.config["SEARCH_BUILD_PROCS"])
    if procs > 1 and documents >= int(app.config["SEARCH_BUILD_PARALLEL_FROM"]):
        # Documents go to the processes in batches (files of pickled documents): enough
        # batches that every process gets some, and no more than 100 documents in one.
        batch = max(1, min(100, documents // (2 * procs)))
        return ix.writer(procs=procs, limitmb=limitmb, multisegment=True, batchsize=batch)
    return ix.writer(limitmb=limitmb)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _same_schema(on_disk: Schema, wanted: Schema) -> bool:
    def shape(schema: Schema) -> dict[str, str]:
        return {name: type(schema[name]).__name__ for name in schema.names()}

    return shape(on_disk) == shape(wanted)
