"""Every GET page of the authorisation matrix, opened in Chromium by the lowest role allowed to
read it: no sideways scrolling on a 360 px screen, and axe-core finds no serious or critical
violation (issue 17). Downloads (CSV, JSON, calendars) are not pages and are skipped."""

from __future__ import annotations

from typing import Any

import pytest

from app.accounts.services import users as accounts
from app.core import settings
from app.core.db import db
from app.core.permissions import Role
from tests.browser.harness import AXE, AXE_RUN, PASSWORD, PHONE_WIDTH, TIMEOUT_MS, Site
from tests.permissions import ROLES, World, all_cases, builders

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(matrix_site: Site) -> World:
    """One confirmed account per role and the data of every permissions builder, built once for
    the walks in every language."""
    return _world(matrix_site)


def _world(site: Site) -> World:
    """One confirmed account per role and the data of every permissions builder."""
    world: World = {"users": {}}
    with site.app.test_request_context():
        for role in ROLES[1:]:
            user = accounts.create_user(f"walk-{role}@example.org", f"Walk {role.title()}",
                                        PASSWORD, role=Role(role), confirmed=True)  # fmt: skip
            db.session.flush()
            world["users"][role] = user
        # The builders post as new members; the served site would hold such posts for approval.
        admin_id = world["users"]["admin"].id
        settings.update_values(admin_id, {settings.FORUM_PREMODERATE_FIRST: "0"})
        for build in builders():
            build(world)
        db.commit()
        for user in world["users"].values():
            db.session.refresh(user)
            db.session.expunge(user)
    return world


def _pages(world: World) -> dict[str, list[str]]:
    """GET URLs by the lowest role that reads them (200), without duplicates."""
    by_role: dict[str, list[str]] = {role: [] for role in ROLES}
    seen: set[str] = set()
    for case in all_cases():
        if case.method != "GET":
            continue
        allowed = [role for role in ROLES if case.expect[role] == 200]
        url = case.resolve(world)
        if allowed and url not in seen:
            seen.add(url)
            by_role[allowed[0]].append(url)
    return by_role


def _sign_in(page: Any, role: str) -> None:
    page.goto("/sign-in")
    page.fill("#email", f"walk-{role}@example.org")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")  # the form's own button, whatever the language names it
    page.wait_for_load_state("load")
    assert "/sign-in" not in page.url, f"{role} could not sign in"


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_fits_a_phone_and_passes_axe(
    browser: Any, matrix_site: Site, world: World, language: str
) -> None:
    """Every page in each interface language (longer French and Spanish words must fit too)."""
    problems: list[str] = []
    checked = 0
    axe = AXE.read_text(encoding="utf-8")
    for role, urls in _pages(world).items():
        if not urls:
            continue
        context = browser.new_context(base_url=matrix_site.url, bypass_csp=True,
                                      viewport={"width": PHONE_WIDTH, "height": 800},
                                      extra_http_headers={"Accept-Language": language})  # fmt: skip
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        if role != "anonymous":
            _sign_in(page, role)
        for url in urls:
            # A download (CSV, JSON) is not a page: ask first, with the same session.
            head = context.request.get(url, max_redirects=0)
            kind = head.headers.get("content-type", "")
            head.dispose()
            if "text/html" not in kind:
                continue
            response = page.goto(url)
            if response is None:
                continue
            checked += 1
            if response.status != 200:
                problems.append(f"{role} {url}: HTTP {response.status}")
                continue
            shown = page.evaluate("document.documentElement.lang")
            if shown != language:
                problems.append(f"{role} {url}: <html lang={shown!r}> for a {language} reader")
            width = page.evaluate("document.scrollingElement.scrollWidth")
            if width > PHONE_WIDTH:
                problems.append(f"{role} {url}: {width} px wide at {PHONE_WIDTH} px")
            page.add_script_tag(content=axe)
            for violation in page.evaluate(AXE_RUN):
                problems.append(f"{role} {url}: {violation}")
        context.close()
    assert checked >= 80, f"only {checked} pages were checked"
    assert problems == [], f"{len(problems)} problems on {checked} pages:\n" + "\n".join(problems)
