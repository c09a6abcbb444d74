"""HTTP caching: content-hashed static URLs kept a year, and ETags on pages visitors read.

Static files: every `url_for("static", filename=...)` carries `?v=<hash of the file>`; a request
whose `v` is the file's current hash is answered with `Cache-Control: public, max-age=31536000,
immutable` (a changed file gets a new URL, so browsers and proxies never revalidate). Without `v`,
or with an old one, the file is served with Flask's default revalidation.

Pages: `public_etag` gives a view an ETag made of the release (a hash of the templates and
static files), the content generation and the URL, for visitors only (a signed-in page names
its reader); a request whose `If-None-Match` matches is answered 304 before the view runs.
Compression is left to the reverse proxy (docs/DEPLOYMENT notes in docs/PERFORMANCE.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app, make_response, request, session
from flask_login import current_user

from app.core import generation
from app.core.i18n import reader_language

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


def public_etag(view: _V) -> _V:
    """Answer a visitor's repeated GET with 304 while the content and the release stay, and
    serve visitors the page rendered once per content generation.

    A page is kept only when it is the same for every visitor: answered 200, without a CSRF
    token (a form ties the page to one browser's session) and without touching the session.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        tag = _page_etag() if request.method in ("GET", "HEAD") else None
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
                body = response.get_data(as_text=True)
                if not session.modified and 'name="csrf_token"' not in body:
                    generation.store("page", tag, body)
        response.set_etag(tag)
        response.cache_control.no_cache = True  # keep it, but ask every time (cheaply)
        response.vary.add("Cookie")
        return response

    return cast(_V, wrapper)
