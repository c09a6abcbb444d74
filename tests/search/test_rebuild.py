"""Rebuild: a new generation built aside and swapped in; readers and writers lose nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from app.core.db import db
from app.search import IndexSpec, SearchRequest, drain, indexer, rebuild, register_index, search
from app.search.searchers import close_all
from app.search.storage import generation, index_root, writer_lock
from tests.search import toy

TEXT = ["title", "summary", "body"]


def _keys(app: Flask, text: str = "") -> list[str]:
    with app.app_context():
        result = search(SearchRequest(toy.INDEX, text, fields=TEXT, per_page=100))
    return sorted(hit.key for hit in result.hits)


def _hook_documents(app: Flask, hook: Callable[[list[str], dict[str, Any]], None]) -> None:
    """Replace the toy spec by one whose documents() calls hook(keys, docs) before returning."""

    def documents(keys: list[str]) -> dict[str, dict[str, Any]]:
        docs = toy.documents(keys)
        hook(keys, docs)
        return docs

    register_index(app, IndexSpec(toy.INDEX, toy.schema(), documents, toy.all_keys))


def test_rebuild_swaps_in_a_new_generation_with_the_same_documents(seeded: Flask) -> None:
    root = index_root(seeded)
    before = _keys(seeded)
    assert generation(root, toy.INDEX) == 1
    assert rebuild(seeded, [toy.INDEX]) == {toy.INDEX: 5}
    assert generation(root, toy.INDEX) == 2
    assert _keys(seeded) == before
    rebuild(seeded, [toy.INDEX])
    folders = sorted(p.name for p in (root / toy.INDEX).iterdir())
    # The previous generation stays for readers that still have it open; older ones go.
    assert folders == ["CURRENT", "gen-000002", "gen-000003"]


def test_rebuild_recovers_an_index_that_lost_documents(seeded: Flask) -> None:
    root = index_root(seeded)
    opened = indexer.open_current(root, toy.INDEX)
    assert opened is not None
    with writer_lock(root):
        writer = opened[1].writer()
        writer.delete_by_term("key", "gun-show")
        writer.commit()
    assert "gun-show" not in _keys(seeded)
    rebuild(seeded, [toy.INDEX])
    assert "gun-show" in _keys(seeded)


def test_readers_never_see_a_half_built_index(
    seeded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer, "REBUILD_CHUNK", 1)
    building = threading.Event()
    proceed = threading.Event()

    def pause(keys: list[str], docs: dict[str, Any]) -> None:
        if len(keys) == 1 and keys[0] == "gun-show":  # halfway through the build
            building.set()
            proceed.wait(10)

    _hook_documents(seeded, pause)
    thread = threading.Thread(target=rebuild, args=(seeded, [toy.INDEX]))
    thread.start()
    try:
        assert building.wait(10)
        # Mid-build: the new generation is half written aside; readers get the old one, whole.
        assert [p.name[:17] for p in (index_root(seeded) / toy.INDEX).glob("*.build-*")] == [
            "gen-000002.build-"
        ]
        assert generation(index_root(seeded), toy.INDEX) == 1
        assert len(_keys(seeded)) == 5
    finally:
        proceed.set()
        thread.join(10)
    assert generation(index_root(seeded), toy.INDEX) == 2
    assert len(_keys(seeded)) == 5
    close_all()


def test_changes_committed_during_a_rebuild_are_in_the_new_index(
    seeded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded.config["SEARCH_LOCK_TIMEOUT"] = 0  # inline drains give up at once: the lock is busy
    monkeypatch.setattr(indexer, "REBUILD_CHUNK", 100)
    read = threading.Event()
    committed = threading.Event()

    def stale(keys: list[str], docs: dict[str, Any]) -> None:
        # The build has read every document; the change below commits after that read.
        read.set()
        committed.wait(10)

    _hook_documents(seeded, stale)
    thread = threading.Thread(target=rebuild, args=(seeded, [toy.INDEX]))
    thread.start()
    try:
        assert read.wait(10)
        with seeded.app_context():
            toy.change("rifle-boat", title="Rifles in a lorry")
            toy.add("new-case", "Ammunition sent by courier")
            db.commit()
    finally:
        committed.set()
        thread.join(10)
    assert _keys(seeded, "lorry") == ["rifle-boat"]
    assert _keys(seeded, "fishing") == []
    assert _keys(seeded, "courier") == ["new-case"]
    assert drain(seeded) == 0  # the rebuild drained what was written meanwhile


def test_a_rebuild_by_several_processes_finds_what_one_process_finds(seeded: Flask) -> None:
    queries = ["", "pistol", "rifles", '"border crossing"', "armas", "broker"]
    before = {text: _keys(seeded, text) for text in queries}
    # Large rebuilds hand documents to SEARCH_BUILD_PROCS processes; five documents will do here.
    seeded.config.update(SEARCH_BUILD_PARALLEL_FROM=1, SEARCH_BUILD_PROCS=2)
    assert rebuild(seeded, [toy.INDEX]) == {toy.INDEX: 5}
    opened = indexer.open_current(index_root(seeded), toy.INDEX)
    assert opened is not None
    with opened[1].searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 2  # one segment per process
        assert searcher.doc_count() == 5
    opened[1].close()
    assert {text: _keys(seeded, text) for text in queries} == before
    with seeded.app_context():  # a change after the rebuild still reaches the index
        toy.add("new-toy", "Revolvers found in a broker's van", country="spain")
        db.commit()
    assert _keys(seeded, "revolvers") == ["new-toy"]
