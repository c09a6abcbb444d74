"""Both search backends for one test module: Whoosh always, PostgreSQL search when the tests
run on PostgreSQL (TEST_DATABASE_URL). Use it by importing the fixture into the module::

    from tests.search.backends import search_backend  # noqa: F401  (both backends)
"""

from __future__ import annotations

import os

import pytest

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


@pytest.fixture(params=["whoosh", "postgres"])
def search_backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not ON_POSTGRES:
        pytest.skip("PostgreSQL search runs only when TEST_DATABASE_URL is a PostgreSQL database")
    return str(request.param)
