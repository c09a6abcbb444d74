"""Site settings: switches and limits an administrator changes on /admin/settings, read with a
type.

Every setting is declared here with its default (`SETTINGS` for switches, `VALUE_SETTINGS` for
numbers and rate limits, whose default is the application's configuration value); the
`site_settings` table holds only the values an administrator set, so every app node reads the
same. Features read them through `get_bool(key)`, `get_int(key)` and `get_text(key)`, which refuse
a key that is not declared, so a typo fails loudly instead of reading the default forever.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from limits import parse_many
from sqlalchemy import select

from app.core import audit
from app.core.db import db
from app.core.errors import ServiceError
from app.core.models import SiteSetting
from app.core.time import utcnow


@dataclass(frozen=True)
class BoolSetting:
    # label and hint are lazy strings: declared at import, shown in the reader's language.
    key: str
    label: str
    hint: str
    default: bool = False


REQUIRE_2FA_FOR_STAFF = "require_2fa_for_staff"

SETTINGS: tuple[BoolSetting, ...] = (
    BoolSetting(
        REQUIRE_2FA_FOR_STAFF,
        _l("Require a second factor for moderators and administrators"),
        _l(
            "A moderator or administrator without an authenticator app is sent to set one up "
            "after signing in, before any other page."
        ),
    ),
)
DECLARED = {setting.key: setting for setting in SETTINGS}


@dataclass(frozen=True)
class ValueSetting:
    """A number ("int") or a flask-limiter rate limit ("limit"), defaulting to `config_key`."""

    key: str
    label: str
    hint: str
    config_key: str
    kind: str = "int"
    minimum: int = 0
    maximum: int = 1000


FORUM_RATE_LIMIT = "forum_rate_limit"
FORUM_NEW_MEMBER_RATE_LIMIT = "forum_new_member_rate_limit"
FORUM_NEW_MEMBER_POSTS = "forum_new_member_posts"
FORUM_PREMODERATE_FIRST = "forum_premoderate_first"
FORUM_FLAG_HIDE_SCORE = "forum_flag_hide_score"

VALUE_SETTINGS: tuple[ValueSetting, ...] = (
    ValueSetting(FORUM_RATE_LIMIT, _l("Posting limit for members"),
                 _l("New topics, replies and edits per member, e.g. “6 per minute;100 per day”."),
                 "FORUM_RATE_LIMIT", kind="limit"),
    ValueSetting(FORUM_NEW_MEMBER_RATE_LIMIT, _l("Posting limit for new members"),
                 _l("The tighter limit until a member has enough approved posts."),
                 "FORUM_NEW_MEMBER_RATE_LIMIT", kind="limit"),
    ValueSetting(FORUM_NEW_MEMBER_POSTS, _l("Approved posts before a member is no longer new"),
                 _l("0 gives every member the normal limit at once."), "FORUM_NEW_MEMBER_POSTS"),
    ValueSetting(FORUM_PREMODERATE_FIRST, _l("Posts of a new member that wait for approval"),
                 _l("Pre-moderation: a member's first posts go to the review queue; "
                    "0 turns it off."),
                 "FORUM_PREMODERATE_FIRST", maximum=50),
    ValueSetting(FORUM_FLAG_HIDE_SCORE, _l("Flags that hide a post until a moderator decides"),
                 _l("Each member's flag weighs 1, a moderator's flag this much."),
                 "FORUM_FLAG_HIDE_SCORE", minimum=1, maximum=100),
)  # fmt: skip
VALUES_DECLARED = {setting.key: setting for setting in VALUE_SETTINGS}


def _stored(key: str) -> str | None:
    return db.session.scalar(select(SiteSetting.value).where(SiteSetting.key == key))


def _default(setting: ValueSetting) -> str:
    return str(current_app.config[setting.config_key])


def get_text(key: str) -> str:
    """The value of the declared value setting `key`, as text (a rate limit)."""
    setting = VALUES_DECLARED[key]
    stored = _stored(key)
    return _default(setting) if stored is None else stored


def get_int(key: str) -> int:
    """The value of the declared number setting `key`."""
    value = get_text(key)
    try:
        return int(float(value))
    except ValueError:
        return int(float(_default(VALUES_DECLARED[key])))


def value_settings() -> dict[str, str]:
    """Every declared value setting with its current value, in declaration order."""
    stored = {
        key: value
        for key, value in db.session.execute(
            select(SiteSetting.key, SiteSetting.value).where(SiteSetting.key.in_(VALUES_DECLARED))
        )
    }
    return {key: stored.get(key, _default(setting)) for key, setting in VALUES_DECLARED.items()}


def check_value(setting: ValueSetting, raw: str) -> str:
    """The value as stored, or ServiceError saying what a valid one looks like."""
    text = " ".join(raw.split())
    if setting.kind == "limit":
        try:
            parsed = parse_many(text)
        except ValueError:
            parsed = []
        if not text or not parsed:
            raise ServiceError(
                _(
                    "%(setting)s: write a limit such as “6 per minute;100 per day”.",
                    setting=setting.label,
                )
            )
        return text
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or not setting.minimum <= number <= setting.maximum:
        raise ServiceError(
            _(
                "%(setting)s: a whole number from %(minimum)s to %(maximum)s.",
                setting=setting.label,
                minimum=setting.minimum,
                maximum=setting.maximum,
            )
        )
    return str(number)


def update_values(actor_id: int, new_values: dict[str, str]) -> list[str]:
    """Check every value first (nothing is stored if one is invalid), then store those that
    changed, each with an audit entry (before and after); return the keys that changed."""
    before = value_settings()
    checked = {
        key: check_value(VALUES_DECLARED[key], raw)
        for key, raw in new_values.items()
        if key in VALUES_DECLARED
    }
    changed = [key for key, value in checked.items() if before[key] != value]
    for key in changed:
        _store(actor_id, key, checked[key], before[key], checked[key])
    db.session.flush()
    return changed


def _store(actor_id: int, key: str, stored: str, before: object, after: object) -> None:
    """Keep one setting's new value and audit it with its value before and after."""
    row = db.session.get(SiteSetting, key)
    if row is None:
        row = SiteSetting(key=key, value="")
        db.session.add(row)
    row.value = stored
    row.updated_at = utcnow()
    row.updated_by_id = actor_id
    audit.record(actor_id, "settings.update", "site_setting", key, before=before, after=after)


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
    changed = [key for key, value in new_values.items() if key in DECLARED and before[key] != value]
    for key in changed:
        value = new_values[key]
        _store(actor_id, key, "true" if value else "false", before[key], value)
    db.session.flush()
    return changed
