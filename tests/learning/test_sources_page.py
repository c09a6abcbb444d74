"""The Sources page lists every cited document with its symbol, full title and date; lessons,
module introductions and glossary entries link each symbol they name to its entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.sources import DOCUMENTS, SOURCES, anchor, link_symbols
from tests.learning.factory import WORDS, LoadCourses, write_course


@pytest.fixture
def cited_course(app: Flask, load_courses: LoadCourses, tmp_path: Path) -> Flask:
    """A course whose first lesson cites two documents and names a third in its text."""
    root = tmp_path / "courses"
    folder = write_course(root, modules=1, lessons=2)
    module = folder / "01-basics-m1"
    (module / "01-lesson-1.md").write_text(
        "---\ntitle: Marking in practice\nminutes: 5\n"
        "sources: [A/RES/55/255, CTOC/COP/WG.6/2018/1]\n---\n"
        f"{WORDS}\n\nThe 2020 report (CTOC/COP/2020) describes the support; "
        "`CTOC/COP/2010` in code stays as it is, and so does "
        "[the Convention](/sources#a-res-55-25).\n",
        encoding="utf-8",
    )
    intro = (module / "module.md").read_text(encoding="utf-8")
    (module / "module.md").write_text(
        intro + "\nThe agenda CTOC/COP/WG.6/2020/1 sets the scene.\n", encoding="utf-8"
    )
    (root / "glossary.yaml").write_text(
        "- term: Marking\n  slug: marking\n  definition: >-\n    Unique marks on a firearm.\n"
        "  sources: [A/RES/55/255]\n",
        encoding="utf-8",
    )
    load_courses(root)
    return app


def _entry(html: str, symbol: str) -> str:
    match = re.search(
        rf'<section class="source-entry" id="{anchor(symbol)}".*?</section>', html, re.S
    )
    assert match, symbol
    return match.group(0)


def _linked(html: str, href: str, text: str) -> bool:
    return re.search(rf'<a href="{re.escape(href)}"[^>]*>{re.escape(text)}</a>', html) is not None


def test_the_sources_page_lists_each_document_with_symbol_title_and_date(
    client: FlaskClient,
) -> None:
    response = client.get("/sources")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<h1>Sources</h1>" in html
    for document in DOCUMENTS:
        entry = _entry(html, document.symbol)
        assert f">{document.symbol}</h2>" in entry
        assert document.title.replace("'", "&#39;") in entry
        assert f"<dt>Date</dt><dd>{document.date}</dd>" in entry
        assert f'href="#{anchor(document.symbol)}"' in html
    report = _entry(html, "CTOC/COP/WG.6/2018/1")
    assert "6 March 2018" in report and "target 16.4 of the Sustainable Development Goals" in report
    assert len({anchor(d.symbol) for d in DOCUMENTS}) == len(DOCUMENTS) == len(SOURCES)


def test_a_lesson_links_its_sources_and_the_symbols_in_its_text(
    cited_course: Flask, client: FlaskClient
) -> None:
    html = client.get("/modules/basics-m1/lessons/lesson-1").get_data(as_text=True)

    closing = html[html.index('<p class="sources">') :]
    assert '<a href="/sources">Sources</a>' in closing
    assert '<a href="/sources#a-res-55-255" title="Protocol against the Illicit' in closing
    assert '<a href="/sources#ctoc-cop-wg-6-2018-1"' in closing
    assert _linked(html, "/sources#ctoc-cop-2020", "CTOC/COP/2020")
    assert "<code>CTOC/COP/2010</code>" in html
    assert _linked(html, "/sources#a-res-55-25", "the Convention")


def test_a_module_introduction_links_the_symbols_it_names(
    cited_course: Flask, client: FlaskClient
) -> None:
    html = client.get("/modules/basics-m1").get_data(as_text=True)

    assert _linked(html, "/sources#ctoc-cop-wg-6-2020-1", "CTOC/COP/WG.6/2020/1")


def test_each_entry_lists_the_lessons_and_glossary_terms_that_cite_it(
    cited_course: Flask, client: FlaskClient
) -> None:
    html = client.get("/sources").get_data(as_text=True)

    protocol = _entry(html, "A/RES/55/255")
    assert "Cited in 1 lesson" in protocol
    assert 'href="/modules/basics-m1/lessons/lesson-1">Marking in practice</a>' in protocol
    assert 'href="/glossary#marking">Marking</a>' in protocol
    assert "Cited in" not in _entry(html, "ATT-2013")
    glossary = client.get("/glossary").get_data(as_text=True)
    assert 'href="/sources#a-res-55-255"' in glossary


def test_the_footer_links_the_sources_page(client: FlaskClient) -> None:
    html = client.get("/courses").get_data(as_text=True)

    footer = html[html.index('<footer class="site-footer">') :]
    assert 'href="/sources">Sources</a>' in footer


def test_symbols_are_linked_whole_and_only_outside_code_and_links() -> None:
    text = (
        "A/RES/55/255 and A/RES/55/25; CTOC/COP/2020/1 is another document; "
        "`ITI-2005` [ATT-2013](/elsewhere) [see](/sources#att-2013) ITI-2005."
    )

    assert link_symbols(text) == (
        "[A/RES/55/255](/sources#a-res-55-255) and [A/RES/55/25](/sources#a-res-55-25); "
        "CTOC/COP/2020/1 is another document; "
        "`ITI-2005` [ATT-2013](/elsewhere) [see](/sources#att-2013) "
        "[ITI-2005](/sources#iti-2005)."
    )


def test_every_symbol_a_lesson_cites_has_an_entry() -> None:
    root = Path(__file__).resolve().parents[2] / "courses"
    cited = set()
    for path in root.rglob("*.md"):
        match = re.search(r"^sources: \[(.*)\]$", path.read_text(encoding="utf-8"), re.M)
        if match:
            cited |= {s.strip() for s in match.group(1).split(",") if s.strip()}

    assert cited and cited <= set(SOURCES)
