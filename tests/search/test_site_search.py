"""The header's search box (/search): every kind the reader may see, grouped, with counts; the
restricted cases, the forum and the library only for practitioners and above."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import GoodPracticeNomination
from app.search import searchers
from tests.conftest import ClientFor
from tests.digest.factory import SECTIONS, MakeCases
from tests.forum.factory import MakeThread
from tests.learning.factory import WORDS as LESSON_TEXT
from tests.learning.factory import LoadCourses, write_course
from tests.search.backends import search_backend  # noqa: F401  (both backends)

User_ = Callable[..., User]

# One word every kind shares, and one word of each kind alone.
SHARED = "quokka"
WORDS = {
    "lessons": "marmoset",  # a lesson's body
    "module": "ocelot",  # a module's introduction
    "glossary": "pangolin",
    "public_case": "axolotl",
    "restricted_case": "narwhal",
    "posts": "wombat",
    "library": "capybara",
}
TITLES = {
    "lesson": "Lesson 1.2",
    "module": "Module 1",
    "glossary": "Pangolin routes",
    "public_case": "Quokka parcels from the port",
    "restricted_case": "Quokka informant network",
    "posts": "Quokka tracing request",
    "library": "Quokka manifest checks",
}
GLOSSARY = f"""\
- term: {TITLES["glossary"]}
  slug: pangolin-routes
  definition: >-
    A made-up term for tests: routes that {WORDS["glossary"]} smugglers and {SHARED} couriers
    share, described at some length so that the definition reads like the others in the
    glossary and gives the search index enough words to rank it among the lessons and cases.
"""


def _write_courses(root: Path) -> None:
    folder = write_course(root, modules=1, lessons=2, chained=False)
    module = folder / "01-basics-m1" / "module.md"
    module.write_text(
        module.read_text(encoding="utf-8")
        + f"\nThe {WORDS['module']} introduction speaks of {SHARED} too.\n",
        encoding="utf-8",
    )
    lesson = folder / "01-basics-m1" / "02-lesson-2.md"
    lesson.write_text(
        f"---\ntitle: {TITLES['lesson']}\nminutes: 5\n---\n"
        f"Traffickers hide parts in {WORDS['lessons']} crates with {SHARED} labels. "
        f"{LESSON_TEXT}\n",
        encoding="utf-8",
    )
    (root / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")


def _case(title: str, word: str, restricted: bool) -> dict[str, object]:
    return {
        "title": f'"{title}"',
        "restricted": "true" if restricted else "false",
        "modules": "[]",
        "sections": {**SECTIONS, "Summary": f"A {word} shipment and a {SHARED} courier."},
    }


@pytest.fixture
def world(
    app: Flask,
    tmp_path: Path,
    load_courses: LoadCourses,
    make_cases: MakeCases,
    make_thread: MakeThread,
    make_user: User_,
    client_for: ClientFor,
) -> Iterator[Flask]:
    """A lesson, a module, a glossary term, a public and a restricted case, a forum thread and
    a library entry, each with its own word and all with SHARED."""
    _write_courses(tmp_path / "courses")
    load_courses(tmp_path / "courses")
    make_cases({
        "public-quokka": _case(TITLES["public_case"], WORDS["public_case"], restricted=False),
        "restricted-quokka": _case(TITLES["restricted_case"], WORDS["restricted_case"],
                                   restricted=True),
    })  # fmt: skip
    _, reply_id, _ = make_thread(
        "Tracer", "Thanks, we will compare the records.", title=TITLES["posts"],
        body=f"We traced a {WORDS['posts']} consignment with {SHARED} markings.",
    )  # fmt: skip
    moderator = client_for(make_user("moderator"))
    nominator = client_for(make_user("practitioner"))  # the two-person rule: not the promoter
    nominated = nominator.post(f"/forum/p/{reply_id}/nominate", data={"note": "Worth keeping"})
    assert nominated.status_code == 302
    with app.app_context():
        nomination_id = db.session.scalar(select(GoodPracticeNomination.id))
    promoted = moderator.post(
        f"/forum/library/promote/{nomination_id}",
        data={"title": TITLES["library"], "tags": "records",
              "summary": f"Compare {WORDS['library']} manifests and {SHARED} declarations."},
    )  # fmt: skip
    assert promoted.status_code == 302
    yield app
    searchers.close_all()


def _reader(role: str, make_user: User_, client: FlaskClient, client_for: ClientFor) -> FlaskClient:
    return client if role == "anonymous" else client_for(make_user(role))


def _count(page: str, label: str) -> int | None:
    """The count beside a kind's heading, None when the kind is not on the page."""
    match = re.search(rf'{label} <span class="muted">\((\d+)\)</span></h2>', page)
    return int(match.group(1)) if match else None


