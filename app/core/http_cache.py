"""HTTP caching: content-hashed static URLs kept a year, pages kept per content generation and
reader, and ETags on pages visitors read.

Static files: every `url_for("static", filename=...)` carries `?v=<hash of the file>`; a request
whose `v` is the file's current hash is answered with `Cache-Control: public, max-age=31536000,
immutable` (a changed file gets a new URL, so browsers and proxies never revalidate). Without `v`,
or with an old one, the file is served with Flask's default revalidation.

Pages: `kept_page` serves a visitor's page rendered once per release (a hash of the templates
and static files), content generation, language and URL, with that as its ETag (a request whose
`If-None-Match` matches is answered 304 before the view runs); and a member's page rendered once
per (reader, their state counter, unread count, content generation, language, URL, minute), in
this process, with their CSRF token filled per request (app/core/member_state.py).
Compression is left to the reverse proxy (docs/DEPLOYMENT notes in docs/PERFORMANCE.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.core import generation, member_state, notifications
from app.core.i18n import reader_language
from app.core.time import utcnow

YEAR = 365 * 24 * 3600
_HASHES = "static_hashes"
_RELEASE = "release_hash"
_V = TypeVar("_V", bound=Callable[..., Any])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder or "")
    hashes = {
        path.relative_to(folder).as_posix(): _digest(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    app.extensions[_HASHES] = hashes
    release = hashlib.sha256()
    for name, value in hashes.items():
        release.update(f"{name}={value}\n".encode())
    templates = Path(app.root_path) / (app.template_folder or "templates")
    for path in sorted(templates.rglob("*.html")):
        release.update(path.relative_to(templates).as_posix().encode() + path.read_bytes())
    app.extensions[_RELEASE] = release.hexdigest()[:12]

    @app.url_defaults
    def _static_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values:
            digest = hashes.get(str(values.get("filename", "")))
            if digest:
                values["v"] = digest

    @app.after_request
    def _static_cache(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == hashes.get(filename):
                response.cache_control.no_cache = None
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
        return response


def _page_etag() -> str | None:
    """The ETag of this request's page for a visitor; None when the page is someone's."""
    if current_user.is_authenticated or session.get("_flashes"):
        return None
    # The page depends on the reader's language too (cookie, Accept-Language: app/core/i18n.py).
    parts = (
        f"{current_app.extensions.get(_RELEASE, '')}:{generation.current()}:"
        f"{reader_language()}:{request.full_path}"
    )
    return hashlib.sha256(parts.encode()).hexdigest()[:24]


def _member_key() -> tuple[Any, ...] | None:
    """The key of this request's page for the signed-in member; None when it cannot be kept.

    Everything the page can show of its reader is in it: who they are, their role, their
    state counter (any change of their own), their unread count, the language and the URL, and
    the minute (what no counter sees, such as a suspension ending, shows within a minute). The
    content generation is not: the pages are kept in a pool emptied when it moves on
    (`generation.keep`). Nor is the release: the copies live in this process, which runs one.
    """
    if session.get("_flashes"):
        return None
    user = current_user._get_current_object()
    state = member_state.current(user.id)
    if state is None:
        return None
    minute = utcnow().replace(second=0, microsecond=0)
    return (reader_language(), request.full_path, user.id, user.role, state,
            notifications.unread_count(user.id), minute)  # fmt: skip


_MEMBER_PAGES = "member_pages"  # generation.keep's pool: {key: html}
MEMBER_PAGE_LIMIT = 512  # pages kept per process before the oldest half is dropped
CSRF_HOLE = b"\x00csrf-token\x00"  # where the reader's CSRF token goes in a kept page


def _session_state() -> dict[str, Any]:
    """The session as a kept page depends on it (the CSRF secret aside: it is a hole)."""
    return {k: v for k, v in session.items() if k != "csrf_token"}


def _keep_member_page(key: tuple[Any, ...], response: Response, before: dict[str, Any]) -> None:
    """Keep a member's page if it is the same on their next visit: answered 200 as HTML by a
    request that wrote nothing and left the session as it found it (but for a CSRF token)."""
    if response.status_code != 200 or response.mimetype != "text/html":
        return
    if member_state.wrote() or generation.wrote() or generation.writes_pending():
        return
    if _session_state() != before or "Set-Cookie" in response.headers:
        return
    body = response.get_data()
    token = g.get("csrf_token")
    if token:
        body = body.replace(token.encode(), CSRF_HOLE)
    generation.keep(_MEMBER_PAGES, key, body, MEMBER_PAGE_LIMIT)


_TOKENS = "csrf_tokens"  # app.extensions: {a session's raw CSRF secret: its signed token}
TOKEN_LIMIT = 4096


def _csrf_token() -> str:
    """This browser's CSRF token. Tokens that never expire (WTF_CSRF_TIME_LIMIT None) are
    signed once per session secret and process, not on every request: the same token is as
    valid as a new one, and signing costs as much as the rest of a kept page."""
    if current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return str(generate_csrf())
    tokens: dict[str, str] = current_app.extensions.setdefault(_TOKENS, {})
    secret = session.get("csrf_token")
    token = tokens.get(secret) if isinstance(secret, str) else None
    if token is None:
        token = str(generate_csrf())
        if len(tokens) >= TOKEN_LIMIT:
            tokens.clear()
        tokens[session["csrf_token"]] = token
    g.csrf_token = token  # what Flask-WTF's csrf_token() gives the rest of this request
    return token


def _member_page(view: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    key = _member_key()
    if key is None:
        return view(*args, **kwargs)
    kept = generation.peek(_MEMBER_PAGES, key)
    if kept is not None:
        if CSRF_HOLE in kept:
            kept = kept.replace(CSRF_HOLE, _csrf_token().encode())
        return Response(kept, mimetype="text/html")
    before = _session_state()
    response = make_response(view(*args, **kwargs))
    _keep_member_page(key, response, before)
    return response


def forget_pages() -> None:
    """Drop the pages this process keeps (tests measure the path that renders with it)."""
    generation.forget("page")
    current_app.extensions.pop(_MEMBER_PAGES, None)


def kept_page(view: _V) -> _V:
    """Serve a page rendered once per content generation and reader, instead of per request.

    - A visitor's page is the same for every visitor of a language: it is kept when answered
      200 without a CSRF token (a form ties the page to one browser's session) and without
      touching the session, and a repeated GET with its ETag is answered 304.
    - A signed-in member's page is kept for that member until their own state, the content or
      the minute changes (`_member_key`); their CSRF token is a hole filled per request, so
      each of their browsers gets its own.

    Permission checks stay outside (the decorators above it, the blueprint's before_request),
    so they run on every request; what the view checks inside is the same for the same key.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.method not in ("GET", "HEAD"):
            return view(*args, **kwargs)
        if current_user.is_authenticated:
            return _member_page(view, args, kwargs)
        tag = _page_etag()
        if tag is None:
            return view(*args, **kwargs)
        if tag in request.if_none_match:
            response = Response(status=304)
        else:
            kept = generation.cached("page", tag, lambda: None)
            if kept is not None:
                response = Response(kept, mimetype="text/html")
            else:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200:
                    return response
                body = response.get_data()
                if not session.modified and b'name="csrf_token"' not in body:
                    generation.store("page", tag, body)
        response.set_etag(tag)
        response.cache_control.no_cache = True  # keep it, but ask every time (cheaply)
        response.vary.add("Cookie")
        return response

    return cast(_V, wrapper)
