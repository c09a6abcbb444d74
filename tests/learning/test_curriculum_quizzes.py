"""Every quiz of the real curriculum can be passed with the right answers and failed without."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from app.accounts.models import User
from app.core.db import db
from app.learning.gift import Question
from app.learning.grading import matching_choices, matching_stems
from app.learning.models import Module
from app.learning.services import attempts
from tests.learning.factory import LoadCourses

COURSES = Path(__file__).resolve().parents[2] / "courses"


def _right(question: Question, position: int) -> dict[str, list[str]]:
    name = f"q{position}"
    qtype = question.type
    if qtype == "multichoice":
        best = max(range(len(question.choices)), key=lambda i: question.choices[i].fraction)
        return {name: [str(best)]}
    if qtype == "multiresponse":
        return {name: [str(i) for i, c in enumerate(question.choices) if c.fraction > 0]}
    if qtype == "truefalse":
        return {name: ["true" if question.truefalse.correct else "false"]}
    if qtype == "shortanswer":
        text = next(c.text for c in question.choices if c.fraction == 1)
        return {name: [text.replace("*", "x")]}
    if qtype == "numerical":
        answer = next(a for a in question.numerical_answers if a.fraction == 1)
        value = (
            answer.value
            if answer.value is not None
            else ((answer.min or 0) + (answer.max or 0)) / 2
        )
        return {name: [repr(value)]}
    if qtype == "matching":
        choices = matching_choices(question)
        return {f"{name}-{i}": [str(choices.index(stem.answer))]
                for i, stem in enumerate(matching_stems(question))}  # fmt: skip
    return {name: ["Practice answer."]} if qtype == "essay" else {}


def _wrong(question: Question, position: int) -> dict[str, list[str]]:
    name = f"q{position}"
    qtype = question.type
    if qtype == "multichoice":
        worst = min(range(len(question.choices)), key=lambda i: question.choices[i].fraction)
        return {name: [str(worst)]}
    if qtype == "multiresponse":
        return {name: [str(i) for i, c in enumerate(question.choices) if c.fraction <= 0]}
    if qtype == "truefalse":
        return {name: ["false" if question.truefalse.correct else "true"]}
    if qtype == "shortanswer":
        return {name: ["qqq unrelated answer"]}
    if qtype == "numerical":
        return {name: ["987654321"]}
    return {}


def _take(
    app: Flask, user_id: int, module_slug: str, answer: Callable[..., dict[str, list[str]]]
) -> float:
    with app.app_context():
        module = db.session.query(Module).filter_by(slug=module_slug).one()
        attempt = attempts.start_attempt(user_id, module, seed=7)
        for page in range(1, attempts.pages(attempt) + 1):
            form: dict[str, list[str]] = {}
            for slot in attempts.page_slots(attempt, page):
                form.update(answer(slot.question, slot.position))
            attempts.save_page(attempt, page, form)
        attempts.submit(attempt)
        db.commit()
        return attempt.score or 0.0


@pytest.fixture
def curriculum_app(app: Flask, load_courses: LoadCourses) -> Flask:
    load_courses(COURSES)
    return app


ROOTS = ("international-framework", "recognising-trafficking")


def test_every_module_quiz_can_be_passed_and_failed(
    curriculum_app: Flask, make_user: Callable[..., User]
) -> None:
    with curriculum_app.app_context():
        modules = [(m.slug, m.pass_mark) for m in db.session.query(Module).filter_by(kind="module")]
    assert len(modules) >= 17
    ordered = sorted(modules, key=lambda m: m[0] not in ROOTS)
    passing, failing, beginner = make_user(), make_user(), make_user()
    for slug, pass_mark in ordered:
        score = _take(curriculum_app, passing.id, slug, _right)
        assert score >= pass_mark, f"right answers score {score} in {slug}"
    for slug, pass_mark in ordered:
        if slug in ROOTS:
            assert _take(curriculum_app, beginner.id, slug, _wrong) < pass_mark, slug
            _take(curriculum_app, failing.id, slug, _right)
        else:
            score = _take(curriculum_app, failing.id, slug, _wrong)
            assert score < pass_mark, f"wrong answers score {score} in {slug}"


def test_passing_every_module_and_the_final_assessment_issues_both_certificates(
    curriculum_app: Flask, make_user: Callable[..., User]
) -> None:
    from app.learning.models import Certificate

    learner = make_user()
    with curriculum_app.app_context():
        rows = db.session.query(Module).order_by(Module.kind, Module.position).all()
        modules = [(m.slug, m.kind) for m in rows]
    ordered = sorted(modules, key=lambda m: (m[1] == "final", m[0] not in ROOTS))
    for slug, kind in ordered:
        score = _take(curriculum_app, learner.id, slug, _right)
        assert score == 100.0, f"{kind} {slug}: {score}"
    with curriculum_app.app_context():
        titles = sorted(
            c.course_title for c in db.session.query(Certificate).filter_by(user_id=learner.id)
        )
    assert titles == [
        "Countering illicit firearms trafficking",
        "Firearms trafficking awareness for first-line officers",
    ]
