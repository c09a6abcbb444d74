"""One cached searcher per index and thread, reopened only when the index changed.

Opening a searcher per request costs several times the query itself, so each thread keeps its
searcher and, before each search, compares the generation in CURRENT (a rebuild swapped the
index) and asks Whoosh whether the index has new commits (`up_to_date()`). When it has, a new
searcher is opened from the same Index object. `Searcher.refresh()` is deliberately not used:
in whoosh-reloaded 2.7.5 the refreshed reader keeps the old segments next to the new ones, so
a document updated since is returned twice (guarded by
`test_updated_document_is_found_once_through_the_cached_searcher`). Searchers are per thread
because a Whoosh searcher is not meant to be shared between threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, Index
from whoosh.searching import Searcher

from app.search.storage import generation, generation_dir


@dataclass
class _Cached:
    generation: int
    index: Index
    searcher: Searcher
    memo: dict[Any, Any] = field(default_factory=dict)  # per-searcher caches (query.py)


_local = threading.local()
MEMO_LIMIT = 256


def _cache() -> dict[tuple[str, str], _Cached]:
    cache: dict[tuple[str, str], _Cached] | None = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    return cache


def current_searcher(root: Path, name: str) -> tuple[int, Searcher] | None:
    """The up-to-date searcher of an index and its generation; None if it was never built."""
    for _attempt in range(3):
        try:
            return _current(root, name)
        except (FileNotFoundError, EmptyIndexError):
            # Two rebuilds swapped generations under us: read CURRENT again.
            _drop(root, name)
    return _current(root, name)


def _current(root: Path, name: str) -> tuple[int, Searcher] | None:
    cache = _cache()
    key = (str(root), name)
    gen = generation(root, name)
    entry = cache.get(key)
    if entry is not None and entry.generation == gen:
        if not entry.searcher.up_to_date():
            entry.searcher.close()
            entry.searcher = entry.index.searcher()
            entry.memo = {}
        return gen, entry.searcher
    _drop(root, name)
    if gen == 0:
        return None
    index = whoosh_index.open_dir(str(generation_dir(root, name, gen)))
    cache[key] = _Cached(gen, index, index.searcher())
    return gen, cache[key].searcher


def memo_for(root: Path, name: str, searcher: Searcher) -> dict[Any, Any]:
    """A dict that lives exactly as long as `searcher` stays the cached one (for caches)."""
    entry = _cache().get((str(root), name))
    if entry is None or entry.searcher is not searcher:
        return {}
    if len(entry.memo) > MEMO_LIMIT:
        entry.memo.clear()
    return entry.memo


def _drop(root: Path, name: str) -> None:
    entry = _cache().pop((str(root), name), None)
    if entry is not None:
        entry.searcher.close()
        entry.index.close()


def close_all() -> None:
    """Close this thread's cached searchers (tests and benchmarks call it between runs)."""
    cache = _cache()
    for entry in cache.values():
        entry.searcher.close()
        entry.index.close()
    cache.clear()
