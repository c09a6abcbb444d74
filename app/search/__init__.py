"""Search service shared by the digest, the forum and learning (Whoosh; see DESIGN.md "Search").

The index is a projection of the database, never a source of truth.

Registering an index (from the feature's init_app)::

    from app.search import IndexSpec, register_index, text_analyzer, plain_analyzer
    schema = Schema(key=ID(stored=True, unique=True),
                    title=TEXT(analyzer=text_analyzer(), stored=True, phrase=True),
                    summary=TEXT(analyzer=text_analyzer(), stored=True),
                    spell=TEXT(analyzer=plain_analyzer()),      # unstemmed: suggestions
                    country=ID(stored=True, sortable=True),      # facet / filter
                    year=NUMERIC(int, stored=True, sortable=True),
                    restricted=ID)                                # "yes" / "no": permissions
    register_index(app, IndexSpec("cases", schema, documents=..., all_keys=...))

`documents(keys)` returns `{key: {field: value}}` for keys that should be in the index now (a
key left out is deleted); `all_keys()` yields every key (rebuild). Both run in an app context.

Writing: a service that changes searchable data calls `enqueue("cases", key)` in the same
transaction. After the commit the outbox is drained inline (SEARCH_INLINE_INDEXING, default true;
env var of the same name) under a single writer lock; if that fails or the lock is busy the rows
wait for the next drain or for `flask search worker`. Nothing is lost when a process dies.

Reading: `search(SearchRequest(index, text, fields=[...], ...))` -> SearchResult (see
app/search/query.py):
    total, hits [Hit(key, score, fields, highlight: Markup)], facets {field: [(value, count)]},
    suggestion, error, notice, page, pages.
Pass `restrict=Term("restricted", "no")` for users below practitioner: it filters hits, totals,
facet counts and suggestions. Let users type `field:value` only for `allowed_fields`.
Several values in one `filters` field widen (OR), fields narrow (AND); each facet is counted
with every filter but its own. `sort` is "relevance", "newest" or "oldest" (on `sort_field`).
`search` never raises on user input: look at `error` (no search ran) and `notice`.
`more_like(index, key, field=..., text=..., restrict=..., limit=...)` -> [Hit]: the documents
whose text in `field` resembles `key`'s, `key` itself left out, equal scores in key order.

`SearchRequest(..., synonyms=True)` expands each word or phrase of a synonym group (the
`search_synonym_groups` table, seeded from app/search/synonyms.yaml) into the whole group; a
query that finds nothing is corrected or loosened to any word, with a `notice`.

The site-wide search (`/search`, the header's search box; app/search/site.py) asks each kind
registered with `register_site_kind(app, SiteKind(...))` for what the reader may see.

Operations: `flask search rebuild [--index NAME]`, `flask search worker [--once]`,
`flask search status`, `flask search synonyms [--load]`; `/healthz` shows generation and
backlog; `flask backup` copies the index under the writer lock. Tests: `drain(app)` indexes
what the test committed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from flask import Flask

from app.core import generation, hooks
from app.core.backup import BackupError
from app.search import pg
from app.search.analysis import plain_analyzer, text_analyzer
from app.search.blueprint import bp
from app.search.cli import search_cli
from app.search.indexer import (
    IndexStatus,
    backlog_age_seconds,
    drain,
    enqueue,
    rebuild,
    status,
)
from app.search.models import SearchOutbox, SynonymGroup
from app.search.query import MAX_QUERY_CHARS, Hit, SearchRequest, SearchResult, search
from app.search.registry import IndexSpec, register_index, specs
from app.search.similar import more_like
from app.search.site import KindResult, SiteHit, SiteKind, register_site_kind
from app.search.storage import LockTimeout, index_root, writer_lock

__all__ = [
    "MAX_QUERY_CHARS",
    "Hit",
    "IndexSpec",
    "IndexStatus",
    "KindResult",
    "LockTimeout",
    "SearchOutbox",
    "SearchRequest",
    "SearchResult",
    "SiteHit",
    "SiteKind",
    "drain",
    "enqueue",
    "init_app",
    "more_like",
    "plain_analyzer",
    "rebuild",
    "register_index",
    "register_site_kind",
    "search",
    "specs",
    "status",
    "text_analyzer",
]

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Configuration defaults, the site-wide search page, the CLI, the health check and the
    backup hook."""
    app.register_blueprint(bp)
    url = str(app.config["DATABASE_URL"])
    chosen = os.environ.get("SEARCH_BACKEND") or (
        "postgres" if pg.is_postgres_url(url) else "whoosh"
    )
    app.config.setdefault("SEARCH_BACKEND", chosen)
    if app.config["SEARCH_BACKEND"] not in ("whoosh", "postgres"):
        raise RuntimeError("SEARCH_BACKEND must be 'whoosh' or 'postgres'.")
    if app.config["SEARCH_BACKEND"] == "postgres" and not pg.is_postgres_url(url):
        raise RuntimeError(
            "SEARCH_BACKEND=postgres needs DATABASE_URL to be a PostgreSQL database."
        )
    inline = os.environ.get("SEARCH_INLINE_INDEXING", "true").strip().lower()
    app.config.setdefault("SEARCH_INLINE_INDEXING", inline in {"1", "true", "yes", "on"})
    app.config.setdefault("SEARCH_LOCK_TIMEOUT", 10.0)  # how long an inline drain waits
    app.config.setdefault("SEARCH_INLINE_MAX_ROWS", 2000)  # a bigger backlog is the worker's
    app.config.setdefault("SEARCH_BACKLOG_MAX_AGE", 600)  # older pending rows: healthz degraded
    # `flask search rebuild` (Whoosh): processes that analyse and write documents side by side
    # from SEARCH_BUILD_PARALLEL_FROM documents on, and the memory (MB, per process) each sorts
    # postings in before spilling runs to disk (768: 10,000 cases sort without spilling; 0.9 to
    # 1.2 GB resident per writer process while it builds; lower it on a small server).
    app.config.setdefault("SEARCH_BUILD_PROCS", int(os.environ.get("SEARCH_BUILD_PROCS", "2")))
    app.config.setdefault("SEARCH_BUILD_PARALLEL_FROM", 1000)
    app.config.setdefault(
        "SEARCH_BUILD_LIMITMB", int(os.environ.get("SEARCH_BUILD_LIMITMB", "768"))
    )
    hooks.health_checks.register(app, "search", lambda: _health(app))
    hooks.cli_groups.register(app, "search", search_cli)
    app.extensions["backup_hold"] = lambda: _hold_writer(app)
    generation.watch(app, SynonymGroup)


def _health(app: Flask) -> tuple[bool, str]:
    report = status(app)
    if not report:
        return True, "no index registered"
    max_age = float(app.config["SEARCH_BACKLOG_MAX_AGE"])
    ok = all(item.schema_current and backlog_age_seconds(item) <= max_age for item in report)
    return ok, "; ".join(f"{item.name}: {item.summary}" for item in report)


@contextmanager
def _hold_writer(app: Flask) -> Iterator[None]:
    """Keep every index still while `flask backup` copies the database and then the index."""
    with ExitStack() as stack:
        try:
            stack.enter_context(writer_lock(index_root(app), timeout=300))
        except LockTimeout as error:
            raise BackupError(
                "The search index stayed busy for 5 minutes (a rebuild?): try the backup later."
            ) from error
        yield
    try:
        drain(app, timeout=float(app.config["SEARCH_LOCK_TIMEOUT"]))
    except Exception:  # the backup is made; the rows wait for the next drain
        log.exception("Drain after the backup failed; the outbox keeps the rows.")
