"""Moodle's quiz flow: flag for review, the summary before submitting, the countdown with and
without JavaScript, the saved-answers confirmation, and the marked review."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.time import utcnow
from app.learning.gift import parse_gift
from app.learning.marking import mark
from app.learning.models import Attempt, AttemptSlot
from tests.learning.factory import MakeCourse, page_form, right_answer, start, wrong_answer

User_ = Callable[..., User]


def _post(client: FlaskClient, attempt_id: int, page: int, action: str, **fields: Any) -> Any:
    return client.post(
        f"/learning/attempts/{attempt_id}", data={"page": str(page), "action": action, **fields}
    )


def _flags(app: Flask, attempt_id: int) -> list[bool]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AttemptSlot.flagged)
                .where(AttemptSlot.attempt_id == attempt_id)
                .order_by(AttemptSlot.position)
            )
        )


def _text(html: str) -> str:
    """The page's text without tags, spaces collapsed, as a reader meets it."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_flag_is_kept_on_the_attempt_and_cleared_when_unticked(
    app: Flask, make_course: MakeCourse, client: FlaskClient, login: User_
) -> None:
    make_course(settings={"shuffle_answers": False})
    login()
    attempt_id = start(client, "basics-m1")
    _post(client, attempt_id, 1, "next", flag=["2", "4"])
    assert _flags(app, attempt_id) == [False, True, False, True] + [False] * 4
    page1 = client.get(f"/learning/attempts/{attempt_id}?page=1").get_data(as_text=True)
    assert re.search(r'name="flag" value="2" checked', page1)
    assert "Flag question 3 for review" in page1
    _post(client, attempt_id, 1, "save", flag=["4"])
    assert _flags(app, attempt_id) == [False, False, False, True] + [False] * 4


def test_flagging_a_question_of_another_page_saves_nothing(
    app: Flask, make_course: MakeCourse, client: FlaskClient, login: User_
) -> None:
    make_course()
    login()
    attempt_id = start(client, "basics-m1")
    response = _post(client, attempt_id, 1, "save", flag=["7"])
    assert response.status_code == 400
    assert "flags a question that is not on this page (7)" in response.get_data(as_text=True)
    assert not any(_flags(app, attempt_id))


