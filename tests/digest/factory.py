"""Case files and cases for the digest tests: a valid file, with any front matter key changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from app.core.db import db
from app.digest.files import read_cases
from app.digest.index import enqueue_case
from app.digest.services.loading import load_cases

COURSES_DIR = Path(__file__).resolve().parents[2] / "courses"
CASES_DIR = Path(__file__).resolve().parents[2] / "cases"

FRONT = {
    "title": '"Converted alarm pistols sold through a parcel network"',
    "kind": "case",
    "country": '"Portugal"',
    "region": "European Union",
    "court": '"Regional Court"',
    "court_level": "first-instance",
    "decision_date": "2019-06-14",
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


def load_folder(app: Flask, root: Path) -> None:
    """Check and load the case files of `root`, commit, and index them (inline drain)."""
    with app.app_context():
        files = read_cases(root)
        assert not files.problems, [str(p) for p in files.problems]
        load_cases(files.cases, on_change=enqueue_case)
        db.commit()


def add_cases(app: Flask, root: Path, cases: dict[str, dict[str, Any]]) -> None:
    """Write one file per slug (front matter overrides, `sections` for the body) and load them."""
    for slug, front in cases.items():
        front = dict(front)
        write_case(root, slug, front.pop("sections", None), **front)
    load_folder(app, root)


def summary(text: str) -> dict[str, str]:
    return {**SECTIONS, "Summary": text}
