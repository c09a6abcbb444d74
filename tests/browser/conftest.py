"""Real-browser journeys: the site served on 127.0.0.1, driven by Debian's Chromium.

Run with `make test-browser` (`pytest -m browser tests/browser`); the default run deselects them.
Every journey runs twice, with and without JavaScript. Each step saves a screenshot under
test-artifacts/<journey>/, is checked at 360 px wide (no horizontal scroll) and, with JavaScript,
by axe-core (no serious or critical violation); at the end the HTML of the journey's pages goes
through the Nu HTML Checker. A failure names the journey and the step.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.core.db import db
from app.core.migrate import upgrade
from app.learning.files import read_curriculum
from app.learning.services.content import load_curriculum
from tests.browser.harness import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    COURSE,
    DESKTOP,
    MODERATOR,
    PASSWORD,
    ROOT,
    TIMEOUT_MS,
    Journey,
    Site,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave the journeys out of a run that does not ask for them with `-m browser`."""
    if "browser" in (config.getoption("markexpr") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("browser") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def _load_course(app: Flask, slug: str) -> None:
    with app.app_context():
        curriculum = read_curriculum(ROOT / "courses")
        curriculum.courses = [course for course in curriculum.courses if course.slug == slug]
        assert [str(p) for p in curriculum.problems] == [], "the curriculum has problems"
        load_curriculum(curriculum)
        db.commit()


def _seed_moderator(app: Flask) -> None:
    runner = app.test_cli_runner()
    for args in (
        ["users", "create-admin", MODERATOR, "--name", "Mara Moderator", "--password", PASSWORD],
        ["users", "set-role", MODERATOR, "moderator"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output


@contextmanager
def _serve(folder: Path) -> Iterator[Site]:
    """Serve the real app (CSRF and all) on 127.0.0.1 with a migrated temporary database
    holding the first-line course and a moderator."""
    url = f"sqlite:///{folder / 'site.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SECRET_KEY", "browser-journeys-secret-key-not-for-production")
        patch.setenv("APP_ENV", "development")
        app = create_app(
            {
                "DATABASE_URL": url,
                "OUTBOX_DIR": str(folder / "outbox"),
                "SEARCH_INDEX_DIR": str(folder / "search"),
                "MAIL_SERVER": "",
                "SERVER_NAME": None,
                # Journeys sign up and sign in more often than a person would in an hour.
                "RATELIMIT_ENABLED": False,
            }
        )
    with app.app_context():
        upgrade(url)
    _load_course(app, COURSE)
    _seed_moderator(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}", app, folder / "outbox")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        db.engine_for(app).dispose()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site the journeys share."""
    with _serve(tmp_path_factory.mktemp("site")) as served:
        yield served


@pytest.fixture(scope="session")
def matrix_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A site of its own for the walk over every page of the authorisation matrix, whose data
    (tests/permissions builders) the journeys must not see."""
    with _serve(tmp_path_factory.mktemp("matrix-site")) as served:
        yield served


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test-browser` installs Debian's chromium")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def journey(request: pytest.FixtureRequest, browser: Any, site: Site) -> Iterator[Journey]:
    """A fresh browser context for one journey, with or without JavaScript."""
    javascript = bool(request.param)
    name = request.node.originalname.removeprefix("test_")
    folder = ARTIFACTS / f"{name}-{'js' if javascript else 'no-js'}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # The app's CSP forbids inline script; axe is injected by the test, so CSP is bypassed.
    context = browser.new_context(
        base_url=site.url, viewport=DESKTOP, java_script_enabled=javascript, bypass_csp=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    current = Journey(name, page, javascript, folder)
    page.on("response", current.on_response)
    yield current
    context.close()
