"""`flask content check|load` for cases/: problems as path:line, idempotent loads, revisions."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.core.db import db
from app.digest.models import CaseDigest, CaseRevision
from tests.digest.factory import SECTIONS, case_text, write_case
from tests.learning.factory import write_course


def _run(runner: FlaskCliRunner, command: str, cases: Path) -> tuple[int, list[str]]:
    args = ["content", command, "--cases", str(cases)]  # modules: from the real courses/
    result = runner.invoke(args=args)
    return result.exit_code, result.output.splitlines()


def _line(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_the_packaged_cases_and_courses_pass_the_check(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "60 cases: no problems."
    assert "courses and" in result.output.splitlines()[0]


def test_check_reports_each_problem_as_path_line_message(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    write_case(root, "good-case")
    bad = write_case(
        root, "bad-case", region="Atlantis", weapons="[pistols, ray-guns]",
        decision_date='"last spring"', decision_year=None, sources="[NOT-A-SOURCE]",
        modules="[no-such-module]",
        restricted="maybe", colour="blue",
    )  # fmt: skip
    sections = {k: v for k, v in SECTIONS.items() if k != "Commentary"}
    sections["Epilogue"] = "Not a section of a digest."
    write_case(root, "no-commentary", sections)
    (root / "Bad Name.md").write_text(case_text(), encoding="utf-8")
    text = bad.read_text(encoding="utf-8")
    other = (root / "no-commentary.md").read_text(encoding="utf-8")

    code, lines = _run(runner, "check", root)

    assert code == 1
    body_line = _line(other, "## Summary")
    assert sorted(lines) == sorted(
        [
            "cases/Bad Name.md:1: the file name must be a slug: lowercase letters, digits, hyphens",
            f"cases/bad-case.md:{_line(text, 'colour')}: unknown key 'colour'",
            f"cases/bad-case.md:{_line(text, 'region')}: 'region' must be one of "
            "Caribbean, Central America and Mexico, Central Asia, East and Southern Africa, "
            "Eastern Europe, European Union, Global, North Africa and Middle East, "
            "North America, Oceania, Sahel, South America, South Asia, South-East Asia, "
            "West and Central Africa, Western Balkans",
            f"cases/bad-case.md:{_line(text, 'decision_date')}: 'decision_date' must be a date "
            "written YYYY-MM-DD",
            f"cases/bad-case.md:{_line(text, 'restricted')}: 'restricted' must be true or false",
            f"cases/bad-case.md:{_line(text, 'weapons')}: 'weapons' has unknown value 'ray-guns' "
            "(allowed: pistols, revolvers, rifles, shotguns, assault-rifles, submachine-guns, "
            "machine-guns, light-weapons, parts-and-components, ammunition, converted-weapons, "
            "3d-printed-firearms, explosives)",
            f"cases/bad-case.md:{_line(text, 'sources')}: unknown source 'NOT-A-SOURCE'",
            f"cases/no-commentary.md:{_line(other, '## Epilogue')}: unknown section 'Epilogue'",
            f"cases/no-commentary.md:{body_line}: missing section '## Commentary'",
        ]
    )


def test_check_reports_unknown_modules_and_references(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    sections = {**SECTIONS, "Commentary": "Compare [[case:ghost-case]] and [[module:ghost]]."}
    path = write_case(root, "linked", sections, modules="[no-such-module]")
    code, lines = _run(runner, "check", root)
    ref_line = _line(path.read_text(encoding="utf-8"), "Compare")
    assert code == 1
    assert lines == [
        "cases/linked.md:1: unknown course module 'no-such-module'",
        f"cases/linked.md:{ref_line}: reference to unknown case 'ghost-case'",
        f"cases/linked.md:{ref_line}: reference to unknown module 'ghost'",
    ]


def test_load_refuses_a_folder_with_problems(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    write_case(root, "fine-case")
    write_case(root, "broken-case", outcome="victory")
    code, lines = _run(runner, "load", root)
    assert code == 1
    assert any(line.startswith("cases/broken-case.md:") for line in lines)
    with app.app_context():
        assert db.session.scalar(select(func.count(CaseDigest.id))) == 0


def _revisions(slug: str) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(CaseRevision.number, CaseRevision.reason)
        .join(CaseDigest)
        .where(CaseDigest.slug == slug)
        .order_by(CaseRevision.number)
    )
    return [(row.number, row.reason) for row in rows]


def test_load_is_idempotent_and_records_a_revision_only_on_change(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    write_case(root, "first-case")
    write_case(root, "second-case", country='"Chile"', region="South America")

    code, lines = _run(runner, "load", root)
    assert code == 0, lines
    assert lines[-1] == "Loaded 2 cases: 2 new, 0 changed, 0 unchanged."
    code, lines = _run(runner, "load", root)
    assert lines[-1] == "Loaded 2 cases: 0 new, 0 changed, 2 unchanged."
    with app.app_context():
        assert _revisions("first-case") == [(1, "loaded from file")]

    write_case(root, "first-case", weapons="[revolvers]")
    (root / "second-case.md").unlink()
    code, lines = _run(runner, "load", root)
    assert lines[-1] == "Loaded 1 cases: 0 new, 1 changed, 0 unchanged."
    with app.app_context():
        assert _revisions("first-case") == [(1, "loaded from file"), (2, "loaded from file")]
        assert _revisions("second-case") == [(1, "loaded from file")]
        first = db.session.scalar(select(CaseDigest).where(CaseDigest.slug == "first-case"))
        assert first is not None and first.weapons == ["revolvers"]
        revision = db.session.scalar(
            select(CaseRevision).where(CaseRevision.case_id == first.id, CaseRevision.number == 2)
        )
        assert revision is not None and revision.author_id is None
        assert revision.snapshot["weapons"] == ["revolvers"]
        assert revision.snapshot["body"].startswith("## Summary")
        assert db.session.scalar(select(func.count(CaseDigest.id))) == 2  # nothing deleted


def test_load_stores_every_structured_field(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    write_case(root, "full-case")
    assert _run(runner, "load", root)[0] == 0
    with app.app_context():
        case = db.session.scalar(select(CaseDigest).where(CaseDigest.slug == "full-case"))
        assert case is not None
        assert (case.title, case.country, case.region, case.court_level, case.outcome) == (
            "Converted alarm pistols sold through a parcel network", "Portugal",
            "European Union", "first-instance", "conviction",
        )  # fmt: skip
        assert case.decision_date is None and case.decision_year == 2019
        assert (case.protocol_articles, case.convention_articles) == ([5, 9], [5])
        assert case.quantities == {"firearms": 40, "ammunition": 2000}
        assert (case.route_origin, case.route_transit, case.route_destination) == (
            ["Türkiye"], ["Bulgaria"], ["Portugal"],
        )  # fmt: skip
        assert case.sentences == ["Organiser: 7 years' imprisonment"]
        assert case.illustrative is True and case.restricted is False
        assert case.status == "published"
        assert case.modules == ["deactivation-conversion-new-technologies"]


def test_check_reports_the_problems_of_every_source(runner: FlaskCliRunner, tmp_path: Path) -> None:
    write_course(tmp_path / "courses")
    course = tmp_path / "courses" / "basics" / "course.md"
    course.write_text(course.read_text().replace("level: introductory", "level: expert"))
    write_case(tmp_path / "cases", "broken-case", kind="rumour", modules="[basics-m1]")
    args = ["content", "check", "--courses", str(tmp_path / "courses"),
            "--cases", str(tmp_path / "cases")]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "courses/basics/course.md:4: 'level' must be one of advanced, intermediate, introductory",
        "cases/broken-case.md:3: 'kind' must be one of case, operation",
    ]


def test_load_loads_courses_then_cases(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    write_course(tmp_path / "courses")
    write_case(tmp_path / "cases", "module-case", modules="[basics-m1]")
    args = ["content", "load", "--courses", str(tmp_path / "courses"),
            "--cases", str(tmp_path / "cases")]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Loaded 1 courses, 2 modules")
    assert lines[1] == "Loaded 1 cases: 1 new, 0 changed, 0 unchanged."


def test_check_reports_sections_out_of_order_repeated_or_empty(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "cases"
    swapped = dict(reversed(list(SECTIONS.items())))
    swapped_text = write_case(root, "swapped", swapped).read_text(encoding="utf-8")
    path = write_case(root, "empty-facts", {**SECTIONS, "Facts": ""})
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n## Summary\n\nAgain.\n", encoding="utf-8")
    code, lines = _run(runner, "check", root)
    again = len(text.splitlines()) + 2
    assert code == 1
    assert lines == [
        f"cases/empty-facts.md:{_line(text, '## Facts')}: section 'Facts' is empty",
        f"cases/empty-facts.md:{again}: section 'Summary' is repeated",
        f"cases/swapped.md:{_line(swapped_text, '## Sources')}: sections must come in the order: "
        "Summary, Facts, Investigation, "
        "Prosecution and decision, Commentary, Good practices, Sources",
    ]
