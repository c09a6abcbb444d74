"""More like this: the documents of an index whose text resembles one document's.

Whoosh picks the key terms of the document's text and searches for them, leaving the document
itself out. `restrict` filters the candidates as it filters `search()`, so a document the reader
may not see is never offered.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from markupsafe import Markup
from whoosh import query as wq
from whoosh.searching import Searcher

from app.search import pg
from app.search.query import Hit
from app.search.searchers import current_searcher, memo_for
from app.search.storage import index_root

KEY_TERMS = 20


def more_like(
    index: str,
    key: str,
    *,
    field: str,
    text: str | None = None,
    restrict: wq.Query | None = None,
    limit: int = 10,
) -> list[Hit]:
    """The `limit` documents most like `key` in `field`, best first, equal scores in key order.

    `text` is the document's text in `field` (needed when the field stores neither the text nor
    term vectors). Nothing is found when the index was never built or has no such key.
    """
    if pg.active():
        return pg.more_like(
            index, key, field_name=field, text_value=text, restrict=restrict, limit=limit
        )
    opened = current_searcher(index_root(current_app), index)
    if opened is None:
        return []
    _generation, searcher = opened
    # Kept for as long as the searcher is current (the index unchanged): related-case lists
    # cost one search per document, reader restriction and limit, not one per page view.
    memo = memo_for(index_root(current_app), index, searcher)
    memo_key = ("more_like", key, field, hash(text), repr(restrict), limit)
    best = memo.get(memo_key)
    if best is None:
        docnum = searcher.document_number(key=key)
        if docnum is None:
            return []
        found = searcher.more_like(
            docnum, field, text=text, top=None, numterms=KEY_TERMS, filter=restrict
        )
        best = memo[memo_key] = _best(searcher, found.top_n, limit)
    return [Hit(str(stored["key"]), score, dict(stored), Markup("")) for score, stored in best]


def _best(
    searcher: Searcher, scored: list[tuple[float, int]], limit: int
) -> list[tuple[float, dict[str, Any]]]:
    """(score, stored fields) of the `limit` best hits, equal scores in key order.

    Whoosh breaks ties by document number, which changes each time a document is reindexed, so
    the order (and which documents make the cut) would follow the index's history.
    """
    if not scored or limit < 1:
        return []
    ranked = sorted(scored, key=lambda pair: -pair[0])
    cut = round(ranked[min(limit, len(ranked)) - 1][0], 6)
    contenders = []
    for score, number in ranked:
        if round(score, 6) < cut:
            break
        stored = dict(searcher.stored_fields(number))
        contenders.append((-round(score, 6), str(stored["key"]), float(score), stored))
    contenders.sort(key=lambda row: row[:2])
    return [(score, stored) for _rounded, _key, score, stored in contenders[:limit]]
