"""Accounts pages, thin: parse the request, call a service, render or redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None) -> str:
    """Follow `next` only to a path on this site."""
    if not target:
        return url_for("core.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("core.index")
    return target
