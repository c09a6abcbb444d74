"""Changing the site settings (`app/core/settings.py` declares them): administrators only,
each change audited with its value before and after."""

from __future__ import annotations

from app.accounts import policy
from app.accounts.models import User
from app.core import settings


def update(actor: User, values: dict[str, bool]) -> list[str]:
    """Store the settings that changed; return their keys."""
    policy.can_edit_site_settings.require(actor)
    return settings.update(actor.id, values)
