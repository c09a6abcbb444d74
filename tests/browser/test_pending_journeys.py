"""Journeys of features still on their branches: the case digest (d) and the forum (e).

Each skips with a reason until its package is merged into main. They follow the text of issue 7
and the branches as they stood; after merging, the lead runs `make test-browser` and adjusts
selectors where the merged pages differ.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.accounts import services as accounts
from app.core.db import db
from app.core.permissions import Role
from tests.browser.harness import MODERATOR, PASSWORD, Journey, Site
from tests.browser.journeys import new_email, sign_in, sign_out

pytestmark = pytest.mark.browser


def _flask(site: Site, *args: str) -> None:
    result = site.app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, f"flask {' '.join(args)}: {result.output}"


def _practitioner(site: Site, email: str, name: str) -> None:
    with site.app.app_context():
        accounts.create_user(email, name, PASSWORD, role=Role.PRACTITIONER, confirmed=True)
        db.commit()


@pytest.fixture(scope="module")
def digest(site: Site) -> Any:
    """The case digests loaded and indexed (skips until app.digest is merged)."""
    module = pytest.importorskip("app.digest", reason="the case digest is not merged yet")
    _flask(site, "content", "load")
    _flask(site, "search", "rebuild")
    return module


@pytest.fixture(scope="module")
def forum(site: Site) -> Any:
    """The forum with its starting categories (skips until app.forum is merged)."""
    module = pytest.importorskip("app.forum", reason="the forum is not merged yet")
    _flask(site, "forum", "seed")
    return module


def test_search_the_digest_with_facets_and_open_a_case(
    digest: Any, journey: Journey, site: Site
) -> None:
    email = new_email(journey, "lucia")
    _practitioner(site, email, "Lucia Ferreira")
    sign_in(journey, email)
    with journey.step("open the case digest") as page:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Case digest").click()
        page.get_by_role("heading", name="Case digest", level=1).wait_for()
    with journey.step("search for pistols") as page:
        page.get_by_label("Search", exact=True).fill("pistols")
        page.get_by_role("button", name="Search", exact=True).click()
        heading = page.locator("#results-heading")
        heading.wait_for()
        assert re.match(r"[1-9]\d* cases?", heading.inner_text()), "the search found no case"
    with journey.step("narrow the results with a facet") as page:
        facets = page.get_by_role("complementary", name="Filters")
        facets.locator("details[open] a").first.click()
        page.locator('.digest-facets a[aria-current="true"]').first.wait_for()
        assert re.match(r"[1-9]\d* cases?", page.locator("#results-heading").inner_text()), (
            "the facet left no case"
        )
    with journey.step("open the first case") as page:
        first = page.locator(".digest-hits a").first
        title = first.inner_text().strip()
        first.click()
        page.get_by_role("heading", name=title, level=1).wait_for()
        assert "Summary" in page.inner_text("main"), "the case page has no Summary section"
    journey.check_markup()


def test_post_get_flagged_and_moderated(forum: Any, journey: Journey, site: Site) -> None:
    author, reader = new_email(journey, "petra"), new_email(journey, "omar")
    _practitioner(site, author, "Petra Novak")
    _practitioner(site, reader, "Omar Haddad")
    title = f"Converted alarm pistols at the border ({'js' if journey.javascript else 'no js'})"
    sign_in(journey, author)
    with journey.step("open the forum") as page:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Forum").click()
        page.get_by_role("heading", level=1).wait_for()
    with journey.step("open a category") as page:
        page.locator('a[href*="/forum/c/"]').first.click()
        page.get_by_role("link", name=re.compile("New topic")).wait_for()
    with journey.step("write a new topic") as page:
        page.get_by_role("link", name=re.compile("New topic")).click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Message (Markdown)").fill(
            "We seized **converted alarm pistols** in a car at the crossing. Has anyone traced "
            "the conversion workshop for pistols of this make?"
        )
        page.get_by_role("button", name="Post topic").click()
        page.get_by_role("heading", name=title).wait_for()
    topic_url = journey.page.url
    sign_out(journey)
    # A new member's first posts wait for a moderator (pre-moderation).
    sign_in(journey, MODERATOR)
    with journey.step("open the new post in the review queue") as page:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
        page.get_by_role("row").filter(has_text=title[:30]).get_by_role("link").first.click()
        page.get_by_role("button", name="Approve").wait_for()
    with journey.step("approve the post") as page:
        page.get_by_role("button", name="Approve").click()
        page.wait_for_load_state()
    sign_out(journey)
    sign_in(journey, reader)
    with journey.step("flag the post") as page:
        page.goto(topic_url)
        page.get_by_role("link", name="Flag").first.click()
        page.get_by_label("Why").select_option(index=1)
        page.get_by_label(re.compile("Message")).fill("Please check: it may name a live case.")
        page.get_by_role("button", name="Send flag").click()
        page.get_by_text("the moderators will look at this post").wait_for()
    sign_out(journey)
    sign_in(journey, MODERATOR)
    with journey.step("open the flag in the review queue") as page:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
        page.get_by_role("link", name=re.compile("Flagged forum posts")).first.click()
        page.get_by_role("row").filter(has_text=title[:30]).get_by_role("link").first.click()
        page.get_by_role("button", name="Hide").wait_for()
    with journey.step("hide the post") as page:
        page.get_by_label(re.compile("Reason")).fill("Names a live case.")
        page.get_by_role("button", name="Hide").click()
        page.wait_for_load_state()
    with journey.step("see the flag decided") as page:
        page.goto("/moderation/?kind=flag")
        assert page.get_by_role("row").filter(has_text=title[:30]).count() == 0, "flag still open"
    journey.check_markup()
