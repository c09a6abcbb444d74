"""Training reports: enrolments, completion rate, average score and per-question statistics."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.permissions import Role
from tests.conftest import ClientFor
from tests.learning.factory import MakeCourse, Take, wrong_answer

User_ = Callable[..., User]


@pytest.fixture
def report_app(
    app: Flask, make_user: User_, client_for: ClientFor, take: Take, make_course: MakeCourse
) -> Flask:
    """Three enrolled learners: one completes the course, one fails module 1, one only reads."""
    make_course(modules=2)
    finisher, failer, reader = (client_for(make_user()) for _ in range(3))
    take(finisher, "basics-m1")
    take(finisher, "basics-m2")
    take(failer, "basics-m1", wrong_answer)
    reader.post("/modules/basics-m1/lessons/lesson-1/read")
    return app


def _rows(client: FlaskClient) -> list[list[str]]:
    response = client.get("/learning/reports/basics.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="basics-report.csv"' in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_report_page_shows_learners_and_attempts_apart(
    report_app: Flask, client: FlaskClient, login: User_
) -> None:
    login(Role.MODERATOR)
    html = client.get("/learning/reports/basics").get_data(as_text=True)
    assert "<dt>Learners enrolled</dt><dd>3</dd>" in html
    assert "<dt>Learners who completed the course</dt><dd>1 (33.3%)</dd>" in html
    assert "<dt>Attempts submitted</dt><dd>3</dd>" in html
    assert "<dt>Average attempt score</dt><dd>66.7%</dd>" in html
    assert "<tr><td>Module 1</td><td>2</td><td>1</td><td>50.0%</td><td>1.0</td></tr>" in html
    assert "<tr><td>Module 2</td><td>1</td><td>1</td><td>100.0%</td><td>1.0</td></tr>" in html
    assert html.count("<svg") == 2
    assert "Complete firearms only (1)" in html
    index = client.get("/learning/reports/").get_data(as_text=True)
    assert 'href="/learning/reports/basics"' in index


def test_csv_export_has_the_totals_and_per_question_statistics(
    report_app: Flask, client: FlaskClient, login: User_
) -> None:
    login(Role.MODERATOR)
    rows = _rows(client)
    assert rows[:6] == [
        ["course", "Course basics"],
        ["learners_enrolled", "3"],
        ["learners_completed", "1"],
        ["completion_rate_percent", "33.3"],
        ["attempts_submitted", "3"],
        ["average_attempt_score_percent", "66.7"],
    ]
    assert rows[7:10] == [
        ["module", "learners_started", "learners_passed", "learners_passed_percent",
         "median_attempts_to_pass", "attempts", "average_attempt_score_percent",
         "attempts_passed_percent"],
        ["Module 1", "2", "1", "50.0", "1.0", "2", "50.0", "50.0"],
        ["Module 2", "1", "1", "100.0", "1.0", "1", "100.0", "100.0"],
    ]  # fmt: skip
    header = rows[11]
    assert header == [
        "module", "question", "type", "attempts", "facility_index_percent",
        "discrimination_index_percent", "share_correct_percent", "most_chosen_wrong_answer",
    ]  # fmt: skip
    questions: dict[tuple[str, str], dict[str, Any]] = {
        (row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows[12:]
    }
    assert len(questions) == 12  # six graded questions in each module; essays are left out
    covers = questions[("Module 1", "covers")]
    assert covers["attempts"] == "2"
    assert covers["share_correct_percent"] == "50.0"
    assert covers["facility_index_percent"] == "50.0"
    # One learner had every question right, the other none: each question separates them fully.
    assert covers["discrimination_index_percent"] == "100.0"
    assert covers["most_chosen_wrong_answer"] == "Complete firearms only (1)"
    assert questions[("Module 1", "marking")]["most_chosen_wrong_answer"] == "False (1)"
    assert questions[("Module 1", "article")]["most_chosen_wrong_answer"] == "987654321 (1)"
    signs = questions[("Module 1", "signs")]["most_chosen_wrong_answer"]
    assert signs == "A foreign number plate (1)"
    module2 = questions[("Module 2", "covers")]
    assert (module2["attempts"], module2["share_correct_percent"]) == ("1", "100.0")
    assert module2["discrimination_index_percent"] == ""  # one attempt: no correlation
    assert module2["most_chosen_wrong_answer"] == ""


def test_an_empty_course_reports_zeroes(
    client: FlaskClient, login: User_, make_course: MakeCourse
) -> None:
    make_course()
    login(Role.MODERATOR)
    html = client.get("/learning/reports/basics").get_data(as_text=True)
    assert "No attempt has been submitted yet." in html
    assert _rows(client)[1:6] == [
        ["learners_enrolled", "0"],
        ["learners_completed", "0"],
        ["completion_rate_percent", "0.0"],
        ["attempts_submitted", "0"],
        ["average_attempt_score_percent", "0.0"],
    ]


def test_csv_export_defuses_answers_that_look_like_formulas(
    client: FlaskClient, login: User_, take: Take, make_course: MakeCourse
) -> None:
    make_course()
    login()

    def formula(question: Any, position: int) -> dict[str, list[str]]:
        return {f"q{position}": ['=HYPERLINK("http://evil.example","x")']} if position == 5 else {}

    take(client, "basics-m1", formula)
    client.post("/sign-out")
    login(Role.MODERATOR)
    agency = next(row for row in _rows(client) if row[1:2] == ["agency"])
    assert agency[7] == '\'=HYPERLINK("http://evil.example","x") (1)'