@pytest.mark.parametrize("role", ["anonymous", "trainee"])
def test_below_practitioner_no_restricted_case_forum_post_or_library_entry(
    world: Flask, role: str, make_user: User_, client: FlaskClient, client_for: ClientFor
) -> None:
    reader = _reader(role, make_user, client, client_for)
    response = reader.get(f"/search?q={SHARED}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert TITLES["public_case"] in page
    for hidden in ("restricted_case", "posts", "library"):
        assert TITLES[hidden] not in page
    assert "Forum posts" not in page and "Good practices" not in page
    assert _count(page, "Cases") == 1
    # A visitor may open the module page but not its second lesson (sign in first).
    lessons = 1 if role == "anonymous" else 2
    assert _count(page, "Lessons and modules") == lessons
    assert (TITLES["lesson"] in page) is (role != "anonymous")
    assert _count(page, "Glossary terms") == 1
    assert f"<strong>{2 + lessons}</strong> results" in page
    # Asking for the forum kind by name finds nothing either.
    refused = reader.get(f"/search?q={SHARED}&kind=posts")
    assert refused.status_code == 400 and TITLES["posts"] not in refused.get_data(as_text=True)
    # Nor does a restricted case's own word reveal that it exists.
    assert _count(reader.get(f"/search?q={WORDS['restricted_case']}").get_data(as_text=True),
                  "Cases") == 0  # fmt: skip


@pytest.mark.parametrize("role", ["practitioner", "admin"])
def test_practitioners_find_restricted_cases_forum_posts_and_library(
    world: Flask, role: str, make_user: User_, client: FlaskClient, client_for: ClientFor
) -> None:
    page = _reader(role, make_user, client, client_for).get(f"/search?q={SHARED}")
    text = page.get_data(as_text=True)
    for kind in ("public_case", "restricted_case", "posts", "library", "lesson", "module"):
        assert TITLES[kind] in text
    assert _count(text, "Cases") == 2
    assert _count(text, "Forum posts") == 1
    assert _count(text, "Good practices") == 1
    assert "<strong>7</strong> results" in text
    assert "Practitioners only" in text and "Illustrative case" in text
    # Each kind links to its own full search.
    assert f'href="/cases?q={SHARED}"' in text
    assert f'href="/forum/search?q={SHARED}"' in text
    assert f'href="/forum/library?q={SHARED}"' in text


@pytest.mark.parametrize(
    ("word", "label", "title"),
    [
        (WORDS["lessons"], "Lessons and modules", TITLES["lesson"]),
        (WORDS["module"], "Lessons and modules", TITLES["module"]),
        (WORDS["glossary"], "Glossary terms", TITLES["glossary"]),
        (WORDS["public_case"], "Cases", TITLES["public_case"]),
        (WORDS["restricted_case"], "Cases", TITLES["restricted_case"]),
        (WORDS["posts"], "Forum posts", TITLES["posts"]),
        (WORDS["library"], "Good practices", TITLES["library"]),
    ],
)
def test_each_kind_is_found_by_a_word_of_its_own(
    world: Flask, make_user: User_, client_for: ClientFor, word: str, label: str, title: str
) -> None:
    page = client_for(make_user("practitioner")).get(f"/search?q={word}").get_data(as_text=True)
    assert title in page
    assert _count(page, label) == 1
    kinds = ("Lessons and modules", "Glossary terms", "Cases", "Forum posts", "Good practices")
    assert all(_count(page, other) == 0 for other in kinds if other != label)


def test_links_lead_to_the_lesson_module_and_glossary_entry(
    world: Flask, make_user: User_, client_for: ClientFor
) -> None:
    page = client_for(make_user("trainee")).get(f"/search?q={SHARED}").get_data(as_text=True)
    assert 'href="/modules/basics-m1/lessons/lesson-2"' in page
    assert 'href="/modules/basics-m1"' in page
    assert 'href="/glossary#pangolin-routes"' in page
    assert 'href="/cases/public-quokka"' in page


def test_one_kind_listed_in_full_with_its_total_and_pages(
    world: Flask, make_user: User_, client_for: ClientFor
) -> None:
    client = client_for(make_user("trainee"))
    listed = client.get(f"/search?q={SHARED}&kind=lessons")
    page = listed.get_data(as_text=True)
    assert listed.status_code == 200
    assert "2 results." in page and TITLES["lesson"] in page and TITLES["public_case"] not in page
    beyond = client.get(f"/search?q={SHARED}&kind=lessons&page=7")
    assert beyond.status_code == 404
    assert "There is no page 7: these results end on page 1." in beyond.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 400, "Type one or more words to search the site."),
        ("%20%09%20", 400, "Type one or more words to search the site."),
        ("x" * 201, 400, "The search text is too long (201 characters). Use at most 200"),
        ("&kind=nothing-like-this", 400, "There is no such kind of result to search"),
        ("the+of+and", 400, "Nothing to search for: type one or more words"),
    ],
)
def test_bad_input_gets_a_clear_message_and_a_4xx(
    world: Flask, client: FlaskClient, query: str, status: int, message: str
) -> None:
    response = client.get(f"/search?q={query}")
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ['"unbalanced (', "country:", "AND OR NOT", "*", "-quokka", "a:b:c ((", "\x00\u202e"]
)
def test_odd_syntax_never_fails(world: Flask, client: FlaskClient, query: str) -> None:
    response = client.get("/search", query_string={"q": query})
    assert response.status_code in (200, 400)
    assert "Search the site" in response.get_data(as_text=True)


