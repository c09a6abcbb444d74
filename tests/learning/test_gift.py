"""Tests for the GIFT parser, exporter and JSON conversion (app.learning.gift).

Expected values for the two reference files follow Moodle's own importer
(question/format/gift/format.php) and its unit tests (giftformat_test.php).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.learning.gift import (
    Choice,
    GiftError,
    GiftProblem,
    MatchPair,
    NumericalAnswer,
    Question,
    TrueFalse,
    check_gift,
    export_gift,
    load_gift,
    parse_gift,
    to_json,
)

REFERENCE = Path("/work/shared/reference/moodle-gift")
if not REFERENCE.is_dir():  # CI clones the repository with shared/ beside it
    REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "moodle-gift"


def one(text: str) -> Question:
    questions = parse_gift(text)
    assert len(questions) == 1, questions
    return questions[0]


def messages(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in check_gift(text)]


def reference(name: str) -> str:
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"reference file {path} is not available")
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- multiple choice


def test_multichoice_equals_marks_the_right_answer_and_tildes_the_wrong_ones() -> None:
    q = one("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}")
    assert q.type == "multichoice"
    assert q.text == "Who's buried in Grant's tomb?"
    assert [(c.text, c.fraction) for c in q.choices] == [
        ("Grant", 0.0),
        ("Jefferson", 0.0),
        ("no one", 1.0),
    ]


def test_multichoice_with_partial_credit_stays_single_answer() -> None:
    q = one("Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}")
    assert q.type == "multichoice"
    assert [c.fraction for c in q.choices] == [0.0, 0.5, 1.0]


def test_multichoice_without_equals_sign_is_multiple_answer_with_negative_weights() -> None:
    q = one("Entombed? {~%-50%No one ~%50%Grant ~%50%Grant's wife ~%-50%Grant's father}")
    assert q.type == "multiresponse"
    assert [c.fraction for c in q.choices] == [-0.5, 0.5, 0.5, -0.5]


def test_multichoice_with_full_weight_but_no_equals_sign_is_multiple_answer() -> None:
    # Moodle: "Multiple answers are enabled if no single answer is 100% correct" is decided
    # only by the presence of '='; ~%100% does not make a question single-answer.
    q = one("Colours?{~%100%yellow # right ~%-50%red # wrong ~%-50%blue # wrong}")
    assert q.type == "multiresponse"
    assert [c.fraction for c in q.choices] == [1.0, -0.5, -0.5]


def test_multichoice_text_before_the_first_tilde_is_a_wrong_answer() -> None:
    q = one("Q {a ~b =c}")
    assert [(c.text, c.fraction) for c in q.choices] == [("a", 0.0), ("b", 0.0), ("c", 1.0)]


def test_multichoice_unescaped_equals_in_feedback_starts_a_new_right_answer() -> None:
    # Moodle rewrites every '=' as '~=' before splitting, feedback included.
    q = one("Q {~a#1=2 ~b}")
    assert [(c.text, c.fraction, c.feedback) for c in q.choices] == [
        ("a", 0.0, "1"),
        ("2", 1.0, ""),
        ("b", 0.0, ""),
    ]


def test_multichoice_weight_after_equals_sign_is_part_of_the_answer_text() -> None:
    q = one("Q {=%50%a ~b}")
    assert q.choices[0] == Choice("%50%a", 1.0)


def test_multichoice_feedback_is_split_at_hash_and_trimmed() -> None:
    q = one("Q{\n=yellow # right; good!\n~red # wrong\n}")
    assert [(c.text, c.feedback) for c in q.choices] == [
        ("yellow", "right; good!"),
        ("red", "wrong"),
    ]


# --------------------------------------------------------------------------- true/false


@pytest.mark.parametrize(
    ("mark", "correct"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)]
)
def test_truefalse_accepts_t_true_f_false(mark: str, correct: bool) -> None:
    q = one(f"The sun rises in the east.{{{mark}}}")
    assert q.type == "truefalse"
    assert q.truefalse == TrueFalse(correct)


def test_truefalse_first_feedback_is_for_the_wrong_answer_second_for_the_right_one() -> None:
    false_q = one("42 is the Absolute Answer.{FALSE#It is the Ultimate Answer.#Right.}")
    assert false_q.truefalse.feedback_true == "It is the Ultimate Answer."
    assert false_q.truefalse.feedback_false == "Right."
    true_q = one("The sun rises in the east.{T#Wrong, it does.#Yes.}")
    assert true_q.truefalse.feedback_false == "Wrong, it does."
    assert true_q.truefalse.feedback_true == "Yes."
    assert true_q.truefalse.feedback_for(True) == "Yes."


def test_truefalse_keywords_are_case_sensitive() -> None:
    q = one("Q {true}")
    assert q.type == "shortanswer"
    assert q.choices == (Choice("true", 1.0, format="plain"),)


def test_truefalse_third_hash_stays_in_the_right_answer_feedback() -> None:
    q = one("Q {T#wrong#right#still right}")
    assert q.truefalse.feedback_true == "right#still right"


# --------------------------------------------------------------------------- short answer


def test_shortanswer_accepts_several_answers_weights_and_catch_all() -> None:
    q = one(
        "::Shortanswer::Which is the best animal?{\n"
        "    =Frog#Good!\n"
        "    =%50%Cat#What is it with Moodlers and cats?\n"
        "    =%0%*#Completely wrong\n"
        "}"
    )
    assert q.type == "shortanswer"
    assert [(c.text, c.fraction, c.feedback) for c in q.choices] == [
        ("Frog", 1.0, "Good!"),
        ("Cat", 0.5, "What is it with Moodlers and cats?"),
        ("*", 0.0, "Completely wrong"),
    ]


def test_shortanswer_answer_without_equals_sign_is_full_credit() -> None:
    assert one("Capital of France? {Paris}").choices == (Choice("Paris", 1.0, format="plain"),)


def test_shortanswer_drops_the_answer_format_like_moodle() -> None:
    q = one("Q {=[html]Yes =No}")
    assert [(c.text, c.format) for c in q.choices] == [("Yes", "plain"), ("No", "plain")]


def test_shortanswer_in_missing_word_position() -> None:
    q = one("Two plus two equals {=four =4}.")
    assert q.type == "shortanswer"
    assert q.text == "Two plus two equals _____."


# --------------------------------------------------------------------------- matching


def test_matching_pairs_with_empty_question_as_distractor() -> None:
    q = one("Match.{\n=Canada -> Ottawa\n=Italy  -> Rome\n= -> Paris\n}")
    assert q.type == "matching"
    assert q.pairs == (
        MatchPair("Canada", "Ottawa"),
        MatchPair("Italy", "Rome"),
        MatchPair("", "Paris"),
    )
    assert q.pairs[2].is_distractor


def test_matching_without_spaces_around_arrow() -> None:
    q = one("Match the following countries with their capitals.{=Canada->Ottawa =Italy->Rome}")
    assert [(p.question, p.answer) for p in q.pairs] == [("Canada", "Ottawa"), ("Italy", "Rome")]


def test_matching_answer_keeps_a_second_arrow() -> None:
    q = one("Q {=a -> b -> c =d -> e}")
    assert q.pairs[0] == MatchPair("a", "b -> c")


def test_matching_subquestions_take_their_own_format() -> None:
    q = one("[html]Match.{=[plain]One -> 1 =Two -> 2}")
    assert [p.format for p in q.pairs] == ["plain", "html"]


def test_matching_pair_blank_on_both_sides_is_skipped_like_moodle() -> None:
    q = one("Q {=a -> 1 = -> =b -> 2}")
    assert [p.question for p in q.pairs] == ["a", "b"]


# --------------------------------------------------------------------------- numerical


def test_numerical_exact_answer() -> None:
    q = one("When was Ulysses S. Grant born? {#1822}")
    assert q.type == "numerical"
    assert q.numerical_answers == (NumericalAnswer(1822.0, 0.0),)


def test_numerical_value_with_tolerance() -> None:
    q = one("What is the value of pi (to 3 decimal places)? {#3.1415:0.0005}.")
    assert q.numerical_answers == (NumericalAnswer(3.1415, 0.0005),)
    assert q.text == "What is the value of pi (to 3 decimal places)? _____."


def test_numerical_range_keeps_min_and_max_and_midpoint() -> None:
    answer = one("Pi? {#3.141..3.142}").numerical_answers[0]
    assert (answer.min, answer.max) == (3.141, 3.142)
    assert answer.value == pytest.approx(3.1415)
    assert answer.tolerance == pytest.approx(0.0005)
    assert answer.is_range


def test_numerical_reversed_range_means_the_same_interval() -> None:
    answer = one("Q {#5..1}").numerical_answers[0]
    assert (answer.min, answer.max, answer.value, answer.tolerance) == (1.0, 5.0, 3.0, 2.0)


def test_numerical_negative_tolerance_is_its_absolute_value() -> None:
    assert one("Q {#3:-2}").numerical_answers[0].tolerance == 2.0


def test_numerical_several_weighted_answers_with_feedback() -> None:
    q = one(
        "::Numerical example::\nWhen was Ulysses S. Grant born? {#\n"
        "     =1822:0      #Correct! 100% credit\n"
        "     =%50%1822:2  #He was born in 1822.\n"
        "                  You get 50% credit for being close.\n"
        "}"
    )
    assert q.numerical_answers == (
        NumericalAnswer(1822.0, 0.0, fraction=1.0, feedback="Correct! 100% credit"),
        NumericalAnswer(
            1822.0,
            2.0,
            fraction=0.5,
            feedback="He was born in 1822.\nYou get 50% credit for being close.",
        ),
    )


def test_numerical_tilde_adds_a_catch_all_wrong_answer_with_its_feedback() -> None:
    q = one("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
    assert q.numerical_answers == (
        NumericalAnswer(3.0, 2.0),
        NumericalAnswer(None, 0.0, fraction=0.0, feedback="Completely wrong"),
    )
    assert q.numerical_answers[1].is_catch_all


def test_numerical_star_answer_is_a_catch_all() -> None:
    q = one("Q {#=5 =%50%*#close enough}")
    assert q.numerical_answers[1] == NumericalAnswer(None, fraction=0.5, feedback="close enough")


def test_numerical_accepts_php_number_forms() -> None:
    q = one("Q {#=1e3:1.5e1 =.5 =-2.}")
    assert [(a.value, a.tolerance) for a in q.numerical_answers] == [
        (1000.0, 15.0),
        (0.5, 0.0),
        (-2.0, 0.0),
    ]


# --------------------------------------------------------------------------- essay, description


def test_essay_is_an_empty_answer_block() -> None:
    q = one("// essay\n::Q8:: How are you? {}")
    assert (q.type, q.name, q.text, q.answers) == ("essay", "Q8", "How are you?", ())


def test_essay_may_carry_general_feedback() -> None:
    q = one("Q {####Think about it.}")
    assert (q.type, q.general_feedback) == ("essay", "Think about it.")


def test_description_has_no_answer_block() -> None:
    q = one("::Intro::[markdown]Read the **case** first.")
    assert (q.type, q.name, q.text, q.format, q.answers) == (
        "description",
        "Intro",
        "Read the **case** first.",
        "markdown",
        (),
    )


# --------------------------------------------------------------------------- question text


def test_missing_word_replaces_the_answer_block_with_a_blank() -> None:
    q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert q.text == "Grant is _____ in Grant's tomb."


def test_answer_block_at_the_end_is_removed_without_a_blank() -> None:
    assert one("Who's buried in Grant's tomb?{=no one =nobody}").text == (
        "Who's buried in Grant's tomb?"
    )


def test_text_after_the_closing_brace_makes_a_missing_word_question_like_moodle() -> None:
    # Moodle's own test data has a PHP '";' after the brace: it stays in the text.
    q = one('::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}";')
    assert q.text == 'What is a number from 1 to 5? _____";'


def test_lines_are_trimmed_and_joined_with_newlines() -> None:
    q = one("::Kanji Origins::Japanese characters originally\n   came from what country? {=China}")
    assert q.text == "Japanese characters originally\ncame from what country?"


# --------------------------------------------------------------------------- names


def test_name_between_double_colons() -> None:
    q = one("::Grant's Tomb::Grant is {~buried =entombed} there.")
    assert (q.name, q.explicit_name) == ("Grant's Tomb", True)


def test_name_defaults_to_the_question_text() -> None:
    q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert (q.name, q.explicit_name) == ("Grant is _____ in Grant's tomb.", False)


def test_default_name_is_shortened_at_a_word_boundary_to_80_characters() -> None:
    q = one(
        "The American holiday of Thanksgiving is celebrated on the {~second =fourth} "
        "Thursday of November."
    )
    assert (
        q.name == "The American holiday of Thanksgiving is celebrated on the _____ Thursday of ..."
    )


def test_default_name_strips_html_tags() -> None:
    assert one("[html]<p>Is <b>this</b> bold?</p>{T}").name == "Is this bold?"


def test_default_name_for_an_empty_text_is_question_name() -> None:
    assert one("{=a ~b}").name == "Question name"


def test_name_without_closing_colons_is_made_from_the_text() -> None:
    q = one("::Q1 What is it? {T}")
    assert (q.name, q.text) == ("Q1 What is it?", "Q1 What is it?")


def test_explicit_empty_name_stays_empty_like_moodle() -> None:
    assert one("::::Text {T}").name == ""


def test_name_is_cleaned_of_tags_and_unescaped() -> None:
    assert one("::<b>Part\\: one</b>::Text {T}").name == "Part: one"


# --------------------------------------------------------------------------- comments, blocks


def test_comment_lines_are_ignored_even_inside_an_answer_block() -> None:
    q = one("// heading\n::Q::Text {\n// a comment\n=yes\n~no\n}")
    assert [c.text for c in q.choices] == ["yes", "no"]


def test_double_slash_inside_a_line_is_not_a_comment() -> None:
    assert one("See http://example.org {T}").text == "See http://example.org"


def test_blank_lines_separate_questions_and_comment_only_blocks_are_skipped() -> None:
    questions = parse_gift("// only a comment\n\nA {T}\n\n\n  \nB {F}\n")
    assert [q.text for q in questions] == ["A", "B"]
    assert [q.line for q in questions] == [3, 7]


def test_a_line_holding_only_zero_separates_questions_like_php_empty() -> None:
    assert [q.text for q in parse_gift("A {T}\n0\nB {F}")] == ["A", "B"]


def test_crlf_line_endings_and_byte_order_mark() -> None:
    questions = parse_gift("\ufeffA {T}\r\n\r\nB {\r\n=x\r\n~y\r\n}\r\n")
    assert [q.type for q in questions] == ["truefalse", "multichoice"]
    assert questions[1].choices[0].text == "x"


def test_old_mac_line_endings() -> None:
    assert [q.text for q in parse_gift("A {T}\r\rB {F}")] == ["A", "B"]


def test_category_applies_to_the_questions_that_follow() -> None:
    questions = parse_gift("A {T}\n\n$CATEGORY: $course$/top/Unit 1\n\nB {T}\n\nC {F}")
    assert [q.category for q in questions] == [None, "$course$/top/Unit 1", "$course$/top/Unit 1"]


# --------------------------------------------------------------------------- escapes


@pytest.mark.parametrize(
    ("escaped", "literal"),
    [("\\~", "~"), ("\\=", "="), ("\\#", "#"), ("\\{", "{"), ("\\}", "}"), ("\\:", ":")],
)
def test_escaped_control_character_is_literal(escaped: str, literal: str) -> None:
    q = one(f"::a{escaped}b::Which {escaped} is it? {{~x{escaped}y #fb{escaped} =z}}")
    assert q.name == f"a{literal}b"
    assert q.text == f"Which {literal} is it?"
    assert q.choices[0] == Choice(f"x{literal}y", 0.0, f"fb{literal}")


def test_escaped_equals_sign_in_answers_from_moodle_docs() -> None:
    q = one("Which answer equals 5? {\n ~ \\= 2 + 2\n = \\= 2 + 3\n ~ \\= 2 + 4  }")
    assert [(c.text, c.fraction) for c in q.choices] == [
        ("= 2 + 2", 0.0),
        ("= 2 + 3", 1.0),
        ("= 2 + 4", 0.0),
    ]


def test_double_backslash_is_one_backslash_and_does_not_escape_the_next_character() -> None:
    q = one("::double backslash:: A \\\\ B \\\\\\\\ C{}")
    assert q.text == "A \\ B \\\\ C"
    # \\# is a backslash followed by a real feedback separator.
    assert one("Q {=a\\\\#fb ~b}").choices[0] == Choice("a\\", 1.0, "fb")


def test_backslash_n_is_a_newline_and_other_backslashes_stay() -> None:
    assert one("Line one\\nline two \\d {T}").text == "Line one\nline two \\d"


def test_escaped_braces_in_html_question_text() -> None:
    q = one("::Q001::[html]<pre>\nvoid test() \\{\n    run();\n\\}\n</pre>\n{}")
    assert q.text == "<pre>\nvoid test() {\nrun();\n}\n</pre>"
    assert (q.type, q.format) == ("essay", "html")


# --------------------------------------------------------------------------- formats


def test_question_format_is_the_default_for_answers_and_feedback() -> None:
    q = one("[html]Pick <b>one</b>{=yes#fine ~[plain]no#[markdown]**no** ####General}")
    assert q.format == "html"
    assert q.choices[0] == Choice("yes", 1.0, "fine", "html", "html")
    assert q.choices[1] == Choice("no", 0.0, "**no**", "plain", "markdown")
    assert (q.general_feedback, q.general_feedback_format) == ("General", "html")


@pytest.mark.parametrize("fmt", ["moodle", "html", "plain", "markdown"])
def test_every_format_prefix_is_recognised(fmt: str) -> None:
    q = one(f"[{fmt}]Text {{T}}")
    assert (q.format, q.text) == (fmt, "Text")


def test_unknown_or_uppercase_format_prefix_stays_in_the_text() -> None:
    assert one("[HTML]Text {T}").format == "moodle"
    assert one("[HTML]Text {T}").text == "[HTML]Text"
    assert one("[wiki]Text {T}").text == "[wiki]Text"


def test_general_feedback_has_its_own_format() -> None:
    q = one("Q {=a =b ####[html]<i>General</i>}")
    assert (q.general_feedback, q.general_feedback_format) == ("<i>General</i>", "html")


def test_general_feedback_uses_the_last_four_hashes() -> None:
    q = one("Q {FALSE#42 is the Ultimate Answer.#Right.\n####A Hitchhiker's Guide reference.}")
    assert q.general_feedback == "A Hitchhiker's Guide reference."
    assert q.truefalse.feedback_false == "Right."


# --------------------------------------------------------------------------- weights


def test_thirds_must_be_written_with_moodles_precision() -> None:
    q = one("Q {~%33.33333%a ~%33.3333%b ~%-33.33333%c ~%66.66667%d}")
    assert [c.fraction for c in q.choices] == [0.3333333, 0.3333333, -0.3333333, 0.6666667]


def test_zero_weight_is_a_plain_zero() -> None:
    assert one("Q {=a =%-0%b}").choices[1].fraction == 0.0


# --------------------------------------------------------------------------- the reference files

QUESTIONS_FILE_TYPES = [
    "essay",
    "matching",
    "multichoice",
    "multiresponse",
    "numerical",
    "shortanswer",
    "truefalse",
    "truefalse",
    "truefalse",
]


def test_moodle_test_questions_file_parses_to_the_expected_questions() -> None:
    questions = parse_gift(reference("questions.gift.txt"), "questions.gift.txt")
    assert [q.type for q in questions] == QUESTIONS_FILE_TYPES
    assert [q.name for q in questions] == [
        "Q8",
        "Moodle activities",
        "Q2",
        "colours",
        "Q5",
        "Shortanswer",
        "Q1",
        "2-08 TSL",
        "2-08 TSL",
    ]
    essay, match, single, multi, numerical, short, tf_false, tf_t, tf_true = questions
    assert essay.text == "How are you?"

    assert (match.format, match.text) == ("html", "Match the <b>activity</b> to the description.")
    assert [(p.question, p.answer, p.format) for p in match.pairs] == [
        ("An activity supporting asynchronous discussions.", "Forum", "html"),
        (
            "A teacher asks a question and specifies a choice of multiple responses.",
            "Choice",
            "moodle",
        ),
        ("A bank of record entries which participants can add to.", "Database", "plain"),
        ("A collection of web pages that anyone can add to or edit.", "Wiki", "markdown"),
        ("", "Chat", "html"),
    ]

    assert single.choices == (
        Choice("yellow", 1.0, "right; good!"),
        Choice("red", 0.0, "wrong, it's yellow", "moodle", "html"),
        Choice("blue", 0.0, "wrong, it's yellow", "plain", "moodle"),
    )
    assert [(c.text, c.fraction, c.feedback, c.format) for c in multi.choices] == [
        ("yellow", 0.5, "right; good!", "moodle"),
        ("red", -1.0, "wrong", "moodle"),
        ("off-beige", 0.5, "right; good!", "moodle"),
        ("blue", -1.0, "wrong", "plain"),
    ]

    # The trailing '";' (PHP source residue) makes Moodle treat these as missing-word texts.
    assert numerical.text == 'What is a number from 1 to 5? _____";'
    assert numerical.numerical_answers == (
        NumericalAnswer(3.0, 2.0),
        NumericalAnswer(None, fraction=0.0, feedback="Completely wrong"),
    )
    assert [(c.text, c.fraction, c.feedback) for c in short.choices] == [
        ("Frog", 1.0, "Good!"),
        ("Cat", 0.5, "What is it with Moodlers and cats?"),
        ("*", 0.0, "Completely wrong"),
    ]
    assert tf_false.text == '42 is the Absolute Answer to everything._____";'
    assert tf_false.truefalse == TrueFalse(
        False, "42 is the Ultimate Answer.", "You gave the right answer."
    )
    assert tf_false.general_feedback == (
        "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )
    assert tf_t.truefalse == TrueFalse(True) == tf_true.truefalse
    assert tf_t.text == "TSL is blablabla."
    assert [q.line for q in questions] == [2, 5, 14, 22, 31, 34, 41, 46, 49]


EXAMPLES_FILE_TYPES = [
    (8, "multichoice"),
    (10, "multichoice"),
    (12, "truefalse"),
    (14, "shortanswer"),
    (16, "numerical"),
    (25, "multichoice"),
    (27, "multichoice"),
    (29, "multichoice"),
    (35, "multichoice"),
    (43, "shortanswer"),
    (45, "shortanswer"),
    (49, "truefalse"),
    (51, "truefalse"),
    (55, "matching"),
    (61, "matching"),
    (70, "numerical"),
    (72, "numerical"),
    (74, "numerical"),
    (76, "numerical"),
    (85, "numerical"),
    (90, "shortanswer"),
    (93, "multichoice"),
    (98, "multichoice"),
    (103, "shortanswer"),
    (108, "shortanswer"),
    (113, "truefalse"),
    (115, "multichoice"),
    (117, "multichoice"),
    (123, "shortanswer"),
    (130, "multiresponse"),
    (136, "multiresponse"),
    (143, "multichoice"),
    (148, "multichoice"),
    (167, "multichoice"),
    (169, "multichoice"),
    (171, "truefalse"),
    (173, "shortanswer"),
    (175, "numerical"),
    (177, "matching"),
    (184, "multichoice"),
    (190, "multichoice"),
    (195, "shortanswer"),
    (202, "numerical"),
]


def test_moodle_examples_file_parses_to_the_expected_questions() -> None:
    questions = parse_gift(reference("examples.gift.txt"), "examples.gift.txt")
    assert len(questions) == 43
    assert [(q.line, q.type) for q in questions] == EXAMPLES_FILE_TYPES
    by_name = {q.name: q for q in questions if q.explicit_name}

    thanksgiving = questions[7]
    assert thanksgiving.text == (
        "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."
    )
    assert [(c.text, c.fraction) for c in thanksgiving.choices] == [
        ("second", 0.0),
        ("third", 0.0),
        ("fourth", 1.0),
    ]

    assert [(p.question, p.answer) for p in questions[14].pairs] == [
        ("Canada", "Ottawa"),
        ("Italy", "Rome"),
        ("Japan", "Tokyo"),
        ("India", "New Delhi"),
    ]
    assert questions[18].numerical_answers == (
        NumericalAnswer(1822.0, 0.0),
        NumericalAnswer(1822.0, 2.0, fraction=0.5),
    )
    markdown = questions[24]
    assert (markdown.format, markdown.text) == ("markdown", "Who's buried in **Grant's tomb**?")

    hometown = [q for q in questions if q.name == "Jesus' hometown"]
    assert [q.type for q in hometown] == ["multichoice", "shortanswer"]
    assert hometown[0].text == "Jesus Christ was from _____."
    assert [(c.text, c.fraction) for c in hometown[0].choices] == [
        ("Jerusalem", 0.0),
        ("Bethlehem", 0.25),
        ("Galilee", 0.5),
        ("Nazareth", 1.0),
    ]
    assert hometown[1].text == "Jesus Christ was from"
    assert [c.fraction for c in hometown[1].choices] == [1.0, 0.75, 0.25]

    control = by_name["GIFT Control Characters"]
    assert [c.text for c in control.choices] == ["~", "=", "#", "{", "}", "\\"]
    assert control.choices[5].fraction == 1.0
    assert control.choices[5].feedback.startswith("Correct! \\ (backslash) is not a control")
    assert control.choices[5].feedback.endswith("\n(as shown in this example).")

    assert by_name["Numerical example"].numerical_answers[1].feedback == (
        "He was born in 1822.\nYou get 50% credit for being close."
    )
    assert by_name["Kanji Origins"].choices == (Choice("China", 1.0, format="plain"),)
    assert [q.type for q in questions if q.type == "multiresponse"] == ["multiresponse"] * 2


def test_reference_files_have_no_problems() -> None:
    for name in ("questions.gift.txt", "examples.gift.txt"):
        assert check_gift(reference(name), name) == []


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("Q one {T}\n\n::Q2::\nWhat {=a ~b\n", 4, "'{' without a closing '}'"),
        ("Q {T}\n\nWhat =a ~b}", 3, "'}' without an opening '{'"),
        ("Q\n} odd {T}", 2, "'}' before the answer block"),
        ("Q {=a ~b}\nand {=c ~d}", 2, "'{' after the answer block"),
        ("Q {=a {b}", 1, "'{' inside an answer block: this is a second '{' before the '}'"),
        ("Q {\n~only one\n}", 1, "multiple choice needs at least 2 answers"),
        ("Q {\n=a -> 1\n=b 2\n}", 3, "must be written 'question -> answer'"),
        ("Q {\n=a -> 1\n=b ->\n}", 3, "'b' has no answer after '->'"),
        ("Q {= -> a = -> b}", 1, "at least one subquestion with text"),
        ("Q {#\n=1822\n=abc\n}", 3, "numerical answer 'abc' is not a number"),
        ("Q {#5:x}", 1, "numerical tolerance 'x' is not a number"),
        ("Q {#1..z}", 1, "numerical range '1..z'"),
        ("Q {#}", 1, "numerical question needs at least 1 answer"),
        ("Q {\n~a\n~%33%b\n}", 3, "weight 33% is not one of Moodle's grade values"),
        ("Q {~a ~%--50%b}", 1, "malformed answer weight"),
        ("Q {\n=a\n~#no text\n}", 3, "empty answer"),
        ("Q {#0}", 1, "answer '0' needs a leading '='"),
        ("$CATEGORY: one\nQ {T}", 2, "$CATEGORY: must be followed by a blank line"),
        ("::name::", 1, "neither text nor an answer block"),
        ("Q {~a ~b}\ue000", 1, "reserved character"),
    ],
)
def test_malformed_input_is_reported_with_its_line(text: str, line: int, fragment: str) -> None:
    problems = check_gift(text)
    assert [p.line for p in problems][:1] == [line], problems
    assert fragment in problems[0].message


def test_parse_gift_raises_one_error_listing_every_problem_as_path_line_message() -> None:
    text = "Good {T}\n\nBad {=a ~b\n\nAlso good {F}\n\n::Worse::{\n~x\n~%33%y\n}\n"
    with pytest.raises(GiftError) as caught:
        parse_gift(text, "courses/x/quiz.gift")
    assert caught.value.problems == [
        GiftProblem(3, "'{' without a closing '}' (escape it as \\{)"),
        GiftProblem(
            9, "answer weight 33% is not one of Moodle's grade values (nearest: 33.33333%)"
        ),
    ]
    assert str(caught.value).splitlines() == [
        "courses/x/quiz.gift:3: '{' without a closing '}' (escape it as \\{)",
        "courses/x/quiz.gift:9: answer weight 33% is not one of Moodle's grade values "
        "(nearest: 33.33333%)",
    ]
    assert isinstance(caught.value, ValueError)


def test_check_gift_returns_problems_without_raising() -> None:
    problems = check_gift("A {T}\n\nB {~x}", "quiz.gift")
    assert problems == [GiftProblem(3, "multiple choice needs at least 2 answers")]
    assert (
        problems[0].format("quiz.gift") == "quiz.gift:3: multiple choice needs at least 2 answers"
    )
    assert check_gift("A {T}") == []


def test_load_gift_names_the_file_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "quiz.gift"
    path.write_text("::Q::Fine {T}\n\n::Q2::Broken {~a\n", encoding="utf-8")
    with pytest.raises(GiftError, match=r"quiz\.gift:3: '\{' without"):
        load_gift(path)
    path.write_text("::Q::Fine {T}\n", encoding="utf-8")
    assert [q.name for q in load_gift(path)] == ["Q"]


# --------------------------------------------------------------------------- JSON


def test_to_json_has_exactly_the_documented_keys() -> None:
    data = to_json(parse_gift(reference("questions.gift.txt")))
    for item in data:
        assert set(item) == {
            "name", "type", "text", "format", "answers", "general_feedback", "idnumber", "tags",
        }  # fmt: skip
    json.dumps(data)  # serialisable as is


def test_to_json_choice_answers() -> None:
    [data] = to_json([one("[html]Q {=a#yes ~[plain]b}")])
    assert data["answers"] == [
        {"text": "a", "fraction": 1.0, "feedback": "yes", "format": "html"},
        {"text": "b", "fraction": 0.0, "feedback": "", "format": "plain"},
    ]


def test_to_json_truefalse_gives_two_answers_with_the_feedback_each_shows() -> None:
    [data] = to_json([one("Q {F#Not true.#Indeed false.}")])
    assert data["type"] == "truefalse"
    assert data["answers"] == [
        {"text": "True", "fraction": 0.0, "feedback": "Not true.", "format": "moodle"},
        {"text": "False", "fraction": 1.0, "feedback": "Indeed false.", "format": "moodle"},
    ]


def test_to_json_matching_and_numerical_shapes() -> None:
    [matching, numerical] = to_json(
        parse_gift("M {=a -> 1 = -> 2}\n\nN {#=5:1 =%50%1..9#near ~#no}")
    )
    assert matching["answers"] == [
        {"question": "a", "answer": "1"},
        {"question": "", "answer": "2"},
    ]
    assert numerical["answers"] == [
        {"value": 5.0, "tolerance": 1.0, "fraction": 1.0, "feedback": ""},
        {"min": 1.0, "max": 9.0, "fraction": 0.5, "feedback": "near"},
        {"value": None, "tolerance": 0.0, "fraction": 0.0, "feedback": "no"},
    ]


def test_to_json_essay_and_description_have_no_answers() -> None:
    data = to_json(parse_gift("E {}\n\nD is a description."))
    assert [(d["type"], d["answers"]) for d in data] == [("essay", []), ("description", [])]


# --------------------------------------------------------------------------- round trip

ROUND_TRIP_CASES = [
    "Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
    "Grant is {~buried =entombed ~living} in Grant's tomb.",
    "Q {=a =%100%b ~c}",
    "Q {=a ~%100%b}",
    "Q {~%100%only ~%-50%wrong ~%-50%also wrong}",
    "Q {=%50%a ~b}",
    "Q {~%0%%50%x =y}",
    "Q {~a#1=2 ~b}",
    "Q {T}",
    "Q {FALSE#wrong#right####general}",
    "Q {TRUE##right}",
    "Q {T#[html]<b>wrong</b>}",
    "Q {=Frog#Good! =%50%Cat =%0%*#Completely wrong}",
    "Q {=%50%%25%literal}",
    "Q {a->b#feedback}",
    "Q {=[plain][html]x}",
    "Match {=a -> 1 =[html]<b>b</b> -> 2 -> 3 = -> 4 ####[markdown]*done*}",
    "N {#1822}",
    "N {#3.1415:0.0005}",
    "N {#3.141..3.142}",
    "N {#=-5..-1 =%50%1e-05:2.5e-06#tiny ~#none}",
    "N {#=%50%*#catch-all first =5}",
    "E {}",
    "E {####[html]<p>general</p>}",
    "::D::[markdown]A *description*.",
    "::Esc\\: \\{x\\}::A \\~ \\= \\# \\{ \\} \\: \\\\ \\n b {=x\\#y#fb\\=z ~w}",
    "[html]<pre>{T}",
    "::::Empty name {T}",
    "::Fmt::[htmlX {T}",
    "::Fmt::[html{T}",
    "Missing word {=a =b} after.",
    'Ends with quote {#3:2~#Completely wrong}";',
    "$CATEGORY: top/Unit\\: 1\n\nQ {T}\n\n$CATEGORY: other\n\nR {F}",
]


@pytest.mark.parametrize("text", ROUND_TRIP_CASES)
def test_round_trip_keeps_the_json_and_the_questions(text: str) -> None:
    questions = parse_gift(text)
    exported = export_gift(questions)
    again = parse_gift(exported)
    assert to_json(again) == to_json(questions)
    assert again == questions  # formats, categories and feedback formats too


@pytest.mark.parametrize("name", ["questions.gift.txt", "examples.gift.txt"])
def test_round_trip_of_the_moodle_reference_files(name: str) -> None:
    questions = parse_gift(reference(name))
    exported = export_gift(questions)
    assert check_gift(exported) == []
    assert to_json(parse_gift(exported)) == to_json(questions)
    assert parse_gift(exported) == questions
    assert export_gift(parse_gift(exported)) == exported  # stable


def test_export_writes_moodle_style_gift() -> None:
    questions = parse_gift(reference("questions.gift.txt"))
    exported = export_gift(questions[2:3])
    assert exported == (
        "::Q2::What's between orange and green in the spectrum?{\n"
        "\t=yellow#right; good!\n"
        "\t~red#[html]wrong, it's yellow\n"
        "\t~[plain]blue#wrong, it's yellow\n"
        "}\n\n"
    )


def test_export_escapes_special_characters() -> None:
    question = Question(
        name="a::b",
        type="shortanswer",
        text="Line 1\nUse {braces} ~ = # : and \\",
        answers=(Choice("x=y", 1.0, "why #1", "plain"),),
    )
    exported = export_gift([question])
    assert exported == (
        "::a\\:\\:b::Line 1\\nUse \\{braces\\} \\~ \\= \\# \\: and \\\\{\n\t=x\\=y#why \\#1\n}\n\n"
    )
    assert parse_gift(exported) == [question]


def test_export_protects_text_that_looks_like_a_format_prefix() -> None:
    question = Question(name="q", type="essay", text="[html] is a tag")
    assert export_gift([question]).startswith("::q::[moodle][html] is a tag{")
    assert parse_gift(export_gift([question])) == [question]


def test_export_of_shortanswer_with_arrow_and_several_answers_is_refused() -> None:
    question = Question(
        name="q",
        type="shortanswer",
        text="t",
        answers=(Choice("a->b", 1.0, format="plain"), Choice("c", 1.0, format="plain")),
    )
    with pytest.raises(ValueError, match="cannot express"):
        export_gift([question])


def test_export_keeps_a_bare_short_answer_on_the_question_line() -> None:
    question = one("Q {//a->b#fb}")
    assert question.choices == (Choice("//a->b", 1.0, "fb", "plain"),)
    exported = export_gift([question])
    assert exported == "::Q::Q{//a->b#fb}\n\n"
    assert parse_gift(exported) == [question]


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (
            Question("q", "multiresponse", "t", answers=(Choice("a", 1 / 3), Choice("b", 0.0))),
            "differs in: answers",
        ),
        (
            Question("q", "multichoice", "t", answers=(Choice("a", 0.5), Choice("b", 0.0))),
            "differs in: type",
        ),
        (Question("q", "shortanswer", "t", answers=(Choice("a", 1.0),)), "differs in: answers"),
        (Question("q", "multichoice", "t", answers=(Choice("a", 0.33),)), "valid GIFT"),
        (Question("q", "description", ""), "valid GIFT"),
    ],
)
def test_export_refuses_questions_that_would_not_read_back_the_same(
    question: Question, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        export_gift([question])
