"""Accounts pages, thin: parse the request, call a service, render or redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for
from flask_login import login_user

from app.accounts.models import User
from app.accounts.services import sessions


def safe_next(target: str | None) -> str:
    """Follow `next` only to a path on this site."""
    if not target:
        return url_for("core.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("core.index")
    return target


def sign_in_browser(user: User, remember: bool = False) -> None:
    """Start a sign-in for this browser (the SignIn row its cookies will carry) and log in."""
    sessions.start(user, remember, request.user_agent.string, request.remote_addr or "")
    login_user(user, remember=remember)
