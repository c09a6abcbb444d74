"""Tests for Moodle-style grading of GIFT questions (app.learning.grading)."""

from __future__ import annotations

import pytest

from app.learning.gift import Question, parse_gift
from app.learning.grading import (
    InvalidNumber,
    InvalidResponse,
    feedback_for,
    grade,
    is_auto_graded,
    matching_answer,
    matching_choices,
    matching_stems,
    parse_number,
)


def q(text: str) -> Question:
    [question] = parse_gift(text)
    return question


SINGLE = q(
    "Jesus Christ was from {\n"
    "~Jerusalem#An important city, but wrong.\n"
    "~%25%Bethlehem#Born here, not raised here.\n"
    "~%50%Galilee#Be more specific.\n"
    "=Nazareth#Yes!\n"
    "~%-50%Rome#Far off.}."
)
MULTI = q(
    "Entombed?{\n"
    "~%-50%No one#Someone is.\n"
    "~%50%Grant#Yes.\n"
    "~%50%Grant's wife#Yes.\n"
    "~%-50%Grant's father#No.\n"
    "}"
)
OVERFULL = q("Pick {~%50%a ~%50%b ~%50%c ~d}")
TRUE_FALSE = q("Grant is buried in Grant's tomb.{FALSE#No one is buried there.#Right.}")
SHORT = q(
    "Best animal?{\n=Frog#Good!\n=%50%Cat#Cats again?\n=%25%gr*y wol*#Nearly.\n=%0%*#Wrong.\n}"
)
NUMERICAL = q(
    "When was Ulysses S. Grant born? {#\n"
    "=1822:0#Correct!\n"
    "=%50%1822:2#Close.\n"
    "=%25%1800..1850#Right half-century.\n"
    "~#Not even close.}"
)
MATCHING = q(
    "Capitals {=Canada -> Ottawa =Italy -> Rome =Japan -> Tokyo =India -> New Delhi = -> Paris}"
)


# --------------------------------------------------------------------------- multiple choice


@pytest.mark.parametrize(("choice", "score"), [(3, 1.0), (2, 0.5), (1, 0.25), (0, 0.0)])
def test_multichoice_scores_the_fraction_of_the_chosen_answer(choice: int, score: float) -> None:
    assert grade(SINGLE, choice) == score


def test_multichoice_negative_answer_scores_zero_not_below() -> None:
    assert SINGLE.choices[4].fraction == -0.5
    assert grade(SINGLE, 4) == 0.0


def test_multichoice_feedback_is_the_chosen_answers() -> None:
    assert feedback_for(SINGLE, 1) == ["Born here, not raised here."]


@pytest.mark.parametrize("response", [5, -1, True, "3", 1.0, [3]])
def test_multichoice_rejects_responses_that_are_not_an_answer_index(response: object) -> None:
    with pytest.raises(InvalidResponse):
        grade(SINGLE, response)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- multiple answers


@pytest.mark.parametrize(
    ("ticked", "score"),
    [
        ([1, 2], 1.0),
        ([1], 0.5),
        ({2}, 0.5),
        ((1, 2, 3), 0.5),
        ([1, 0], 0.0),
        ([0, 3], 0.0),
        ([0, 1, 2, 3], 0.0),
        ([], 0.0),
    ],
)
def test_multiresponse_sums_ticked_fractions_and_never_goes_below_zero(
    ticked: list[int], score: float
) -> None:
    assert grade(MULTI, ticked) == score


def test_multiresponse_is_clamped_at_full_marks() -> None:
    assert grade(OVERFULL, [0, 1, 2]) == 1.0
    assert grade(OVERFULL, [0, 1]) == 1.0
    assert grade(OVERFULL, [0, 3]) == 0.5


def test_multiresponse_counts_a_repeated_index_once() -> None:
    assert grade(MULTI, [1, 1]) == 0.5


def test_multiresponse_feedback_lists_every_ticked_answer_in_order() -> None:
    assert feedback_for(MULTI, [3, 1]) == ["Yes.", "No."]


@pytest.mark.parametrize("response", [1, "12", [4], [True], {1: 1}])
def test_multiresponse_rejects_bad_selections(response: object) -> None:
    with pytest.raises(InvalidResponse):
        grade(MULTI, response)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- true/false


