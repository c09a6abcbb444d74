"""Every page runs the same number of SQL statements with N rows and with 10 x N rows (issue 15).

One world is built at N (courses, modules, lessons, glossary terms, cases citing cases and
modules, categories, topics, posts, enrolments), every page is fetched twice (the first fetch
may write a first-visit row) and the second fetch's statements are counted; then the world
grows to 10 x N and the counts are taken again. The counts must match page by page, and stay at
or under the aim of issue 15; the second fetch of a page writes nothing (nothing changed). Each
page is counted twice: rendered (its kept copy dropped first) and served from the copy kept by
that rendering, which must be the same HTML for one statement.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.http_cache import forget_pages
from app.learning.models import Course
from app.learning.services import progress
from app.search import searchers
from tests.conftest import CSRF_FIELD, ClientFor
from tests.digest.factory import SECTIONS, LoadCaseFiles, write_case
from tests.forum.factory import MakeCategory, MakeReply, MakeTopic
from tests.learning.factory import LoadCourses, write_course

User_ = Callable[..., User]
N = 2
WRITES = ("INSERT", "UPDATE", "DELETE")
AIM = 6
# Pages above the aim (each is still constant in the row counts). A signed-in page starts with
# the sign-in check (the unread-notification count comes with it); a learning page then reads
# the course, its modules and lessons (one query each) and the learner's enrolment, attempts and
# reads.
ALLOWED = {
    "catalogue (signed in)": 7,
    "course page": 7,
    # + the learner's answers to the lessons' check-yourself blocks and scenarios (one query).
    "module page": 9,
    "lesson (signed in)": 10,
    "category page": 7,
    # + the reader's own likes on the page and the most-liked replies (issue 17's reading tools).
    "topic page": 9,
    "dashboard": 8,
}


def _without_tokens(html: str) -> str:
    """The page without its CSRF tokens (signed with the time, so they differ by the second)."""
    return CSRF_FIELD.sub("", html)


def _count(client: FlaskClient, name: str, url: str, count: Any) -> tuple[int, str]:
    with count() as counter:
        response = client.get(url)
    assert response.status_code == 200, (name, url)
    writes = [q for q in counter.statements if q.lstrip().upper().startswith(WRITES)]
    assert writes == [], f"{name}: a GET that changes nothing wrote"
    if os.environ.get("SHOW_QUERIES") in (name, "all"):
        print(f"== {name}", *counter.statements, sep="\n-- ")
    return counter.count, response.get_data(as_text=True)


def _counts(
    app: Flask, clients: dict[str, FlaskClient], pages: dict[str, tuple[str, str]], count: Any
) -> dict[str, tuple[int, int]]:
    """{page: (statements rendering it, statements serving the kept copy)}."""
    counts = {}
    for name, (who, url) in pages.items():
        client = clients[who]
        assert client.get(url).status_code == 200, (name, url)
        with app.app_context():
            forget_pages()  # the copy kept by the first fetch: measure the rendering
        rendered, html = _count(client, name, url, count)
        kept, kept_html = _count(client, name, url, count)
        same = _without_tokens(kept_html) == _without_tokens(html)
        assert same, f"{name}: the kept copy differs from the page rendered"
        counts[name] = (rendered, kept)
    return counts


def _glossary(root: Path, terms: int) -> None:
    entries = [
        {
            "term": f"Term {n:03d}",
            "slug": f"term-{n}",
            "definition": f"What term {n} means, in a few words of our own.",
            "see": [f"term-{(n + 1) % terms}"] if terms > 1 else [],
        }
        for n in range(terms)
    ]
    (root / "glossary.yaml").write_text(yaml.safe_dump(entries), encoding="utf-8")


def _build(
    app: Flask,
    root: Path,
    scale: int,
    load_courses: LoadCourses,
    load_case_files: LoadCaseFiles,
) -> None:
    """Courses, glossary and cases at `scale` (files rewritten, then loaded again)."""
    courses = root / "courses"
    for n in range(scale):
        write_course(courses, slug="basics" if n == 0 else f"extra{n}", modules=scale,
                     lessons=scale, chained=False)  # fmt: skip
    cites = " ".join(f"[[case:case-{n}]] [[module:basics-m{n + 1}]]" for n in range(scale))
    for lesson in (courses / "basics").glob("*/*-lesson-*.md"):
        lesson.write_text(lesson.read_text(encoding="utf-8") + f"\nSee {cites}.\n", "utf-8")
    module = courses / "basics" / "01-basics-m1" / "module.md"
    module.write_text(module.read_text(encoding="utf-8") + f"\nSee {cites}.\n", "utf-8")
    _glossary(courses, scale * 5)
    load_courses(courses)
    cases = root / "cases"
    modules = "[" + ", ".join(f"basics-m{n + 1}" for n in range(scale)) + "]"
    for n in range(scale):
        sections = {**SECTIONS, "Commentary": f"Converted pistols. See {cites}."}
        write_case(cases, f"case-{n}", sections, modules=modules,
                   title=f'"Converted pistols case {n}"')  # fmt: skip
    load_case_files(cases)


def _forum(
    app: Flask,
    scale: int,
    start: int,
    make_user: User_,
    make_category: MakeCategory,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    """Categories and topics from `start` to `scale`; the first topic gets 10 x scale posts."""
    for n in range(start, scale):
        slug = "general" if n == 0 else f"cat{n}"
        if n > 0:
            make_category(name=f"Category {n}", slug=slug)
        for t in range(scale):
            author = make_user("practitioner")
            body = "See [[case:case-0]] and [[module:basics-m1]]."
            topic, first = make_topic(author, slug=slug, title=f"Topic {n}.{t}", body=body)
            if n == 0 and t == 0:
                for r in range(1, 10 * scale):
                    body = f"Reply {r}: see [[case:case-{r % scale}]]."
                    make_reply(make_user("practitioner"), topic, body=body, reply_to=first)


def _enrol(app: Flask, user: User) -> None:
    with app.app_context():
        for course in db.session.scalars(select(Course)):
            progress.enrol(user.id, course)
        db.commit()


def test_every_page_runs_as_many_statements_at_n_and_at_ten_n(
    app: Flask,
    tmp_path: Path,
    client: FlaskClient,
    client_for: ClientFor,
    make_user: User_,
    count_queries: Callable[[], Any],
    load_courses: LoadCourses,
    load_case_files: LoadCaseFiles,
    make_category: MakeCategory,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    trainee = make_user("trainee")
    practitioner = make_user("practitioner")
    clients = {
        "visitor": client,
        "trainee": client_for(trainee),
        "practitioner": client_for(practitioner),
    }
    pages = {
        "home": ("visitor", "/"),
        "catalogue": ("visitor", "/courses"),
        "catalogue (signed in)": ("trainee", "/courses"),
        "course page": ("trainee", "/courses/basics"),
        "module page": ("trainee", "/modules/basics-m1"),
        "lesson (visitor)": ("visitor", "/modules/basics-m1/lessons/lesson-1"),
        "lesson (signed in)": ("trainee", "/modules/basics-m1/lessons/lesson-1"),
        "digest search": ("practitioner", "/cases?q=pistols"),
        "case page": ("practitioner", "/cases/case-0"),
        "case page (visitor)": ("visitor", "/cases/case-0"),
        "forum index": ("practitioner", "/forum/"),
        "category page": ("practitioner", "/forum/c/general"),
        "topic page": ("practitioner", "/forum/t/1"),
        "dashboard": ("trainee", "/dashboard"),
        "glossary": ("visitor", "/glossary"),
    }
    forum = (make_user, make_category, make_topic, make_reply)

    _build(app, tmp_path, N, load_courses, load_case_files)
    _forum(app, N, 0, *forum)
    _enrol(app, trainee)
    few = _counts(app, clients, pages, count_queries)

    _build(app, tmp_path, 10 * N, load_courses, load_case_files)
    _forum(app, 10 * N, N, *forum)
    _enrol(app, trainee)
    many = _counts(app, clients, pages, count_queries)

    table = "\n".join(f"{name:24} {few[name]} {many[name]}" for name in pages)
    assert many == few, f"page, statements (rendered, kept) at N and at 10 x N:\n{table}"
    over = {name: n for name, (n, _) in many.items() if n > ALLOWED.get(name, AIM)}
    assert over == {}, f"page, statements (rendered, kept) at N and at 10 x N:\n{table}"
    # A kept page costs the sign-in check (member, unread count, state, generation in one
    # statement) or, for a visitor, the generation: one statement, whatever the page.
    kept = {name: k for name, (_, k) in many.items() if k != 1}
    assert kept == {}, f"page, statements (rendered, kept) at N and at 10 x N:\n{table}"
    searchers.close_all()
