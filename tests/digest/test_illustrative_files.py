"""`flask content check` keeps composites from passing for judgments: an illustrative case gives a
year, never a full date, and a court level, never a court's name; real cases keep both."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app.core.db import db
from app.digest.files_writer import case_file_text
from app.digest.models import CaseDigest
from tests.digest.factory import SECTIONS, write_case

NO_COURT = "an illustrative case names no court"


def _check(runner: FlaskCliRunner, cases: Path) -> tuple[int, list[str]]:
    result = runner.invoke(args=["content", "check", "--cases", str(cases)])
    return result.exit_code, result.output.splitlines()


def _line(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def test_an_illustrative_case_with_a_full_date_is_refused(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    path = write_case(root, "dated-composite", decision_year=None, decision_date="2019-06-14")
    code, lines = _check(runner, root)
    assert code == 1
    assert lines == [
        f"cases/dated-composite.md:{_line(path, 'decision_date')}: an illustrative case gives "
        "'decision_year', not a full 'decision_date' (write decision_year: 2019): an exact date "
        "makes a composite look citable"
    ]


def test_a_date_and_a_year_together_or_neither_are_refused(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    both = write_case(root, "both", illustrative="false", decision_date="2019-06-14")
    neither = write_case(root, "neither", decision_year=None)
    odd = write_case(root, "odd-year", decision_year='"2019-2020"')
    code, lines = _check(runner, root)
    assert code == 1
    assert sorted(lines) == [
        f"cases/both.md:{_line(both, 'decision_year')}: give 'decision_date' or "
        "'decision_year', not both",
        "cases/neither.md:1: missing required key 'decision_date' (a real case) or "
        "'decision_year' (an illustrative case)",
        f"cases/odd-year.md:{_line(odd, 'decision_year')}: 'decision_year' must be a year such "
        "as 2019",
    ]
    assert _line(neither, "title") == 2


def test_an_illustrative_case_names_no_court_in_its_fields_or_text(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    named = write_case(root, "named-court", court='"Court for Serious Crimes"')
    sections = {
        **SECTIONS,
        "Prosecution and decision": "The case went up.\n\nThe Supreme Court of Spain upheld it.",
    }
    in_text = write_case(
        root, "court-in-text", sections, title='"Pistols before the High Court"',
        sentences='\n  - "Organiser: 7 years (Audiencia Nacional)"',
    )  # fmt: skip
    code, lines = _check(runner, root)
    assert code == 1
    text = in_text.read_text(encoding="utf-8").splitlines()
    supreme = text.index("The Supreme Court of Spain upheld it.") + 1
    assert sorted(lines) == sorted(
        [
            f"cases/named-court.md:{_line(named, 'court:')}: {NO_COURT}: give a level such as "
            "'First-instance criminal court', 'Appeal court' or 'Court of last instance', not "
            "'Court for Serious Crimes'",
            f"cases/court-in-text.md:{_line(in_text, 'title')}: {NO_COURT}: 'High Court' reads as "
            "the name of a real court (say 'the trial court', 'the appeal court')",
            f"cases/court-in-text.md:{_line(in_text, 'sentences')}: {NO_COURT}: 'Audiencia' reads "
            "as the name of a real court (say 'the trial court', 'the appeal court')",
            f"cases/court-in-text.md:{supreme}: {NO_COURT}: 'Supreme Court of Spain' reads as the "
            "name of a real court (say 'the trial court', 'the appeal court')",
        ]
    )


def test_court_levels_and_plain_words_about_courts_pass(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    sections = {
        **SECTIONS,
        "Prosecution and decision": "The trial court convicted; the appeal court and then the "
        "court of last instance upheld it. Court records were kept.",
    }
    for slug, court in [("first", "First-instance criminal court"),
                        ("appeal", "Appeal court (in the country of the workshop)"),
                        ("last", "Court of last instance (cassation)"), ("none", "")]:  # fmt: skip
        write_case(root, slug, sections, court=f'"{court}"')
    code, lines = _check(runner, root)
    assert (code, lines) == (0, ["4 cases: no problems."])


def test_a_real_case_keeps_its_court_and_date_through_load_and_export(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    write_case(
        root, "real-judgment", illustrative="false", court='"Supreme Court"',
        court_level="supreme", decision_year=None, decision_date="2020-03-05",
    )  # fmt: skip
    write_case(root, "composite")
    assert runner.invoke(args=["content", "load", "--cases", str(root)]).exit_code == 0
    with app.app_context():
        real = db.session.scalar(select(CaseDigest).where(CaseDigest.slug == "real-judgment"))
        made_up = db.session.scalar(select(CaseDigest).where(CaseDigest.slug == "composite"))
        assert real is not None and made_up is not None
        assert (str(real.decision_date), real.decision_year, real.court) == (
            "2020-03-05",
            2020,
            "Supreme Court",
        )
        assert (made_up.decision_date, made_up.decision_year) == (None, 2019)
        real_text, made_up_text = case_file_text(real), case_file_text(made_up)
    assert "decision_date: 2020-03-05\nstage:" in real_text and "decision_year" not in real_text
    assert "decision_year: 2019\nstage:" in made_up_text and "decision_date" not in made_up_text
