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

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.diff import DiffLine, changed, diff_lines
from app.digest.models import CASE_FIELDS

LABELS = {
    "title": _l("Title"),
    "slug": _l("Slug"),
    "kind": _l("Kind"),
    "country": _l("Country"),
    "region": _l("Region"),
    "court": _l("Court"),
    "court_level": _l("Court level"),
    "decision_date": _l("Decision date"),
    "decision_year": _l("Year of decision"),
    "stage": _l("Stage"),
    "outcome": _l("Outcome"),
    "offences": _l("Offences"),
    "protocol_articles": _l("Firearms Protocol articles"),
    "convention_articles": _l("Organized Crime Convention articles"),
    "modus_operandi": _l("Modus operandi"),
    "weapons": _l("Weapons"),
    "quantities": _l("Quantities"),
    "route_origin": _l("Route: origin"),
    "route_transit": _l("Route: transit"),
    "route_destination": _l("Route: destination"),
    "links": _l("Links"),
    "techniques": _l("Techniques"),
    "sentences": _l("Sentences"),
    "illustrative": _l("Illustrative"),
    "restricted": _l("Restricted"),
    "sources": _l("Sources"),
    "modules": _l("Course modules"),
    "status": _l("Status"),
}


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
        return str(_("yes") if value else _("no"))
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
        FieldChange(str(LABELS.get(name, name)), show(old.get(name)), show(new.get(name)))
        for name in (*CASE_FIELDS, "status")
        if not _same(old.get(name), new.get(name))
    ]
    body = diff_lines(str(old.get("body") or ""), str(new.get("body") or ""), context)
    return RevisionDiff(fields=fields, body=body)
