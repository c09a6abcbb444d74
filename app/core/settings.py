"""Site settings: switches an administrator changes on /admin/settings, read with a type.

Every setting is declared here with its default (`SETTINGS`); the `site_settings` table holds
only the values an administrator set. Features read them through `get_bool(key)`, which refuses
a key that is not declared, so a typo fails loudly instead of reading the default forever.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.core import audit
from app.core.db import db
from app.core.models import SiteSetting
from app.core.time import utcnow


@dataclass(frozen=True)
class BoolSetting:
    key: str
    label: str
    hint: str
    default: bool = False


REQUIRE_2FA_FOR_STAFF = "require_2fa_for_staff"

SETTINGS: tuple[BoolSetting, ...] = (
    BoolSetting(
        REQUIRE_2FA_FOR_STAFF,
        "Require a second factor for moderators and administrators",
        "A moderator or administrator without an authenticator app is sent to set one up "
        "after signing in, before any other page.",
    ),
)
DECLARED = {setting.key: setting for setting in SETTINGS}


def _parse(value: str) -> bool:
    return value == "true"


def get_bool(key: str) -> bool:
    """The value of the declared boolean setting `key` (its default until an admin sets it)."""
    setting = DECLARED[key]
    stored = db.session.scalar(select(SiteSetting.value).where(SiteSetting.key == key))
    return setting.default if stored is None else _parse(stored)


def values() -> dict[str, bool]:
    """Every declared setting with its current value, in declaration order."""
    stored = {
        key: value for key, value in db.session.execute(select(SiteSetting.key, SiteSetting.value))
    }
    return {
        key: _parse(stored[key]) if key in stored else setting.default
        for key, setting in DECLARED.items()
    }


def update(actor_id: int, new_values: dict[str, bool]) -> list[str]:
    """Store the values that changed, each with an audit entry (before and after); return the
    keys that changed. The caller checks that the actor may change settings."""
    before = values()
    changed = []
    for key, value in new_values.items():
        if key not in DECLARED or before[key] == value:
            continue
        row = db.session.get(SiteSetting, key)
        if row is None:
            row = SiteSetting(key=key, value="")
            db.session.add(row)
        row.value = "true" if value else "false"
        row.updated_at = utcnow()
        row.updated_by_id = actor_id
        audit.record(
            actor_id, "settings.update", "site_setting", key, before=before[key], after=value
        )
        changed.append(key)
    db.session.flush()
    return changed
