"""Compare two revisions of a case: field by field, and the body line by line (difflib)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.digest.models import CASE_FIELDS

LABELS = {
    "title": "Title", "slug": "Slug", "kind": "Kind", "country": "Country", "region": "Region",
    "court": "Court", "court_level": "Court level", "decision_date": "Decision date",
    "decision_year": "Year of decision",
    "stage": "Stage", "outcome": "Outcome", "offences": "Offences",
    "protocol_articles": "Firearms Protocol articles",
    "convention_articles": "Organized Crime Convention articles",
    "modus_operandi": "Modus operandi", "weapons": "Weapons", "quantities": "Quantities",
    "route_origin": "Route: origin", "route_transit": "Route: transit",
    "route_destination": "Route: destination", "links": "Links", "techniques": "Techniques",
    "sentences": "Sentences", "illustrative": "Illustrative", "restricted": "Restricted",
    "sources": "Sources", "modules": "Course modules", "status": "Status",
}  # fmt: skip


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class BodyLine:
    op: str  # "same" | "added" | "removed" | "skip"
    text: str


@dataclass(frozen=True)
class RevisionDiff:
    fields: list[FieldChange]
    body: list[BodyLine]

    @property
    def body_changed(self) -> bool:
        return any(line.op in ("added", "removed") for line in self.body)

    @property
    def empty(self) -> bool:
        return not self.fields and not self.body_changed


def show(value: Any) -> str:
    """A field value as a reader would write it."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        separator = "; " if any(", " in str(v) for v in value) else ", "
        return separator.join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {val}" for key, val in value.items())
    return str(value)


def compare(old: Mapping[str, Any], new: Mapping[str, Any], context: int = 2) -> RevisionDiff:
    """What changed from snapshot `old` to snapshot `new`."""
    fields = [
        FieldChange(LABELS.get(name, name), show(old.get(name)), show(new.get(name)))
        for name in (*CASE_FIELDS, "status")
        if old.get(name) != new.get(name)
    ]
    old_lines = str(old.get("body") or "").splitlines()
    new_lines = str(new.get("body") or "").splitlines()
    body: list[BodyLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if body:
            body.append(BodyLine("skip", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                body.extend(BodyLine("same", line) for line in old_lines[i1:i2])
                continue
            body.extend(BodyLine("removed", line) for line in old_lines[i1:i2])
            body.extend(BodyLine("added", line) for line in new_lines[j1:j2])
    return RevisionDiff(fields=fields, body=body)
