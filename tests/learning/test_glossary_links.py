"""Every glossary term is linked from at least one lesson, so a learner meets each definition
where the term is used (issue 14); the few exceptions say why."""

from __future__ import annotations

from pathlib import Path

from app.learning.files import GLOSSARY_LINK_RE, read_curriculum

COURSES = Path(__file__).resolve().parents[2] / "courses"

# Terms no lesson uses, with the reason they are in the glossary all the same.
NOT_IN_ANY_LESSON = {
    "gunsmith": (
        "no lesson uses the word; the term serves the case digests on unlicensed gunsmiths "
        "(cases/philippines-unlicensed-gunsmiths-ferry-shipments.md and others)"
    ),
}


def _linked_terms() -> tuple[set[str], set[str]]:
    curriculum = read_curriculum(COURSES)
    assert curriculum.problems == []
    terms = {term["slug"] for term in curriculum.glossary}
    linked = {
        anchor
        for course in curriculum.courses
        for module in course.modules
        for lesson in module.lessons
        for anchor in GLOSSARY_LINK_RE.findall(lesson.body)
    }
    return terms, linked


def test_every_glossary_term_is_linked_from_a_lesson() -> None:
    terms, linked = _linked_terms()

    unlinked = sorted(terms - linked - set(NOT_IN_ANY_LESSON))

    assert unlinked == [], f"glossary terms no lesson links to: {unlinked}"


def test_each_exception_is_a_glossary_term_that_is_still_unlinked() -> None:
    terms, linked = _linked_terms()

    for slug, reason in NOT_IN_ANY_LESSON.items():
        assert slug in terms and reason
        assert slug not in linked, f"'{slug}' is linked now: remove it from the exceptions"