def test_save_confirms_the_time_the_answers_were_saved(
    app: Flask, make_course: MakeCourse, client: FlaskClient, login: User_
) -> None:
    make_course()
    login()
    attempt_id = start(client, "basics-m1")
    before = utcnow()
    response = _post(client, attempt_id, 1, "save", **page_form(app, attempt_id, 1, right_answer))
    assert response.headers["Location"].endswith(f"/learning/attempts/{attempt_id}?page=1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    after = utcnow()
    times = {f"{before:%d %b %Y, %H:%M}", f"{after:%d %b %Y, %H:%M}"}
    assert any(f"Your answers were saved at {t} UTC." in page for t in times)


def test_the_summary_lists_answered_unanswered_and_flagged_questions_with_links_back(
    app: Flask, make_course: MakeCourse, client: FlaskClient, login: User_
) -> None:
    make_course()
    login()
    attempt_id = start(client, "basics-m1")
    answers = page_form(app, attempt_id, 1, right_answer)
    del answers["q5"]  # the short answer is left empty
    _post(client, attempt_id, 1, "next", flag=["3"], **answers)
    finish = _post(client, attempt_id, 2, "finish", **page_form(app, attempt_id, 2, right_answer))
    assert finish.status_code == 302
    assert finish.headers["Location"].endswith(f"/learning/attempts/{attempt_id}/summary")
    html = client.get(finish.headers["Location"]).get_data(as_text=True)
    text = _text(html)
    assert "1 question is not yet answered: 5 ." in text
    assert "You flagged 1 question for review." in text
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(\d+)</th>(.*?)</tr>", html, flags=re.S)
    states = {int(n): _text(cells).strip() for n, cells in rows}
    assert states[1].startswith("Information, no answer needed")
    assert states[3].startswith("● Answer saved ⚑ Flagged for review")
    assert states[5].startswith("○ Not yet answered")
    assert states[8].startswith("● Answer saved")  # the essay
    assert f'href="/learning/attempts/{attempt_id}?page=1#q5">Return to question 5' in html
    assert f'href="/learning/attempts/{attempt_id}?page=2#q7">Return to question 7' in html
    # The attempt is still open: the learner goes back, answers, and finishes again.
    assert "q5-input" in client.get(f"/learning/attempts/{attempt_id}?page=1").get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"  # type: ignore[union-attr]


def test_submitting_from_the_summary_closes_the_attempt_and_the_review_says_not_answered(
    app: Flask, make_course: MakeCourse, client: FlaskClient, login: User_
) -> None:
    make_course(settings={"shuffle_answers": False})
    login()
    attempt_id = start(client, "basics-m1")
    answers = page_form(app, attempt_id, 1, wrong_answer)
    del answers["q5"]
    _post(client, attempt_id, 1, "next", **answers)
    _post(client, attempt_id, 2, "finish", **page_form(app, attempt_id, 2, right_answer))
    submitted = client.post(f"/learning/attempts/{attempt_id}/submit")
    assert submitted.status_code == 303
    assert submitted.headers["Location"].endswith(f"/learning/attempts/{attempt_id}/review")
    html = client.get(submitted.headers["Location"]).get_data(as_text=True)
    text = _text(html)
    assert "Your attempt was submitted." in text
    sections = dict(re.findall(r'id="q(\d)-title">(.*?)</section>', html, flags=re.S))
    short = _text(sections["5"])
    assert "Not answered" in short and "Incorrect" not in short and "0.0%" not in short
    assert "Your answer: none given" in short
    # The chosen (wrong) option and the right one are each said in words, with an icon.
    covers = _text(sections["2"])
    assert "✘ Complete firearms only Your answer, wrong" in covers
    assert "✔ Firearms, parts and ammunition The right answer" in covers
    assert "✘ Incorrect · 0.0%" in covers
    assert "✔ Correct · 100.0%" in _text(sections["6"])  # the numerical answer, right
    pairs = _text(sections["7"])
    assert "✔ permission to export (right)" in pairs
    # Submitting again is refused: the attempt is closed.
    assert client.post(f"/learning/attempts/{attempt_id}/submit").status_code == 409
    assert client.get(f"/learning/attempts/{attempt_id}/summary").status_code == 302


def test_a_timed_attempt_shows_the_deadline_and_minutes_left_and_loads_the_countdown(
    app: Flask, make_course: MakeCourse, client: FlaskClient, login: User_
) -> None:
    make_course(settings={"time_limit_minutes": 15})
    login()
    attempt_id = start(client, "basics-m1")
    with app.app_context():
        deadline = db.session.get(Attempt, attempt_id).deadline_at  # type: ignore[union-attr]
    assert deadline is not None
    for url in (f"/learning/attempts/{attempt_id}", f"/learning/attempts/{attempt_id}/summary"):
        html = client.get(url).get_data(as_text=True)
        text = _text(html)
        assert re.search(r"Time left: 1[45] minutes when this page was loaded", text), text
        assert f"The attempt closes at {deadline:%d %b %Y, %H:%M} UTC" in text
        assert '<script src="/static/countdown.js?v=' in html  # content-hashed URL
        seconds = int(re.search(r'data-seconds="(\d+)"', html).group(1))  # type: ignore[union-attr]
        assert 14 * 60 < seconds <= 15 * 60
        assert "data-autosubmit" in html
    script = client.get("/static/countdown.js")
    assert script.status_code == 200 and "form[data-autosubmit]" in script.get_data(as_text=True)
    script.close()


def test_an_untimed_attempt_has_no_countdown(
    make_course: MakeCourse, client: FlaskClient, login: User_
) -> None:
    make_course()
    login()
    attempt_id = start(client, "basics-m1")
    html = client.get(f"/learning/attempts/{attempt_id}").get_data(as_text=True)
    assert "countdown.js" not in html and "Time left" not in html


def test_the_summary_of_an_expired_attempt_submits_it_with_the_answers_saved_in_time(
    app: Flask, make_course: MakeCourse, client: FlaskClient, login: User_
) -> None:
    make_course(settings={"time_limit_minutes": 15})
    login()
    attempt_id = start(client, "basics-m1")
    _post(client, attempt_id, 1, "next", **page_form(app, attempt_id, 1, right_answer))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        attempt.deadline_at = utcnow() - timedelta(minutes=1)
        db.commit()
    late = client.post(f"/learning/attempts/{attempt_id}/submit")
    assert late.status_code == 303 and late.headers["Location"].endswith("/review")
    review = _text(client.get(late.headers["Location"]).get_data(as_text=True))
    assert "Time ran out" in review
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.status == "submitted"
        assert attempt.score == round(100 * 4 / 6, 2)  # page 1's four graded answers


def test_the_countdown_submits_the_page_when_the_time_is_up(
    app: Flask, make_course: MakeCourse, client: FlaskClient, login: User_
) -> None:
    """What countdown.js posts at zero: the page's answers with action=submit, accepted during
    the grace period after the deadline."""
    make_course(settings={"time_limit_minutes": 15})
    login()
    attempt_id = start(client, "basics-m1")
    _post(client, attempt_id, 1, "next", **page_form(app, attempt_id, 1, right_answer))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        attempt.deadline_at = utcnow() - timedelta(seconds=2)
        db.commit()
    response = _post(client, attempt_id, 2, "submit", **page_form(app, attempt_id, 2, right_answer))
    assert response.status_code == 302
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.score == 100.0


def test_marks_say_which_option_was_chosen_and_which_are_right() -> None:
    """The review's marks for the types the page test does not reach (mark() is what the
    template draws, with a word for each mark)."""
    [several, truth] = parse_gift(
        "::S::Which apply? (select all that apply){~%50%A ~%50%B ~%-100%C}\n\n::T::True?{T}"
    )
    marked = mark(several, [2, 0, 1], [0, 2], 0.0)
    assert marked.outcome.label == "Incorrect"
    assert [(o.text, o.chosen, o.right) for o in marked.options] == [
        ("C", True, False), ("A", True, True), ("B", False, True),
    ]  # fmt: skip
    assert mark(several, [0, 1, 2], None, 0.0).outcome.label == "Not answered"
    assert mark(several, [0, 1, 2], [0], 0.5).outcome.label == "Partly correct"
    false = mark(truth, [], False, 0.0)
    assert [(o.text, o.chosen, o.right) for o in false.options] == [
        ("True", False, True), ("False", True, False),
    ]  # fmt: skip
    assert mark(truth, [], True, 1.0).outcome.label == "Correct"
