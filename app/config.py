"""Configuration: defaults, environment overrides, and the testing profile."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SAFE_ENVIRONMENTS = {"development", "testing"}


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, or a per-instance key for development."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(instance_path: Path, testing: bool = False) -> dict[str, Any]:
    """Build the configuration from defaults and environment variables."""
    env = "testing" if testing else os.environ.get("APP_ENV", "development")
    if env not in SAFE_ENVIRONMENTS and not os.environ.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set when APP_ENV is not development")
    production = env not in SAFE_ENVIRONMENTS
    if production and not os.environ.get("PUBLIC_BASE_URL"):
        raise RuntimeError("PUBLIC_BASE_URL must be set when APP_ENV is not development")
    return {
        "APP_ENV": env,
        "SECRET_KEY": "test-secret-key" if testing else _secret_key(instance_path),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance_path / 'platform.sqlite3'}"
        ),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(instance_path / "search")),
        "OUTBOX_DIR": str(instance_path / "outbox"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS"), True),
        "MAIL_SENDER": os.environ.get(
            "MAIL_SENDER", "Firearms Training Platform <no-reply@localhost>"
        ),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool(os.environ.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), production),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        # Links in e-mails and printed certificates; never taken from the request.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Host names the site answers to (besides PUBLIC_BASE_URL's); others get a 400.
        "ALLOWED_HOSTS": _list(os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost")),
        # How many reverse proxies stand in front (their X-Forwarded-For is trusted).
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "REMEMBER_COOKIE_DAYS": int(os.environ.get("REMEMBER_COOKIE_DAYS", "30")),
        # Addresses (after PROXY_COUNT) that may read /healthz details without signing in.
        "HEALTH_DETAIL_ADDRESSES": _list(os.environ.get("HEALTH_DETAIL_ADDRESSES", "")),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCKOUT_MINUTES": int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")),
        "PASSWORD_MIN_LENGTH": 10,
        "FORUM_PREMODERATE_FIRST": int(os.environ.get("FORUM_PREMODERATE_FIRST", "2")),
        "FORUM_FLAG_HIDE_SCORE": float(os.environ.get("FORUM_FLAG_HIDE_SCORE", "3")),
        "FORUM_RATE_LIMIT": os.environ.get("FORUM_RATE_LIMIT", "6 per minute;100 per day"),
        "FORUM_NEW_MEMBER_RATE_LIMIT": os.environ.get(
            "FORUM_NEW_MEMBER_RATE_LIMIT", "2 per minute;20 per day"
        ),
        "FORUM_NEW_MEMBER_POSTS": int(os.environ.get("FORUM_NEW_MEMBER_POSTS", "10")),
        "CONTENT_DIR": os.environ.get("CONTENT_DIR", str(Path(__file__).resolve().parent.parent)),
        # Languages a reader may choose and content may be translated into; English first (the
        # language of the originals and the fallback).
        "SUPPORTED_LANGUAGES": _list(os.environ.get("SUPPORTED_LANGUAGES", "en,fr,es")),
        # The right-to-left pseudo-locale (`lang` cookie ar-XB, app/core/i18n.py): a layout test,
        # never offered to readers; on by default only where it cannot reach them.
        "PSEUDO_RTL_LOCALE": _bool(os.environ.get("PSEUDO_RTL_LOCALE"), env in SAFE_ENVIRONMENTS),
    }


def testing_config(instance_path: Path) -> dict[str, Any]:
    """Settings for the test suite; the database URL comes from TEST_DATABASE_URL if set."""
    return {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": False,
        "SERVER_NAME": "localhost",  # builds URLs outside requests (Flask 3.1 matches any host)
        "PUBLIC_BASE_URL": "http://localhost",
        "PASSWORD_HASH_FAST": True,
        # Forum tests that are not about premoderation post as established members.
        "FORUM_PREMODERATE_FIRST": 0,
    }


def finalise(config: dict[str, Any]) -> None:
    """Derive the settings that depend on others, once every override is in."""
    host = urlsplit(str(config["PUBLIC_BASE_URL"])).hostname
    allowed = [*config["ALLOWED_HOSTS"], *([host] if host else [])]
    config.setdefault("TRUSTED_HOSTS", None)
    if config["TRUSTED_HOSTS"] is None:
        config["TRUSTED_HOSTS"] = list(dict.fromkeys(allowed))
    config["REMEMBER_COOKIE_DURATION"] = timedelta(days=int(config["REMEMBER_COOKIE_DAYS"]))
