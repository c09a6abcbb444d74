"""URL building and matching rules shared by every feature.

- `<int:…>` in every URL rule is bounded to what every database can hold as a key (PostgreSQL's
  INTEGER, 2**31-1): a larger number is simply not found (404) instead of an overflow deep in
  the driver (500 on SQLite past 2**63, on PostgreSQL past 2**31).
- Links that leave the site (e-mail, certificates, citations) are built from the configured
  public address (`PUBLIC_BASE_URL`), never from the request's Host header, which a client
  chooses freely.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` limited to 0 … MAX_ID unless a rule asks for other bounds."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL on the public address of the site, whatever host the request named."""
    base = str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, _external=False, **values)
    # A command (`flask alerts send`) has no request to build paths from: lend it one.
    with current_app.test_request_context(base_url=base):
        return base + url_for(endpoint, _external=False, **values)


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered: rules bind their converters when added."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.jinja_env.globals["external_url"] = external_url
