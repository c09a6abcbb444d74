"""Filters as document sets and facet counts, both cached for as long as a searcher is current.

The permission filter and popular facet values are the same query after query, and Whoosh
recomputes them for every search: the document set of a filter query, and for a multi-valued
(KEYWORD) facet the value list of every document (its OverlappingCategorizer walks every posting
of the field). Both are kept in the searcher's memo (`searchers.memo_for`), which is dropped when
the searcher is reopened after a commit or a rebuild.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whoosh import query as wq
from whoosh import sorting
from whoosh.fields import KEYWORD, Schema
from whoosh.searching import Searcher


def unless_empty(query: wq.Query, allow: set[int] | None) -> wq.Query:
    """Whoosh treats an empty `filter` set as "no filter": match nothing instead."""
    return wq.NullQuery if allow is not None and not allow else query


def allowed_docs(
    searcher: Searcher, memo: dict[Any, Any], parts: list[wq.Query]
) -> set[int] | None:
    """The document numbers every part matches (None: no condition).

    Each part's documents are remembered for as long as the searcher is current: the
    permission filter and popular facet values are the same query after query.
    """
    if not parts:
        return None
    sets = []
    for part in parts:
        key = ("docs", repr(part))
        if (found := memo.get(key)) is None:
            found = memo[key] = frozenset(searcher.docs_for_query(part))
        sets.append(found)
    return set(sets[0]).intersection(*sets[1:])


class _MemoOverlap(sorting.OverlappingCategorizer):
    """Whoosh rebuilds a multi-valued field's per-document value lists for every search;
    keep them for as long as the searcher (and so the segment reader) is current."""

    def __init__(self, global_searcher: Searcher, fieldname: str, memo: dict[Any, Any]) -> None:
        super().__init__(global_searcher, fieldname)
        self._memo = memo

    def set_searcher(self, segment_searcher: Searcher, docoffset: int) -> None:
        if self._use_vectors or self._use_column:
            super().set_searcher(segment_searcher, docoffset)
            return
        key = ("facet-lists", self._fieldname, id(segment_searcher.reader()))
        lists: list[list[Any]] | None = self._memo.get(key)
        if lists is None:
            super().set_searcher(segment_searcher, docoffset)
            self._memo[key] = vars(self)["_lists"]
        else:
            self._segment_searcher = segment_searcher
            self._lists = lists


class _MemoFieldFacet(sorting.FieldFacet):
    def __init__(self, fieldname: str, memo: dict[Any, Any]) -> None:
        super().__init__(fieldname, allow_overlap=True, maptype=sorting.Count)
        self._memo = memo

    def categorizer(self, global_searcher: Searcher) -> sorting.Categorizer:
        return _MemoOverlap(global_searcher, self.fieldname, self._memo)


def facet(schema: Schema, name: str, memo: dict[Any, Any]) -> sorting.FieldFacet:
    if isinstance(schema[name], KEYWORD):  # several values per document
        return _MemoFieldFacet(name, memo)
    return sorting.FieldFacet(name, maptype=sorting.Count)


def counts(groups: Mapping[Any, int]) -> list[tuple[str, int]]:
    pairs = [(str(value), int(count)) for value, count in groups.items() if value is not None]
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