def test_truefalse_scores_one_for_the_right_value_and_zero_otherwise() -> None:
    assert grade(TRUE_FALSE, False) == 1.0
    assert grade(TRUE_FALSE, True) == 0.0


def test_truefalse_feedback_follows_the_value_given() -> None:
    assert feedback_for(TRUE_FALSE, True) == ["No one is buried there."]
    assert feedback_for(TRUE_FALSE, False) == ["Right."]
    assert feedback_for(q("Q {T}"), True) == []


@pytest.mark.parametrize("response", [1, 0, "true", "F"])
def test_truefalse_rejects_anything_but_a_bool(response: object) -> None:
    with pytest.raises(InvalidResponse):
        grade(TRUE_FALSE, response)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- short answer


@pytest.mark.parametrize(
    ("response", "score"),
    [
        ("Frog", 1.0),
        ("frog", 1.0),
        ("FROG", 1.0),
        ("  Frog \n", 1.0),
        ("cat", 0.5),
        ("Grey wolf", 0.25),
        ("gr y wolves", 0.25),
        ("grey  wolf cub", 0.0),  # two spaces: "gr*y wol*" needs "y wol"
        ("Frogs", 0.0),
        ("anything else", 0.0),
    ],
)
def test_shortanswer_is_case_insensitive_with_wildcards(response: str, score: float) -> None:
    assert grade(SHORT, response) == score


def test_shortanswer_first_matching_answer_wins_over_a_better_later_one() -> None:
    question = q("Q {=%50%*cat* =tomcat}")
    assert grade(question, "tomcat") == 0.5


def test_shortanswer_bare_star_is_a_catch_all_with_its_feedback() -> None:
    assert feedback_for(SHORT, "dog") == ["Wrong."]
    assert feedback_for(SHORT, "Cat") == ["Cats again?"]


def test_shortanswer_escaped_star_is_a_literal_star() -> None:
    question = q("Q {=a\\*b}")
    assert grade(question, "a*b") == 1.0
    assert grade(question, "axxb") == 0.0


def test_shortanswer_pattern_characters_are_not_regular_expressions() -> None:
    question = q("Q {=3.5 (net)}")
    assert grade(question, "3.5 (NET)") == 1.0
    assert grade(question, "3x5 (net)") == 0.0


def test_shortanswer_compares_unicode_in_normal_form() -> None:
    question = q("Q {=Café}")
    assert grade(question, "cafe\u0301") == 1.0
    assert grade(question, "CAFÉ") == 1.0


def test_unanswered_questions_score_zero() -> None:
    for question in (SINGLE, MULTI, TRUE_FALSE, SHORT, NUMERICAL, MATCHING):
        assert grade(question, None) == 0.0
        assert feedback_for(question, None) == []
    assert grade(SHORT, "   ") == 0.0
    assert grade(NUMERICAL, "") == 0.0


def test_shortanswer_rejects_non_text() -> None:
    with pytest.raises(InvalidResponse):
        grade(SHORT, 3)


# --------------------------------------------------------------------------- numerical


@pytest.mark.parametrize(
    ("response", "score"),
    [
        ("1822", 1.0),
        ("1821", 0.5),
        ("1820", 0.5),  # tolerance boundaries are inclusive
        ("1824", 0.5),
        ("1819.999", 0.25),
        ("1824.001", 0.25),
        ("1800", 0.25),  # range boundaries are inclusive
        ("1850", 0.25),
        ("1850.0001", 0.0),
        ("1799", 0.0),
    ],
)
def test_numerical_first_answer_whose_interval_holds_the_value_wins(
    response: str, score: float
) -> None:
    assert grade(NUMERICAL, response) == score


def test_numerical_tolerance_edge_survives_float_rounding() -> None:
    question = q("Pi {#3.1415:0.0005}")
    assert grade(question, "3.141") == 1.0
    assert grade(question, "3.142") == 1.0
    assert grade(question, "3.14201") == 0.0


def test_numerical_range_is_inclusive_at_both_ends() -> None:
    question = q("Pi {#3.141..3.142}")
    assert [grade(question, v) for v in ("3.141", "3.142", "3.1409", "3.1421")] == [
        1.0,
        1.0,
        0.0,
        0.0,
    ]


def test_numerical_several_weighted_answers_in_file_order() -> None:
    question = q("Born? {#=%50%1822:2 =1822:0}")
    # Moodle takes the first matching answer, even when a later one would give more.
    assert grade(question, "1822") == 0.5


