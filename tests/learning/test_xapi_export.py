"""`flask learning export-xapi`: the training history as xAPI 1.0.3 statements (JSON lines),
compared with statements written by hand for a fixed history, and checked against the schema
kept beside this file (xapi/statement.schema.json, written from the xAPI 1.0.3 specification)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.learning.models import Attempt, Certificate, Course, Module
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]
SCHEMA = json.loads((Path(__file__).parent / "xapi" / "statement.schema.json").read_text())
VALIDATOR = jsonschema_rs.Draft7Validator(SCHEMA)
SITE = "http://localhost"
COURSE = {
    "objectType": "Activity",
    "id": f"{SITE}/courses/basics",
    "definition": {
        "name": {"en-US": "Course basics"},
        "type": "http://adlnet.gov/expapi/activities/course",
    },
}
QUIZ = {
    "objectType": "Activity",
    "id": f"{SITE}/modules/basics-m1",
    "definition": {
        "name": {"en-US": "Quiz: Module 1"},
        "type": "http://adlnet.gov/expapi/activities/assessment",
    },
}
CONTEXT = {"platform": "Firearms Practitioners' Platform", "language": "en",
           "contextActivities": {"parent": [COURSE]}}  # fmt: skip


def verb(name: str) -> dict[str, Any]:
    return {"id": f"http://adlnet.gov/expapi/verbs/{name}", "display": {"en-US": name}}


def agent(user_id: int) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": f"{SITE}/", "name": str(user_id)}}


@pytest.fixture
def history(app: Flask, make_course: MakeCourse, make_user: User_) -> tuple[int, int]:
    """Kofi fails module 1, then passes it and completes the one-module course; Ama starts an
    attempt and leaves it open; a revoked certificate of Ama's exports nothing."""
    make_course(modules=1)
    kofi, ama = make_user().id, make_user().id
    with app.app_context():
        module = db.session.scalars(select(Module).where(Module.slug == "basics-m1")).one()
        course = db.session.get(Course, module.course_id)
        assert course is not None
        db.session.add_all([
            Attempt(user_id=kofi, module_id=module.id, number=1, status="submitted",
                    started_at=datetime(2026, 3, 2, 9, 0, 0),
                    submitted_at=datetime(2026, 3, 2, 9, 12, 30), score=40.0, passed=False),
            Attempt(user_id=kofi, module_id=module.id, number=2, status="submitted",
                    started_at=datetime(2026, 3, 3, 10, 0, 0),
                    submitted_at=datetime(2026, 3, 3, 11, 2, 5, 700), score=85.5, passed=True),
            Attempt(user_id=ama, module_id=module.id, number=1, status="in_progress",
                    started_at=datetime(2026, 3, 4, 8, 0, 0)),
            Certificate(code="AAAA-BBBB-CCCC", user_id=kofi, course_id=course.id,
                        holder_name="Kofi", course_title=course.title, score=85.5,
                        issued_at=datetime(2026, 3, 3, 11, 2, 5)),
            Certificate(code="DDDD-EEEE-FFFF", user_id=ama, course_id=course.id,
                        holder_name="Ama", course_title=course.title, score=90.0,
                        issued_at=datetime(2026, 3, 5, 8, 0, 0),
                        revoked_at=datetime(2026, 3, 6, 8, 0, 0), revoked_reason="Error."),
        ])  # fmt: skip
        db.commit()
    return kofi, ama


def _export(runner: FlaskCliRunner, *args: str) -> list[dict[str, Any]]:
    result = runner.invoke(args=["learning", "export-xapi", *args])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def test_the_export_of_a_fixed_history_matches_statements_written_by_hand(
    history: tuple[int, int], runner: FlaskCliRunner
) -> None:
    kofi, ama = history
    statements = _export(runner)
    ids = [s.pop("id") for s in statements]
    assert statements == [
        {"actor": agent(kofi), "verb": verb("attempted"), "object": QUIZ, "context": CONTEXT,
         "timestamp": "2026-03-02T09:00:00Z", "version": "1.0.3"},
        {"actor": agent(kofi), "verb": verb("failed"), "object": QUIZ, "context": CONTEXT,
         "result": {"score": {"scaled": 0.4, "raw": 40.0, "min": 0, "max": 100},
                    "success": False, "completion": True, "duration": "PT12M30S"},
         "timestamp": "2026-03-02T09:12:30Z", "version": "1.0.3"},
        {"actor": agent(kofi), "verb": verb("attempted"), "object": QUIZ, "context": CONTEXT,
         "timestamp": "2026-03-03T10:00:00Z", "version": "1.0.3"},
        {"actor": agent(kofi), "verb": verb("passed"), "object": QUIZ, "context": CONTEXT,
         "result": {"score": {"scaled": 0.855, "raw": 85.5, "min": 0, "max": 100},
                    "success": True, "completion": True, "duration": "PT1H2M5S"},
         "timestamp": "2026-03-03T11:02:05Z", "version": "1.0.3"},
        {"actor": agent(kofi), "verb": verb("completed"), "object": COURSE,
         "result": {"completion": True, "success": True},
         "context": {"platform": "Firearms Practitioners' Platform", "language": "en"},
         "timestamp": "2026-03-03T11:02:05Z", "version": "1.0.3"},
        {"actor": agent(ama), "verb": verb("attempted"), "object": QUIZ, "context": CONTEXT,
         "timestamp": "2026-03-04T08:00:00Z", "version": "1.0.3"},
    ]  # fmt: skip
    assert len(set(ids)) == len(ids) and all(uuid.UUID(i).version == 5 for i in ids)
    assert [s["id"] for s in _export(runner)] == ids  # a second export: the same ids


def test_every_statement_is_valid_xapi_and_names_no_e_mail(
    history: tuple[int, int], runner: FlaskCliRunner
) -> None:
    statements = _export(runner)
    for statement in statements:
        errors = [e.message for e in VALIDATOR.iter_errors(statement)]
        assert errors == [], (statement, errors)
    assert "@example.org" not in json.dumps(statements) and "mbox" not in json.dumps(statements)
    # The schema refuses an e-mail actor and a score outside [-1, 1].
    email_actor = {**statements[0], "actor": {"mbox": "mailto:kofi@example.org"}}
    assert not VALIDATOR.is_valid(email_actor)
    wrong = json.loads(json.dumps(statements[1]))
    wrong["result"]["score"]["scaled"] = 40
    assert not VALIDATOR.is_valid(wrong)


def test_the_export_writes_to_a_file_and_filters_by_course(
    history: tuple[int, int], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "history.jsonl"
    result = runner.invoke(args=["learning", "export-xapi", "--course", "basics", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert "6 statements written." in result.output
    assert len(path.read_text(encoding="utf-8").splitlines()) == 6
    unknown = runner.invoke(args=["learning", "export-xapi", "--course", "nope"])
    assert unknown.exit_code == 2 and "no course has the slug 'nope'" in unknown.output
