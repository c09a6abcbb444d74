"""`flask content export-cases DIR`: load → export gives the files back byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.frontmatter import parse
from app.digest.files import read_case, read_cases
from app.digest.files_writer import case_file_text, render_case_file
from app.digest.models import CaseDigest
from tests.digest.curation_helpers import CASES_DIR, case_form
from tests.digest.factory import LoadPackagedCases


def test_load_then_export_gives_identical_files(
    runner: FlaskCliRunner, tmp_path: Path, load_packaged_cases: LoadPackagedCases
) -> None:
    assert load_packaged_cases(index=False) == 60
    result = runner.invoke(args=["content", "export-cases", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Wrote 60 case files" in result.output
    originals = sorted(CASES_DIR.glob("*.md"))
    exported = sorted((tmp_path / "out").glob("*.md"))
    assert [p.name for p in exported] == [p.name for p in originals]
    different = [
        p.name for p in originals if p.read_bytes() != (tmp_path / "out" / p.name).read_bytes()
    ]
    assert different == []


def test_an_edited_case_round_trips_through_its_file(
    app: Flask, client: FlaskClient, login: Callable[..., User], runner: FlaskCliRunner,
    tmp_path: Path,
) -> None:  # fmt: skip
    login("moderator")
    awkward = case_form(
        title='A "quoted" title: with a colon, #hash and \u2013 dash',
        country="Côte d'Ivoire",
        court="",
        route_origin="Bosnia and Herzegovina, yes, 1990",
        route_transit="",
        route_destination="",
        sentences='Organiser: 7 years\' imprisonment\nCourier: "suspended" sentence',
        quantity_firearms="0",
        quantity_ammunition="",
        quantity_explosives="12",
        convention_articles="5, 18",
    )
    assert client.post("/cases/new", data=awkward).status_code == 302
    out = tmp_path / "out"
    assert runner.invoke(args=["content", "export-cases", str(out)]).exit_code == 0
    text = (out / "fuel-tank-courier.md").read_text(encoding="utf-8")
    assert 'title: "A \\"quoted\\" title: with a colon, #hash and \u2013 dash"\n' in text
    assert 'route: {origin: [Bosnia and Herzegovina, "yes", "1990"], transit: [], ' in text
    assert "quantities: {firearms: 0, explosives: 12}\n" in text
    assert 'court: ""\n' in text
    case, problems = read_case(text, "fuel-tank-courier.md", "fuel-tank-courier")
    assert problems == [] and case is not None
    with app.app_context():
        stored = db.session.scalar(select(CaseDigest))
        assert stored is not None
        for name, value in case.fields.items():
            assert getattr(stored, name) == value, name
        # The file read back renders to the same bytes.
        assert render_case_file_from_fields(case.fields) == text


def render_case_file_from_fields(fields: dict[str, object]) -> str:
    return case_file_text(CaseDigest(**fields))


def test_export_leaves_out_drafts_when_asked(
    app: Flask, client: FlaskClient, login: Callable[..., User], runner: FlaskCliRunner,
    tmp_path: Path,
) -> None:  # fmt: skip
    login("moderator")
    client.post("/cases/new", data=case_form())
    result = runner.invoke(args=["content", "export-cases", "--published-only", str(tmp_path)])
    assert "Wrote 0 case files" in result.output
    assert list(tmp_path.glob("*.md")) == []


def test_packaged_files_are_in_the_canonical_layout() -> None:
    files = read_cases(CASES_DIR)
    assert not files.problems
    for path in sorted(CASES_DIR.glob("*.md")):
        doc, _ = parse(path.read_text(encoding="utf-8"), path.name)
        assert doc is not None
        assert render_case_file(doc.meta, doc.body) == path.read_text(encoding="utf-8"), path.name
