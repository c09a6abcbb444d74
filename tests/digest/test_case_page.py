"""The case page: label, structured summary, sections, modules, related cases, citation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from app.search import enqueue, searchers
from tests.digest.factory import MakeCases, summary
from tests.forum.factory import MakeTopic
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]


@pytest.fixture
def cases(tmp_path: Path, make_cases: MakeCases, make_course: MakeCourse) -> Iterator[Path]:
    make_course()
    make_cases({
        "alarm-pistols": {"modules": "[basics-m1, basics-m2]"},
        "real-operation": {
            "title": '"Regional operation against trafficking"', "kind": "operation",
            "court": '""', "court_level": "none", "illustrative": "false",
            "decision_year": None, "decision_date": "2019-11-17", "outcome": "operation-results",
            "sections": summary("An operation seized converted pistols at border crossings."),
        },
        "appeal-case": {"court": '"Court of Appeal"', "court_level": "appeal",
                        "illustrative": "false", "decision_year": None,
                        "decision_date": "2018-03-01"},
    })  # fmt: skip
    yield tmp_path / "cases"
    searchers.close_all()


def test_an_illustrative_case_is_labelled_and_summarised(cases: Path, client: FlaskClient) -> None:
    html = client.get("/cases/alarm-pistols").get_data(as_text=True)
    assert '<span class="tag">Illustrative case</span>' in html
    assert "It is not a real, citable case." in html
    facts = dict(re.findall(r"<dt>([^<]+)</dt>\s*<dd>(.*?)</dd>", html, re.S))
    assert facts["Country"] == "Portugal"
    assert facts["Court"] == "First-instance criminal court"
    assert facts["Year of decision"] == "2019" and "Decision date" not in facts
    assert facts["Outcome"] == "Conviction"
    assert facts["Articles"] == "Firearms Protocol art. 5, 9; Organized Crime Convention art. 5"
    assert facts["Modus operandi"] == (
        "Conversion of alarm and blank-firing weapons, Postal and courier shipments"
    )
    assert facts["Seized"] == "40 firearms, 2,000 rounds of ammunition"
    assert facts["Route"] == "from Türkiye; through Bulgaria; to Portugal"
    assert "Organiser: 7 years&#39; imprisonment" in facts["Sentences"]


def test_a_real_case_has_no_illustrative_label(cases: Path, client: FlaskClient) -> None:
    html = client.get("/cases/real-operation").get_data(as_text=True)
    assert "Illustrative case" not in html.split('id="related"', 1)[0]  # related ones may be
    assert "<dt>Type</dt>\n      <dd>Operation</dd>" in html
    assert "<dt>Court</dt>" not in html
    assert (
        '<dt>Ended</dt>\n      <dd><time datetime="2019-11-17">17 November 2019</time></dd>' in html
    )
    assert "Cite this digest" in html and "Not citable" not in html


def test_the_body_sections_come_in_order(cases: Path, client: FlaskClient) -> None:
    html = client.get("/cases/alarm-pistols").get_data(as_text=True)
    headings = re.findall(r'<h2 id="[a-z-]+">([^<]+)</h2>', html)
    body = ["Summary", "Facts", "Investigation", "Prosecution and decision", "Commentary",
            "Good practices", "Sources"]  # fmt: skip
    assert headings[1:8] == body
    assert "<li>Trace the converted pistols" in html


def test_linked_modules_citation_and_permalink(cases: Path, client: FlaskClient) -> None:
    html = client.get("/cases/alarm-pistols").get_data(as_text=True)
    modules = html.split('id="modules"', 1)[1].split("</section>", 1)[0]
    assert 'href="/modules/basics-m1">Module 1</a>' in modules
    assert 'href="/modules/basics-m2">Module 2</a>' in modules
    assert (
        "“Converted alarm pistols sold through a parcel network”, illustrative case (training "
        "material, not a citable judgment), Portugal, 2019, case digest, Firearms "
        "Practitioners&#39; Platform. http://localhost/cases/alarm-pistols"
    ) in html
    cite = html.split('id="cite"', 1)[1].split("</section>", 1)[0]
    assert "Referring to this illustrative case" in cite
    assert "Not citable: an illustrative composite written to teach" in cite
    assert 'rel="bookmark">http://localhost/cases/alarm-pistols</a>' in html


def test_related_cases_share_text_and_a_modus_operandi(cases: Path, client: FlaskClient) -> None:
    html = client.get("/cases/alarm-pistols").get_data(as_text=True)
    related = html.split('id="related"', 1)[1].split("</section>", 1)[0]
    assert 'href="/cases/real-operation"' in related
    assert (
        "same modus operandi: conversion of alarm and blank-firing weapons, "
        "postal and courier shipments"
    ) in related
    assert 'href="/cases/alarm-pistols"' not in related


def test_the_case_page_and_search_run_a_fixed_number_of_queries(
    cases: Path, client: FlaskClient, count_queries: Callable[[], Any], make_cases: MakeCases
) -> None:
    def measure() -> tuple[int, int]:
        with count_queries() as page:
            assert client.get("/cases/alarm-pistols").status_code == 200
        with count_queries() as search:
            assert client.get("/cases?q=pistols").status_code == 200
        return page.count, search.count

    before = measure()
    make_cases({f"more-{n}": {} for n in range(12)})
    assert measure() == before


def test_the_court_level_is_not_repeated(cases: Path, client: FlaskClient) -> None:
    html = client.get("/cases/appeal-case").get_data(as_text=True)
    assert "<dt>Court</dt>\n      <dd>Court of Appeal</dd>" in html


def test_forum_topics_that_cite_the_case_are_listed_for_practitioners(
    cases: Path, client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner")
    make_topic(author, title="Converted alarm pistols at our border",
               body="Compare [[case:alarm-pistols]] with what we saw.")  # fmt: skip
    page = client.get("/cases/alarm-pistols").get_data(as_text=True)
    assert "Discussed in" not in page  # the forum is for practitioners only
    login("practitioner")
    page = client.get("/cases/alarm-pistols").get_data(as_text=True)
    discussed = page.split('id="discussed"', 1)[1].split("</section>", 1)[0]
    assert "Converted alarm pistols at our border" in discussed


def test_related_cases_with_equal_scores_come_in_slug_order(
    app: Flask, cases: Path, client: FlaskClient, make_cases: MakeCases
) -> None:
    # appeal-case, twin-a and twin-b have the same text: equal scores. Reindexing appeal-case
    # moves it to the end of the index; the page order must not depend on that history.
    make_cases({"twin-a": {}, "twin-b": {}})
    with app.app_context():
        enqueue("cases", "appeal-case")
        db.commit()
    html = client.get("/cases/alarm-pistols").get_data(as_text=True)
    related = html.split('id="related"', 1)[1].split("</section>", 1)[0]
    order = re.findall(r'href="/cases/([a-z-]+)"', related)
    assert order == ["appeal-case", "twin-a", "twin-b", "real-operation"]
