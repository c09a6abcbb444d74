"""Training report figures against values computed by hand: Moodle's facility and
discrimination indexes for a small fixed set of attempts, and pass rates per learner."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.charts import bar_chart
from app.core.permissions import Role
from app.learning.gift import Question
from app.learning.stats import discrimination_index, facility_index
from tests.conftest import ClientFor
from tests.learning.factory import MakeCourse, Take, right_answer, wrong_answer

User_ = Callable[..., User]


def _only_right(*names: str) -> Callable[[Question, int], dict[str, list[str]]]:
    def answer(question: Question, position: int) -> dict[str, list[str]]:
        chosen = right_answer if question.name in names else wrong_answer
        return chosen(question, position)

    return answer


def _report(client: FlaskClient) -> list[list[str]]:
    text = client.get("/learning/reports/basics.csv").get_data(as_text=True)
    return list(csv.reader(io.StringIO(text)))


def _questions(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    start = rows.index(next(r for r in rows if r[:2] == ["module", "question"]))
    header = rows[start]
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows[start + 1 :] if row}


def test_facility_and_discrimination_match_values_computed_by_hand(
    make_course: MakeCourse,
    make_user: User_,
    client_for: ClientFor,
    take: Take,
    client: FlaskClient,
    login: User_,
) -> None:
    """Three attempts at the six graded questions of module 1 (one mark each):

    | learner | covers | signs | marking | agency | article | pairs | total |
    | A       | 1      | 1     | 1       | 1      | 1       | 1     | 6     |
    | B       | 0      | 0     | 0       | 0      | 0       | 0     | 0     |
    | C       | 1      | 0     | 1       | 0      | 0       | 0     | 2     |

    covers: x = (1, 0, 1), rest of test X_-i = (5, 0, 1); means 2/3 and 2.
      F = 100 * 2/3 = 66.67.
      Σ(x-x̄)(y-ȳ) = (1/3)(3) + (-2/3)(-2) + (1/3)(-1) = 2;
      Σ(x-x̄)² = 1/9 + 4/9 + 1/9 = 2/3;  Σ(y-ȳ)² = 9 + 4 + 1 = 14;
      D = 100 * 2 / √(2/3 * 14) = 100 * 0.654654 = 65.47.
    signs: x = (1, 0, 0), X_-i = (5, 0, 2); means 1/3 and 7/3.
      F = 33.33.
      Σ(x-x̄)(y-ȳ) = (2/3)(8/3) + (-1/3)(-7/3) + (-1/3)(-1/3) = 24/9 = 8/3;
      Σ(x-x̄)² = 2/3;  Σ(y-ȳ)² = (64 + 49 + 1)/9 = 114/9;
      D = 100 * (8/3) / √(2/3 * 114/9) = 100 * 0.917663 = 91.77.
    marking is answered as covers is, so it has the same figures.
    """
    make_course(modules=1)
    for answer in (right_answer, wrong_answer, _only_right("covers", "marking")):
        take(client_for(make_user()), "basics-m1", answer)
    login(Role.MODERATOR)
    questions = _questions(_report(client))
    covers, signs, marking = questions["covers"], questions["signs"], questions["marking"]
    assert covers["attempts"] == "3"
    assert (covers["facility_index_percent"], covers["discrimination_index_percent"]) == (
        "66.67", "65.47",
    )  # fmt: skip
    assert (signs["facility_index_percent"], signs["discrimination_index_percent"]) == (
        "33.33", "91.77",
    )  # fmt: skip
    assert marking["discrimination_index_percent"] == "65.47"
    page = client.get("/learning/reports/basics").get_data(as_text=True)
    assert "<td>covers</td><td>3</td><td>66.7%</td><td>65.5%</td>" in page


@pytest.mark.parametrize(("scores", "rests", "facility", "discrimination"), [
    # Partial credit: x = (0.5, 1, 0, 0.5), X_-i = (2, 3, 1, 2): means 0.5 and 2;
    # Σ(x-x̄)(y-ȳ) = 0 + 0.5 + 0.5 + 0 = 1; Σ(x-x̄)² = 0.5; Σ(y-ȳ)² = 2; D = 100 * 1/√1 = 100.
    ((0.5, 1.0, 0.0, 0.5), (2.0, 3.0, 1.0, 2.0), 50.0, 100.0),
    # A question the weaker learners get right: x = (0, 1), X_-i = (4, 1): D = -100.
    ((0.0, 1.0), (4.0, 1.0), 50.0, -100.0),
    # Everyone scored the same: no correlation can be computed.
    ((1.0, 1.0, 1.0), (3.0, 1.0, 2.0), 100.0, None),
    # One attempt only.
    ((1.0,), (3.0,), 100.0, None),
])  # fmt: skip
def test_index_definitions(
    scores: tuple[float, ...], rests: tuple[float, ...], facility: float, discrimination: Any
) -> None:
    assert facility_index(scores) == facility
    assert discrimination_index(scores, rests) == discrimination
    assert facility_index(()) is None


def test_a_learner_who_failed_then_passed_counts_as_passed(
    make_course: MakeCourse,
    make_user: User_,
    client_for: ClientFor,
    take: Take,
    client: FlaskClient,
    login: User_,
) -> None:
    """Four learners on module 1: A passes at once; D fails then passes; E fails twice then
    passes; B fails once and stops. Per learner: 4 started, 3 passed (75%), attempts needed
    1, 2 and 3 (median 2). Per attempt: 7 attempts, 3 passed (42.9%)."""
    make_course(modules=1)
    plans = [["pass"], ["fail", "pass"], ["fail", "fail", "pass"], ["fail"]]
    for plan in plans:
        learner = client_for(make_user())
        for outcome in plan:
            take(learner, "basics-m1", right_answer if outcome == "pass" else wrong_answer)
    login(Role.MODERATOR)
    rows = _report(client)
    assert rows[8] == ["Module 1", "4", "3", "75.0", "2.0", "7", "42.9", "42.9"]
    page = client.get("/learning/reports/basics").get_data(as_text=True)
    assert "<tr><td>Module 1</td><td>4</td><td>3</td><td>75.0%</td><td>2.0</td></tr>" in page
    assert "<tr><td>Module 1</td><td>7</td><td>42.9%</td><td>42.9%</td></tr>" in page


def test_chart_labels_are_written_in_full() -> None:
    long = (
        "Brokering with forged documents, false end-user certificates and shell companies "
        "registered abroad"
    )
    chart = bar_chart([(long, 40.0)], title="Test", unit="%", max_value=100)
    assert "…" not in chart
    first = "Brokering with forged documents, false end-user certificates and shell companies"
    assert f">{first}<" in chart
    assert ">registered abroad<" in chart
    assert 'x="0"' in chart  # labels start at the left edge, never right-aligned into it
