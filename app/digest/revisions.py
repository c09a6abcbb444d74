"""Compare two revisions of a case: field by field, and the body line by line with the changed
words marked inside a changed line (app/core/diff.py).

A list field whose items were only put in another order has not changed: the digest's lists
(offences, weapons, techniques, sources…) are sets of labels, and the search and the case page
do not depend on their order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.diff import DiffLine, changed, diff_lines
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


BodyLine = DiffLine


@dataclass(frozen=True)
class RevisionDiff:
    fields: list[FieldChange]
    body: list[BodyLine]

    @property
    def body_changed(self) -> bool:
        return changed(self.body)

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


def _same(old: Any, new: Any) -> bool:
    """Equal values, and lists with the same items in any order."""
    if isinstance(old, list) and isinstance(new, list):
        return sorted(map(str, old)) == sorted(map(str, new))
    return bool(old == new)


def compare(old: Mapping[str, Any], new: Mapping[str, Any], context: int = 2) -> RevisionDiff:
    """What changed from snapshot `old` to snapshot `new`."""
    fields = [
        FieldChange(LABELS.get(name, name), show(old.get(name)), show(new.get(name)))
        for name in (*CASE_FIELDS, "status")
        if not _same(old.get(name), new.get(name))
    ]
    body = diff_lines(str(old.get("body") or ""), str(new.get("body") or ""), context)
    return RevisionDiff(fields=fields, body=body)
