"""`[[kind:slug]]` references: a link when the viewer may open the target, else neutral words.

An unresolved reference used to render as `<code>case:slug</code>`, which showed the slug of a
restricted case (slugs say what a case is about) to someone who may not open it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.core.markdown import register_reference, render_markdown

VISIBLE = {"open-case": ("/cases/open-case", "Pistols in a camper van")}


@pytest.fixture(autouse=True)
def case_resolver() -> Iterator[None]:
    """An app whose resolver knows one visible case; every other slug is hidden or missing."""
    app = Flask(__name__)
    register_reference(app, "case", VISIBLE.get)
    with app.app_context():
        yield


def test_a_reference_the_viewer_may_open_is_a_link_with_its_title() -> None:
    html = str(render_markdown("See [[case:open-case]]."))
    assert '<a href="/cases/open-case" rel="noopener noreferrer nofollow">' in html
    assert "Pistols in a camper van</a>" in html


def test_a_hidden_case_reference_shows_neither_its_slug_nor_its_kind_and_slug_pair() -> None:
    html = str(render_markdown("Compare [[case:broker-north-harbour-2023]] with this one."))
    assert "broker-north-harbour-2023" not in html
    assert "north-harbour" not in html
    assert "<code>" not in html
    assert html == "<p>Compare <em>case reference (not available)</em> with this one.</p>"


def test_a_missing_and_a_hidden_reference_read_the_same() -> None:
    missing = str(render_markdown("[[case:no-such-case]]"))
    hidden = str(render_markdown("[[case:restricted-case]]"))
    assert missing == hidden == "<p><em>case reference (not available)</em></p>"


def test_a_reference_of_a_kind_nobody_resolves_hides_its_slug_too() -> None:
    html = str(render_markdown("[[report:internal-report-7]]"))
    assert "internal-report-7" not in html
    assert "report reference (not available)" in html
