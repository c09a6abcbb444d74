"""Case files and cases for the digest tests: a valid file, with any front matter key changed.

Plain builders of files: `case_text`, `write_case`, `summary`. Fixtures (registered in
tests/conftest.py): `load_case_files`, `make_cases`, `load_packaged_cases`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.core.db import db
from app.digest.files import read_cases
from app.digest.index import enqueue_case
from app.digest.services.loading import load_cases

LoadCaseFiles = Callable[[Path], None]
MakeCases = Callable[..., Path]
LoadPackagedCases = Callable[..., int]

COURSES_DIR = Path(__file__).resolve().parents[2] / "courses"
CASES_DIR = Path(__file__).resolve().parents[2] / "cases"

FRONT = {
    "title": '"Converted alarm pistols sold through a parcel network"',
    "kind": "case",
    "country": '"Portugal"',
    "region": "European Union",
    "court": '"First-instance criminal court"',
    "court_level": "first-instance",
    "decision_year": "2019",
    "stage": "final",
    "outcome": "conviction",
    "offences": "[illicit-trafficking]",
    "articles": "\n  protocol: [5, 9]\n  convention: [5]",
    "modus_operandi": "[conversion-alarm-blank, postal-courier]",
    "weapons": "[pistols, converted-weapons]",
    "quantities": "{firearms: 40, ammunition: 2000}",
    "route": "{origin: [Türkiye], transit: [Bulgaria], destination: [Portugal]}",
    "links": "[organized-crime]",
    "techniques": "[controlled-delivery]",
    "sentences": '\n  - "Organiser: 7 years\' imprisonment"',
    "illustrative": "true",
    "restricted": "false",
    "sources": "[CTOC/COP/WG.6/2020/1]",
    "modules": "[deactivation-conversion-new-technologies]",
}
SECTIONS = {
    "Summary": "A workshop converted alarm pistols and a courier network delivered them.",
    "Facts": "The organiser bought blank-firing pistols and bored out the barrels.",
    "Investigation": "Customs inspected a shipment and made a controlled delivery.",
    "Prosecution and decision": "The organiser was convicted of illicit trafficking.",
    "Commentary": "Conversion is a known route to live-firing weapons.",
    "Good practices": "- Trace the converted pistols to the seller of the blank-firing models.",
    "Sources": "CTOC/COP/WG.6/2020/1. An illustrative composite.",
}


def case_text(sections: dict[str, str] | None = None, **front: Any) -> str:
    """A case file; `front` replaces front matter values (YAML text), None drops a key."""
    values = {**FRONT, **front}
    lines = ["---"]
    lines += [f"{key}: {value}" for key, value in values.items() if value is not None]
    lines.append("---")
    for heading, text in (sections or SECTIONS).items():
        lines += [f"## {heading}", "", text, ""]
    return "\n".join(lines)


def write_case(root: Path, slug: str, sections: dict[str, str] | None = None, **front: Any) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{slug}.md"
    path.write_text(case_text(sections, **front), encoding="utf-8")
    return path


@pytest.fixture
def load_case_files(app: Flask) -> LoadCaseFiles:
    """Check and load the case files of a folder, commit, and index them (inline drain)."""

    def factory(root: Path) -> None:
        with app.app_context():
            files = read_cases(root)
            assert not files.problems, [str(p) for p in files.problems]
            load_cases(files.cases, on_change=enqueue_case)
            db.commit()

    return factory


@pytest.fixture
def make_cases(load_case_files: LoadCaseFiles, tmp_path: Path) -> MakeCases:
    """Write one case file per slug (front matter overrides, `sections` for the body) and load
    the folder (`root`, by default the test's cases/ folder); returns the folder."""

    def factory(cases: dict[str, dict[str, Any]], root: Path | None = None) -> Path:
        root = root or tmp_path / "cases"
        for slug, front in cases.items():
            front = dict(front)
            write_case(root, slug, front.pop("sections", None), **front)
        load_case_files(root)
        return root

    return factory


@pytest.fixture
def load_packaged_cases(app: Flask) -> LoadPackagedCases:
    """Load files of cases/ (all, or those in `slugs`) into the database and the index."""

    def factory(slugs: tuple[str, ...] | None = None, *, index: bool = True) -> int:
        with app.app_context():
            files = read_cases(CASES_DIR)
            assert not files.problems, files.problems
            chosen = [case for case in files.cases if slugs is None or case.slug in slugs]
            load_cases(chosen, on_change=enqueue_case if index else None)
            db.commit()
        return len(chosen)

    return factory


def summary(text: str) -> dict[str, str]:
    return {**SECTIONS, "Summary": text}