def test_numerical_feedback_comes_from_the_matching_answer_or_the_catch_all() -> None:
    assert feedback_for(NUMERICAL, "1822") == ["Correct!"]
    assert feedback_for(NUMERICAL, "1830") == ["Right half-century."]
    assert feedback_for(NUMERICAL, "2000") == ["Not even close."]
    assert matching_answer(NUMERICAL, "2000") == NUMERICAL.numerical_answers[3]
    assert matching_answer(q("Q {#5}"), "6") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1822", 1822.0),
        (" 1 822 ", 1822.0),
        ("1,5", 1.5),
        ("-1,5", -1.5),
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("+.5", 0.5),
        ("5.", 5.0),
        ("1.5e3", 1500.0),
        ("1.5E-3", 0.0015),
        ("2x10^3", 2000.0),
        ("2*10**3", 2000.0),
        ("2\u00d710^3", 2000.0),
        (7, 7.0),
        (2.5, 2.5),
    ],
)
def test_numerical_response_is_read_leniently_like_moodle(text: str | float, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "12abc", "1.2.3", "--5", "1e", "inf", "nan", "0x10", "½"])
def test_numerical_garbage_is_rejected_with_invalid_number(text: str) -> None:
    with pytest.raises(InvalidNumber):
        grade(NUMERICAL, text)
    with pytest.raises(ValueError):  # InvalidNumber is a ValueError and an InvalidResponse
        feedback_for(NUMERICAL, text)


def test_numerical_rejects_non_numbers_of_other_types() -> None:
    with pytest.raises(InvalidNumber):
        grade(NUMERICAL, True)
    with pytest.raises(InvalidNumber):
        grade(NUMERICAL, [1822])
    with pytest.raises(InvalidResponse):
        matching_answer(SHORT, "1")


def test_numerical_star_answer_matches_any_number() -> None:
    question = q("Q {#=5 =%50%*}")
    assert grade(question, "-1000") == 0.5


# --------------------------------------------------------------------------- matching


def test_matching_stems_skip_distractors_and_choices_include_them() -> None:
    assert [p.question for p in matching_stems(MATCHING)] == ["Canada", "Italy", "Japan", "India"]
    assert matching_choices(MATCHING) == ["Ottawa", "Rome", "Tokyo", "New Delhi", "Paris"]


def test_matching_scores_the_share_of_right_stems() -> None:
    assert grade(MATCHING, {0: 0, 1: 1, 2: 2, 3: 3}) == 1.0
    assert grade(MATCHING, {0: 0, 1: 1, 2: 4, 3: 2}) == 0.5
    assert grade(MATCHING, {0: 0}) == 0.25  # unanswered stems count as wrong
    assert grade(MATCHING, {}) == 0.0


def test_matching_identical_answers_are_one_choice() -> None:
    question = q("Q {=Paris -> France =Lyon -> France =Rome -> Italy}")
    assert matching_choices(question) == ["France", "Italy"]
    assert grade(question, {0: 0, 1: 0, 2: 0}) == pytest.approx(2 / 3)


@pytest.mark.parametrize("response", [{4: 0}, {-1: 0}, {0: 5}, {"0": 0}, {0: True}, [0, 1], "0"])
def test_matching_rejects_unknown_stems_and_choices(response: object) -> None:
    with pytest.raises(InvalidResponse):
        grade(MATCHING, response)  # type: ignore[arg-type]
    with pytest.raises(InvalidResponse):
        feedback_for(MATCHING, response)  # type: ignore[arg-type]


def test_matching_has_no_per_answer_feedback() -> None:
    assert feedback_for(MATCHING, {0: 0}) == []


# --------------------------------------------------------------------------- not auto-graded


@pytest.mark.parametrize("text", ["Tell us about your work. {}", "Read the case first."])
def test_essay_and_description_are_not_auto_graded(text: str) -> None:
    question = q(text)
    assert not is_auto_graded(question)
    assert grade(question, "Some essay text") is None
    assert feedback_for(question, "Some essay text") == []


def test_every_other_type_is_auto_graded() -> None:
    for question in (SINGLE, MULTI, TRUE_FALSE, SHORT, NUMERICAL, MATCHING):
        assert is_auto_graded(question)
