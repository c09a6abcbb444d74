"""Changing the site settings (`app/core/settings.py` declares them): administrators only,
each change audited with its value before and after."""

from __future__ import annotations

from app.accounts import policy
from app.accounts.models import User
from app.core import settings


def update(
    actor: User, values: dict[str, bool], numbers: dict[str, str] | None = None
) -> list[str]:
    """Store the settings that changed; return their keys. An invalid number or limit raises
    ServiceError before anything is stored."""
    policy.can_edit_site_settings.require(actor)
    for key, raw in (numbers or {}).items():
        settings.check_value(settings.VALUES_DECLARED[key], raw)
    changed = settings.update(actor.id, values)
    return changed + settings.update_values(actor.id, numbers or {})
