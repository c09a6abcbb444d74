"""Time helpers: the platform stores naive UTC datetimes (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from babel import Locale
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_decimal
from flask_babel import get_locale


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime, the form stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def reader_locale() -> Locale:
    """The locale of the request or of `force_locale` (an e-mail in its recipient's language);
    English outside both."""
    return get_locale() or Locale("en")


def format_datetime(value: datetime | None, with_time: bool = True) -> str:
    """A stored (naive UTC) time in the reader's language: "07 Dec 2026, 14:05 UTC" in English,
    "07 déc. 2026, 14:05 UTC" in French."""
    if value is None:
        return ""
    pattern = "dd MMM y, HH:mm 'UTC'" if with_time else "dd MMM y"
    return babel_format_datetime(value, pattern, tzinfo=UTC, locale=reader_locale())


def format_number(value: int | float | None) -> str:
    """A count or figure with the reader's separators: 10,000 in English, 10 000 in French."""
    if value is None:
        return ""
    return format_decimal(value, locale=reader_locale())


def plural_category(value: int) -> str:
    """CLDR's plural category of `value` in the reader's language ("one", "many", "other"), for
    a figure whose noun comes as a (one, many) pair: 0 is "one" in French, "other" in English."""
    return str(reader_locale().plural_form(value))
