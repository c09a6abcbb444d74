"""In-process cost of each page load.py measures: milliseconds per request, SQL statements, and a
cProfile of the pages asked for.

    .venv/bin/python benchmarks/profile_pages.py [--large] [--requests 200] [--profile lesson]
        [--rendered]

Builds the same throw-away site as load.py (the `make run` set, or the large set with `--large`),
signs the same members in through gunicorn once (to get their session cookies), then requests
each page with Flask's test client in this process: no network, no load generator, one core.
The time per request is the part of a page's cost the app controls; the ratio to the floor page
is what load.py's wrk ratio tends to when the server, not the network, is the bottleneck.
`--profile NAME` (a substring of a page's name, repeatable) prints the 25 functions with the most
time of their own, the 25 with the most cumulative time, and the app's own 25 by cumulative time.
Pages kept per reader (app/core/http_cache.py) are measured as kept; `--rendered` drops them
before each request, to measure and profile their rendering.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

import load
from flask import Flask
from flask.testing import FlaskClient
from site_setup import prepare
from sqlalchemy import event

from app.core.db import db
from app.core.http_cache import forget_pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", action="store_true", help="the large data set (load.py's)")
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--profile", action="append", default=[], help="pages to profile")
    parser.add_argument("--sql", action="append", default=[], help="pages whose SQL to print")
    parser.add_argument(
        "--rendered", action="store_true",
        help="drop the kept pages before each request: the cost of rendering them",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-") as tmp:
        site = prepare(Path(tmp))
        app = load.make_app(site)
        topics = load.seed_all(app, site, args)
        site.start(1)
        try:
            measured = load.pages(site, topics[0])
        finally:
            site.stop()
        import bench_wsgi  # after make_app: the environment names this site's database

        client = bench_wsgi.app.test_client(use_cookies=False)
        if args.rendered:
            client = Rendering(bench_wsgi.app, client)  # type: ignore[assignment]
        # The members signed in through http.client, which sends no User-Agent: so does this
        # client, or Flask-Login would see another browser and rewrite the session each time.
        client.environ_base.pop("HTTP_USER_AGENT", None)
        rows = []
        for name, path, cookie in measured:
            headers = {"Cookie": cookie} if cookie else {}
            for _ in range(3):  # first-visit writes, caches, the searcher
                client.get(path, headers=headers)
            started = time.perf_counter()
            for _ in range(args.requests):
                response = client.get(path, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000 / args.requests
            statements = response.headers.get("X-Bench-SQL", "?")
            rows.append((name, elapsed, statements, len(response.data), response.status_code))
            if any(wanted in name for wanted in args.sql):
                print_statements(bench_wsgi.app, client, path, headers, name)
            if any(wanted in name for wanted in args.profile):
                profile(client, path, headers, args.requests, name)
    floor = rows[0][1]
    print(f"\n{'page':<28}{'ms/request':>11}{'floor/page':>11}{'SQL':>5}{'bytes':>8}{'status':>7}")
    for name, elapsed, statements, size, status in rows:
        print(f"{name:<28}{elapsed:>11.2f}{floor / elapsed:>10.2f}x{statements:>5}{size:>8}"
              f"{status:>7}")  # fmt: skip


class Rendering:
    """A test client that drops the pages the app keeps before each request, so that each is
    rendered (the cost of a first visit, or of a page whose reader or content just changed)."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app, self.client = app, client
        self.environ_base = client.environ_base

    def get(self, path: str, headers: dict[str, str]) -> Any:
        with self.app.app_context():
            forget_pages()
        return self.client.get(path, headers=headers)


def print_statements(app: Flask, client: FlaskClient, path: str, headers: dict[str, str],
                     name: str) -> None:  # fmt: skip
    """The SQL statements one request of the page runs, in order (parameters left out)."""
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split())[:300])

    engine = db.engine_for(app)
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(path, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    print(f"\n==== {name} ({path}): {len(statements)} statements")
    for number, statement in enumerate(statements, 1):
        print(f"{number:>3}. {statement}")


def profile(client: object, path: str, headers: dict[str, str], count: int, name: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        client.get(path, headers=headers)  # type: ignore[attr-defined]
    profiler.disable()
    listings = [("tottime", ()), ("cumulative", ()), ("cumulative", (r"/app/",))]
    for order, restriction in listings:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(*restriction, 25)
        what = f"by {order}" + (", the app's own functions" if restriction else "")
        print(f"\n==== {name} ({path}), {count} requests, {what}\n{out.getvalue()}")


if __name__ == "__main__":
    main()
