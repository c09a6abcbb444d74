"""Write a case digest back in the canonical layout of `cases/<slug>.md`.

The canonical layout (docs/CONTENT.md, "Canonical layout of a case file"):

- the front matter keys in the order of `KEYS`, every key present;
- free text (title, country, court, each sentence) in double quotes, escaped as JSON strings are
  (a JSON string is a valid YAML double-quoted scalar);
- `decision_date` for a case with a full date, else `decision_year` (an illustrative case);
- controlled values, dates, numbers and booleans plain;
- lists in flow style `[a, b]`, an item quoted only when YAML would not read it back unchanged;
- `articles` as a block of `protocol` and `convention`; `quantities` and `route` as flow mappings
  holding only the quantities given (`{}` for none) and every route key (`{}` when all are empty);
- `sentences` as a block list of quoted texts, or `[]`;
- then the Markdown body without trailing blank lines, and one final newline.

`load → export` reproduces a file in this layout byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from app.core.db import db
from app.digest.models import CaseDigest, CaseStatus
from app.digest.vocab import QUANTITIES

KEYS = (
    "title", "kind", "country", "region", "court", "court_level", "decision", "stage", "outcome",
    "offences", "articles", "modus_operandi", "weapons", "quantities", "route", "links",
    "techniques", "sentences", "illustrative", "restricted", "sources", "modules",
)  # fmt: skip
ROUTE_KEYS = ("origin", "transit", "destination")
ARTICLE_KEYS = ("protocol", "convention")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON escaping is a subset of YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _item(value: Any) -> str:
    """A flow-list item: plain when YAML reads it back as the same text, quoted otherwise."""
    if isinstance(value, bool) or not isinstance(value, str):
        return json.dumps(value)
    plain = value
    try:
        if plain and yaml.safe_load(f"[{plain}]") == [value]:
            return plain
    except yaml.YAMLError:
        pass
    return quoted(value)


def flow_list(values: Sequence[Any]) -> str:
    return "[" + ", ".join(_item(v) for v in values) + "]"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return '""'
    return str(value)


def _quantities(quantities: Mapping[str, Any]) -> str:
    given = [f"{key}: {quantities[key]}" for key in QUANTITIES if quantities.get(key) is not None]
    return "{" + ", ".join(given) + "}"


def _route(route: Mapping[str, Sequence[str]]) -> str:
    if not any(route.get(key) for key in ROUTE_KEYS):
        return "{}"
    parts = [f"{key}: {flow_list(route.get(key) or [])}" for key in ROUTE_KEYS]
    return "{" + ", ".join(parts) + "}"


def render_front_matter(meta: Mapping[str, Any]) -> list[str]:
    """The front matter lines (without the --- fences) of a case in the canonical layout."""
    lines: list[str] = []
    for key in KEYS:
        value = meta.get(key)
        if key in ("title", "country", "court"):
            lines.append(f"{key}: {quoted(value or '')}")
        elif key == "articles":
            articles = value or {}
            lines.append("articles:")
            lines.extend(
                f"  {name}: {flow_list(articles.get(name) or [])}" for name in ARTICLE_KEYS
            )
        elif key == "quantities":
            lines.append(f"quantities: {_quantities(value or {})}")
        elif key == "route":
            lines.append(f"route: {_route(value or {})}")
        elif key == "sentences":
            if value:
                lines.append("sentences:")
                lines.extend(f"  - {quoted(sentence)}" for sentence in value)
            else:
                lines.append("sentences: []")
        elif key == "decision":  # the date when there is one, else the year alone
            day = meta.get("decision_date")
            if day is not None:
                lines.append(f"decision_date: {_scalar(day)}")
            else:
                lines.append(f"decision_year: {_scalar(meta.get('decision_year'))}")
        elif key in ("illustrative", "restricted"):
            lines.append(f"{key}: {_scalar(bool(value))}")
        elif isinstance(value, list | tuple):
            lines.append(f"{key}: {flow_list(value)}")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return lines


def render_case_file(meta: Mapping[str, Any], body: str) -> str:
    """The whole file: front matter, body, one final newline."""
    lines = ["---", *render_front_matter(meta), "---"]
    text = body.replace("\r\n", "\n").strip("\n")
    return "\n".join(lines) + "\n" + text + "\n"


def case_meta(case: CaseDigest) -> dict[str, Any]:
    """The front matter of a case, in the shape of the file format."""
    return {
        "title": case.title, "kind": case.kind, "country": case.country, "region": case.region,
        "court": case.court, "court_level": case.court_level,
        "decision_date": case.decision_date, "decision_year": case.decision_year,
        "stage": case.stage, "outcome": case.outcome,
        "offences": case.offences,
        "articles": {"protocol": case.protocol_articles, "convention": case.convention_articles},
        "modus_operandi": case.modus_operandi, "weapons": case.weapons,
        "quantities": case.quantities,
        "route": {"origin": case.route_origin, "transit": case.route_transit,
                  "destination": case.route_destination},
        "links": case.links, "techniques": case.techniques, "sentences": case.sentences,
        "illustrative": case.illustrative, "restricted": case.restricted,
        "sources": case.sources, "modules": case.modules,
    }  # fmt: skip


def case_file_text(case: CaseDigest) -> str:
    return render_case_file(case_meta(case), case.body)


def export_cases(folder: Path, *, published_only: bool = False) -> list[Path]:
    """Write `<slug>.md` for every case (drafts too unless `published_only`) into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    stmt = select(CaseDigest).order_by(CaseDigest.slug)
    if published_only:
        stmt = stmt.where(CaseDigest.status == CaseStatus.PUBLISHED)
    written = []
    for case in db.session.scalars(stmt):
        path = folder / f"{case.slug}.md"
        path.write_text(case_file_text(case), encoding="utf-8", newline="\n")
        written.append(path)
    return written
