"""One cached searcher per index and thread, reopened only when the index changed."""

from __future__ import annotations

from flask import Flask

from app.core.db import db
from app.search import SearchRequest, rebuild, search
from app.search.searchers import current_searcher
from app.search.storage import index_root
from tests.search import toy


def test_searcher_is_reused_until_a_commit_or_a_rebuild(seeded: Flask) -> None:
    root = index_root(seeded)
    with seeded.app_context():
        opened = current_searcher(root, toy.INDEX)
        assert opened is not None
        gen, first = opened
        search(SearchRequest(toy.INDEX, "pistol", fields=["title"]))
        assert current_searcher(root, toy.INDEX) == (gen, first)  # same object, no reopen

        toy.change("rifle-boat", title="Rifles in a lorry")
        db.commit()
        after_commit = current_searcher(root, toy.INDEX)
        assert after_commit is not None
        assert after_commit[0] == gen
        assert after_commit[1] is not first

    rebuild(seeded, [toy.INDEX])
    with seeded.app_context():
        after_rebuild = current_searcher(root, toy.INDEX)
        assert after_rebuild is not None
        assert after_rebuild[0] == gen + 1
        assert after_rebuild[1] is not after_commit[1]


def test_updated_document_is_found_once_through_the_cached_searcher(seeded: Flask) -> None:
    with seeded.app_context():
        first = search(SearchRequest(toy.INDEX, "fishing", fields=["title"]))  # caches a searcher
        assert first.total == 1
        toy.change("rifle-boat", title="Rifles on a fishing trawler")
        db.commit()
        result = search(SearchRequest(toy.INDEX, "fishing", fields=["title"]))
    assert [hit.key for hit in result.hits] == ["rifle-boat"]
    assert result.hits[0].fields["title"] == "Rifles on a fishing trawler"
    assert result.total == 1


def test_a_never_built_index_gives_an_empty_result(search_app: Flask) -> None:
    with search_app.app_context():
        result = search(SearchRequest(toy.INDEX, "pistol", fields=["title"], facets=["country"]))
    assert (result.total, result.hits, result.facets, result.error) == (
        0,
        [],
        {"country": []},
        None,
    )
