"""Journeys through the case digest (d) and the forum (e), in Chromium, with and without JS.

Every step is screenshotted, checked at 360 px and (with JavaScript) by axe-core; the pages of a
journey go through the Nu HTML Checker at its end (see tests/browser/harness.py).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.services import users as accounts
from app.core.db import db
from app.core.models import AuditEntry
from app.core.permissions import Role
from tests.browser.harness import DESKTOP, MODERATOR, PASSWORD, PHONE_WIDTH, Journey, Site
from tests.browser.journeys import new_email, sign_in, sign_out, staff_tool

pytestmark = pytest.mark.browser

COUNT = re.compile(r"(\d+) cases?\b")


def _flask(site: Site, *args: str) -> None:
    result = site.app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, f"flask {' '.join(args)}: {result.output}"


def _practitioner(site: Site, email: str, name: str) -> None:
    with site.app.app_context():
        accounts.create_user(email, name, PASSWORD, role=Role.PRACTITIONER, confirmed=True)
        db.commit()


@pytest.fixture(scope="module")
def cases(site: Site) -> None:
    """The packaged case digests loaded and indexed, as `make setup` does."""
    _flask(site, "content", "load")
    _flask(site, "search", "rebuild")


@pytest.fixture(scope="module")
def categories(site: Site) -> None:
    """The standard forum categories, as `make setup` creates them."""
    _flask(site, "forum", "seed")


def _found(page: object) -> int:
    status = page.get_by_role("status").inner_text()  # type: ignore[attr-defined]
    match = COUNT.search(status)
    assert match, f"no result count in {status!r}"
    return int(match.group(1))


def test_search_the_digest_with_facets_and_open_a_case(
    cases: None, journey: Journey, site: Site
) -> None:
    email = new_email(journey, "lucia")
    _practitioner(site, email, "Lucia Ferreira")
    sign_in(journey, email)
    with journey.step("open the case digest") as page:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Case digest").click()
        page.get_by_role("heading", name="Case digest", level=1).wait_for()
        everything = _found(page)
        assert everything >= 10, f"only {everything} cases in the digest"
    with journey.step("search for pistols") as page:
        page.get_by_label("Search the cases").fill("pistols")
        page.get_by_role("button", name="Search", exact=True).click()
        page.get_by_role("status").filter(has_text="“pistols”").wait_for()
        pistols = _found(page)
        assert 0 < pistols < everything, f"{pistols} of {everything} cases for pistols"
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
        try:  # on a phone the first result comes before the filters, near the top
            first_hit = page.locator("ol.hits li").first.bounding_box()
            filters = page.locator("details#filters").bounding_box()
            assert first_hit["y"] < filters["y"], "the filters come before the results"
            assert first_hit["y"] < 1000, f"the first result is {first_hit['y']} px down"
        finally:
            page.set_viewport_size(DESKTOP)
    with journey.step("sort the results oldest first") as page:
        if journey.javascript:  # the change alone re-runs the search
            with page.expect_navigation():
                page.get_by_label("Sort by").select_option("oldest")
        else:
            page.get_by_label("Sort by").select_option("oldest")
            page.get_by_role("button", name="Search", exact=True).click()
        page.get_by_role("status").filter(has_text="“pistols”").wait_for()
        assert "sort=oldest" in page.url, page.url
        assert _found(page) == pistols, "sorting changed the number of results"
    with journey.step("narrow the results with a facet") as page:
        filters = page.locator("details#filters")
        # Open beside the results on a wide screen with JavaScript; a closed disclosure without.
        assert filters.evaluate("d => d.open") == journey.javascript
        if not journey.javascript:
            filters.locator("summary").first.click()
        facet = filters.locator("fieldset.facet").nth(1)  # the first after the years
        legend = facet.locator("legend").inner_text().strip()
        choice = facet.locator("label.check").first
        value = re.sub(r"\s*\(\d+\)$", "", choice.inner_text().strip())
        if journey.javascript:  # ticking the box re-runs the search; no button to press
            assert not page.get_by_role("button", name="Apply filters").is_visible()
            with page.expect_navigation():
                choice.locator("input").click()
        else:
            choice.locator("input").check()
            page.get_by_role("button", name="Apply filters").click()
        summary = page.locator("details#filters > summary")
        assert "Filters (1 active)" in summary.inner_text(), summary.inner_text()
        chips = page.get_by_role("list", name="Active filters")
        chips.get_by_role("link", name=re.compile(re.escape(f"{legend}: {value}"))).wait_for()
        narrowed = _found(page)
        assert 0 < narrowed <= pistols, f"{narrowed} cases after the facet, {pistols} before"
        assert page.get_by_label("Search the cases").input_value() == "pistols", "query lost"
    with journey.step("open the first case") as page:
        first = page.locator("ol.hits h3 a").first
        title = first.inner_text().strip()
        first.click()
        page.get_by_role("heading", name=title, level=1).wait_for()
        main = page.inner_text("main")
        assert "At a glance" in main, "the case page has no summary box"
        assert "Summary" in main, "the case page has no Summary section"
    with journey.step("go back to the results") as page:
        page.get_by_role("link", name="← Case digest").click()
        page.get_by_role("heading", name="Case digest", level=1).wait_for()
    with journey.step("search the whole site from the header") as page:
        page.locator("#header-q").fill("pistols")
        page.get_by_role("button", name="Search the site").click()
        page.get_by_role("heading", name="Search", level=1).wait_for()
        cases = page.get_by_role("heading", name=re.compile(r"^Cases \(\d+\)$"), level=2)
        assert int(re.findall(r"\d+", cases.inner_text())[-1]) == pistols
        for kind in ("Lessons and modules", "Glossary terms", "Forum posts", "Good practices"):
            page.get_by_role("heading", name=re.compile(rf"^{kind} \(\d+\)$"), level=2).wait_for()
        page.get_by_role("link", name=f"See all {pistols} cases in their own search →").click()
        page.get_by_role("status").filter(has_text="“pistols”").wait_for()
        assert _found(page) == pistols
    journey.check_markup()


def _topic_row_link(page: object, title: str) -> object:
    rows = page.get_by_role("row").filter(has_text=title)  # type: ignore[attr-defined]
    return rows.get_by_role("link").first


def test_post_get_flagged_and_moderated(categories: None, journey: Journey, site: Site) -> None:
    author, reader = new_email(journey, "petra"), new_email(journey, "omar")
    _practitioner(site, author, "Petra Novak")
    _practitioner(site, reader, "Omar Haddad")
    variant = "js" if journey.javascript else "no js"
    title = f"Converted alarm pistols at the border ({variant})"
    sign_in(journey, author)
    with journey.step("open the forum") as page:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Forum").click()
        page.get_by_role("heading", name="Forum", level=1).wait_for()
    with journey.step("open a category") as page:
        page.locator('main a[href*="/forum/c/"]').first.click()
        page.get_by_role("link", name="Start a topic").wait_for()
    with journey.step("write a new topic") as page:
        page.get_by_role("link", name="Start a topic").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Message", exact=True).fill(
            "We seized **converted alarm pistols** in a car at the crossing. Has anyone traced "
            "the conversion workshop for pistols of this make?"
        )
        page.get_by_role("button", name="Post the topic").click()
        page.get_by_text("Your topic was sent to the moderators").wait_for()
        page.get_by_role("heading", name=title, level=1).wait_for()
    topic_url = journey.page.url
    sign_out(journey)
    # A new member's first posts wait for a moderator (premoderation).
    sign_in(journey, MODERATOR)
    with journey.step("open the new topic in the review queue") as page:
        staff_tool(page, "Review queue")
        page.get_by_role("link", name=re.compile("Posts awaiting approval")).click()
        _topic_row_link(page, title).click()  # type: ignore[attr-defined]
        page.get_by_role("button", name="Approve").wait_for()
        assert "converted alarm pistols" in page.inner_text("main"), "the post text is missing"
    with journey.step("approve the topic") as page:
        page.get_by_role("button", name="Approve").click()
        page.wait_for_load_state()
        page.goto("/moderation/?kind=post")
        assert page.get_by_role("row").filter(has_text=title).count() == 0, "still waiting"
    sign_out(journey)
    sign_in(journey, reader)
    with journey.step("read the approved topic") as page:
        page.goto(topic_url)
        page.get_by_role("heading", name=title, level=1).wait_for()
        page.locator("strong", has_text="converted alarm pistols").first.wait_for()
    with journey.step("flag the post") as page:
        page.get_by_role("link", name=re.compile(r"^Flag")).first.click()
        page.get_by_role("heading", name=re.compile("Flag post")).wait_for()
        page.get_by_label("Sensitive operational information").check()
        page.get_by_label("Message to the moderators").fill("It may name a live case.")
        page.get_by_role("button", name="Send the flag").click()
        page.get_by_text("the moderators will look at this post").wait_for()
    sign_out(journey)
    sign_in(journey, MODERATOR)
    with journey.step("open the flag in the review queue") as page:
        staff_tool(page, "Review queue")
        page.get_by_role("link", name=re.compile("Flagged posts")).click()
        _topic_row_link(page, title).click()  # type: ignore[attr-defined]
        page.get_by_role("button", name="Hide").wait_for()
        assert "It may name a live case." in page.inner_text("main"), "the flag message is missing"
    with journey.step("hide the post") as page:
        page.get_by_label(re.compile("Reason")).fill("Names a live case.")
        page.get_by_role("button", name="Hide").click()
        page.wait_for_load_state()
    with journey.step("see the flag decided") as page:
        page.goto("/moderation/?kind=flag")
        assert page.get_by_role("row").filter(has_text=title).count() == 0, "flag still open"
    with site.app.app_context():
        reasons = db.session.scalars(
            select(AuditEntry.reason).where(AuditEntry.reason == "Names a live case.")
        ).all()
    assert reasons, "the hide is not in the audit log"
    sign_out(journey)
    sign_in(journey, reader)
    # The hidden post opened the topic: the topic stays, with a notice where the post was.
    with journey.step("see the opening post hidden from members") as page:
        page.goto(topic_url)
        page.get_by_text("This post was hidden by a moderator.").wait_for()
        assert "converted alarm pistols" not in page.inner_text("main"), "the post is still shown"
    journey.check_markup()
