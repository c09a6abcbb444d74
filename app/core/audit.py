"""Write and read the audit log."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _

from app.core.db import db
from app.core.models import AuditEntry


def record(
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: int | str,
    reason: str = "",
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to the current transaction."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        reason=reason,
        details=json.dumps(details, sort_keys=True, default=str) if details else "",
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def details_pairs(entry: AuditEntry) -> list[tuple[str, str]]:
    """The entry's details as (name, value) pairs in words; what is not JSON, as it is. The
    names are the stored keys (an audit record's own vocabulary); "none" is in the reader's
    language."""
    if not entry.details:
        return []
    try:
        data = json.loads(entry.details)
    except ValueError:
        return [(_("details"), entry.details)]
    if not isinstance(data, dict):
        return [(_("details"), str(data))]
    pairs = []
    for key, value in data.items():
        if isinstance(value, list):
            text = ", ".join(str(item) for item in value) or _("none")
        elif value is None or value == "":
            text = _("none")
        else:
            text = str(value)
        pairs.append((key.replace("_", " "), text))
    return pairs
