"""Ready for Arabic (issue 19): the main pages in the right-to-left pseudo-locale (the `lang`
cookie ar-XB, app/core/i18n.py), at 360 and 1280 px: `<html dir="rtl">`, no sideways scrolling,
no two pieces of text on top of each other in the header or among the main headings and buttons,
and no serious or critical axe-core violation. Screenshots go to test-artifacts/rtl-layout/."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from app.core.i18n import PSEUDO_RTL
from tests.browser.harness import (
    ARTIFACTS,
    AXE,
    AXE_RUN,
    DESKTOP,
    PHONE_WIDTH,
    TIMEOUT_MS,
    Site,
)

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "catalogue": "/courses",
    "module": "/modules/recognising-trafficking",
    "cases": "/cases",
    "sign-in": "/sign-in",
}
WIDTHS = [PHONE_WIDTH, DESKTOP["width"]]
# Text a reader sees in the header, and the main part's headings and buttons.
TEXT = (
    "header a, header button, header summary, header label, header input, "
    "main h1, main h2, main h3, main button, main .button, main input[type=submit]"
)
# Pairs of visible elements (neither inside the other; a closed menu's links are not visible)
# whose line boxes overlap by more than 2 px each way; an element's boxes are its lines
# (getClientRects), so a link on two lines is not one big rectangle.
OVERLAPS = """(selector) => {
    const seen = [...document.querySelectorAll(selector)].filter(el => {
        // checkVisibility: not in a closed <details> (content-visibility), not hidden.
        return el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})
            && (el.textContent.trim() || el.value)
            && [...el.getClientRects()].some(r => r.width > 1 && r.height > 1);
    });
    const name = el => `${el.tagName.toLowerCase()} "${(el.textContent.trim() || el.value)
        .replace(/[\\u202a-\\u202e]/g, "").slice(0, 30)}"`;
    const found = [];
    for (let i = 0; i < seen.length; i++) {
        for (let j = i + 1; j < seen.length; j++) {
            const a = seen[i], b = seen[j];
            if (a.contains(b) || b.contains(a)) continue;
            const hit = [...a.getClientRects()].some(r => [...b.getClientRects()].some(s =>
                Math.min(r.right, s.right) - Math.max(r.left, s.left) > 2
                && Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 2));
            if (hit) found.push(`${name(a)} overlaps ${name(b)}`);
        }
    }
    return found;
}"""


@pytest.fixture
def rtl_page(browser: Any, site: Site) -> Iterator[Any]:
    """A page in the pseudo-locale, with JavaScript (axe), CSP bypassed to inject axe."""
    context = browser.new_context(base_url=site.url, viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "lang", "value": PSEUDO_RTL, "url": site.url}])
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def artifacts() -> Any:
    folder = ARTIFACTS / "rtl-layout"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_lays_out_right_to_left(
    rtl_page: Any, artifacts: Any, name: str, width: int
) -> None:
    page = rtl_page
    page.set_viewport_size({"width": width, "height": DESKTOP["height"]})
    response = page.goto(PAGES[name])
    assert response is not None and response.status == 200, f"{name}: HTTP {response}"
    page.screenshot(path=str(artifacts / f"{name}-{width}px.png"), full_page=True)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    # The interface's strings are written right to left (at least the footer's button).
    assert re.search("\u202e[^\u202c]+\u202c", page.content())
    scrolled = page.evaluate("document.scrollingElement.scrollWidth")
    assert scrolled <= width, f"{name}: {scrolled} px wide at a {width} px screen"
    assert page.evaluate(OVERLAPS, TEXT) == [], f"{name} at {width} px"
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(AXE_RUN)
    assert violations == [], f"{name} at {width} px, axe-core: " + "; ".join(violations)
