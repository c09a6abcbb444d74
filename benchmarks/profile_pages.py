"""In-process cost of each page load.py measures: milliseconds per request, SQL statements, and a
cProfile of the pages asked for.

    .venv/bin/python benchmarks/profile_pages.py [--large] [--requests 200] [--profile lesson]

Builds the same throw-away site as load.py (the `make run` set, or the large set with `--large`),
signs the same members in through gunicorn once (to get their session cookies), then requests
each page with Flask's test client in this process: no network, no load generator, one core.
The time per request is the part of a page's cost the app controls; the ratio to the floor page
is what load.py's wrk ratio tends to when the server, not the network, is the bottleneck.
`--profile NAME` (a substring of a page's name, repeatable) prints the 25 functions with the most
time of their own, the 25 with the most cumulative time, and the app's own 25 by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path

import load
from flask import Flask
from flask.testing import FlaskClient
from site_setup import prepare
from sqlalchemy import event

from app.core.db import db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", action="store_true", help="the large data set (load.py's)")
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--profile", action="append", default=[], help="pages to profile")
    parser.add_argument("--sql", action="append", default=[], help="pages whose SQL to print")
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
