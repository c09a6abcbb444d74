"""Fixtures for the search service: apps with the toy index registered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from app.core.db import db
from app.search import searchers
from tests.search import toy


@pytest.fixture
def make_search_app(make_app: Callable[..., Flask]) -> Iterator[Callable[..., Flask]]:
    """Apps (with config overrides) that have the toy index registered; cleaned up after."""
    made: list[Flask] = []

    def factory(reset: bool = True, **overrides: Any) -> Flask:
        application = make_app(**overrides)
        toy.register(application, reset=reset)
        made.append(application)
        return application

    yield factory
    searchers.close_all()
    for application in made:
        engine = db.engine_for(application)
        if application is made[0]:
            # The toy table is not part of the models: leave no trace of it in a shared
            # PostgreSQL database, where the migrations test compares the schema with the models.
            with application.app_context():
                toy.metadata.drop_all(engine)
        engine.dispose()


@pytest.fixture
def search_app(make_search_app: Callable[..., Flask]) -> Flask:
    return make_search_app()


@pytest.fixture
def seeded(search_app: Flask) -> Flask:
    """Five toys (one restricted), committed and indexed inline."""
    with search_app.app_context():
        toy.add("glock-ring", "Glock pistols trafficked by post",
                summary="A ring mailed <b>pistols</b> in parcels from Spain.",
                body="Customs found pistol frames hidden in toys.", country="spain",
                weapons="pistol", year=2019)  # fmt: skip
        toy.add("rifle-boat", "Rifles smuggled on a fishing boat",
                summary="Assault rifles were carried across the sea.",
                body="The coast guard boarded the boat.", country="italy",
                weapons="rifle,ammunition", year=2021)  # fmt: skip
        toy.add("armas-caso", "Tráfico de armas en la frontera",
                summary="Armás and munición seized at the border crossing.",
                body="Investigation by the border police.", country="mexico",
                weapons="pistol,rifle", year=2018)  # fmt: skip
        toy.add("secret-op", "Undercover operation against a broker",
                summary="A restricted case about a broker of grenades.",
                body="Zarquon grenades were offered to an undercover officer.",
                country="serbia", weapons="grenade", year=2022, restricted=True)  # fmt: skip
        toy.add("gun-show", "Straw purchases at gun shows",
                summary="Straw buyers acquired pistols for a trafficking ring.",
                body="Firearms were then exported.", country="italy",
                weapons="pistol", year=2020)  # fmt: skip
        db.commit()
    return search_app
