"""Password hashing (argon2) and the strength rules applied at sign-up, reset and change."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def _hasher(fast: bool) -> PasswordHasher:
    # The test suite uses cheap parameters; production keeps argon2-cffi's RFC 9106 defaults.
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def _current() -> PasswordHasher:
    return _hasher(bool(current_app.config.get("PASSWORD_HASH_FAST")))


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in _COMMON_FILE.read_text().splitlines())


def hash_password(password: str) -> str:
    return _current().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _current().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """Return why a password is not acceptable (in the reader's language), or None when it is."""
    minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password) < minimum:
        return str(_("Use at least %(count)s characters.", count=minimum))
    if len(password) > 256:
        return str(_("Use at most %(count)s characters.", count=256))
    lowered = password.lower()
    if lowered in common_passwords():
        return str(_("This password is too common; choose one that is harder to guess."))
    if len(set(password)) < 4:
        return str(_("Use a password with more varied characters."))
    local_part = email.split("@", 1)[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        display_name and display_name.lower() == lowered
    ):
        return str(_("Do not use your e-mail address or name as your password."))
    return None
