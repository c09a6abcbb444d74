"""The site as gunicorn serves it in the benchmarks, plus the floor page and a statement count.

The floor page (`/_bench/floor`) is what a page of this size costs in this app and no more: a
Jinja template of 50 items, about 20 KB, compiled once, rendered through the same hooks
(session, CSP headers) as every page, with no SQL. Each measured page is compared with it.
Every response carries `X-Bench-SQL`: the SQL statements the request ran (a SQLAlchemy event
listener on the engine), so the load script can print statements per page. A request with
`X-Bench-Render: 1` finds no kept page (the worker drops them first): the statements of
rendering the page, where the others are those of serving the kept copy.
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, has_app_context, request
from sqlalchemy import event

from app import create_app
from app.core.db import db
from app.core.http_cache import forget_pages

app = create_app()

FLOOR = app.jinja_env.from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Floor page</title></head>
<body><main><h1>Floor page</h1><ol>
{% for item in items %}<li><h2>{{ item.title }}</h2><p>{{ item.text }}</p>
<p><a href="/cases/{{ item.slug }}">{{ item.slug }}</a> · {{ item.country }}
 · {{ item.year }}</p></li>
{% endfor %}</ol></main></body></html>"""
)
ITEMS = [
    {
        "title": f"Illustrative item number {n}: converted pistols sent by parcel",
        "text": "A workshop converted alarm pistols and a courier network delivered them; "
        "customs inspected a shipment and made a controlled delivery to the buyer. " * 2,
        "slug": f"item-{n}",
        "country": "Portugal",
        "year": 2000 + n % 24,
    }
    for n in range(50)
]


@app.route("/_bench/floor")
def floor() -> str:
    return FLOOR.render(items=ITEMS)


@app.before_request
def _render_asked() -> None:
    if request.headers.get("X-Bench-Render") == "1":
        forget_pages()


@event.listens_for(db.engine_for(app), "before_cursor_execute")
def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if has_app_context() and not statement.lstrip().upper().startswith(
        ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")
    ):
        g.bench_sql = g.get("bench_sql", 0) + 1


@app.after_request
def _statements(response: Response) -> Response:
    response.headers["X-Bench-SQL"] = str(g.get("bench_sql", 0))
    return response