def test_every_page_has_the_header_search_box(world: Flask, client: FlaskClient) -> None:
    page = client.get("/courses").get_data(as_text=True)
    assert 'action="/search"' in page and 'for="header-q"' in page
    opened = client.get("/search")
    assert opened.status_code == 200
    assert "Type one or more words" not in opened.get_data(as_text=True)


def test_lessons_of_a_locked_module_are_found_only_as_its_preview(
    app: Flask,
    tmp_path: Path,
    load_courses: LoadCourses,
    make_user: User_,
    client: FlaskClient,
    client_for: ClientFor,
) -> None:
    """Module 2 is locked until module 1 is passed: its first lesson is a preview for everyone,
    its second lesson is found by nobody who may not open it."""
    folder = write_course(tmp_path / "courses", slug="chain", modules=2, lessons=2, chained=True)
    for number in (1, 2):
        lesson = folder / "02-chain-m2" / f"{number:02d}-lesson-{number}.md"
        lesson.write_text(
            f"---\ntitle: Locked lesson {number}\nminutes: 5\n---\nGecko parcels. {LESSON_TEXT}\n",
            encoding="utf-8",
        )
    load_courses(tmp_path / "courses")
    try:
        for reader in (client, client_for(make_user("trainee")), client_for(make_user("admin"))):
            page = reader.get("/search?q=gecko").get_data(as_text=True)
            assert _count(page, "Lessons and modules") == 1
            assert "Locked lesson 1" in page and "Locked lesson 2" not in page
            opened = reader.get("/modules/chain-m2/lessons/lesson-2")
            assert opened.status_code in (302, 403)  # the page refuses it as the search does
    finally:
        searchers.close_all()
