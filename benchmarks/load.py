"""Load test with wrk: each page's requests/s next to a floor page served by the same gunicorn.

    .venv/bin/python benchmarks/load.py [--large] [--duration 10] [--connections 16]
                                        [--threads 2] [--workers 2] [--posters 0]
                                        [--database-url postgresql+psycopg://…/bench]

Builds a throw-away site in a temporary folder: by default the data set of `make run` (both
courses, the 60 packaged cases, the forum's categories) plus 50 users and 400 forum posts (20
topics of 20); with `--large`, the benchmark set: 1,000 users, 10,000 cases, 100,000 posts
(benchmarks/seed.py). The database is a SQLite file in that folder with the Whoosh index; with
`--database-url` (or BENCH_DATABASE_URL) a PostgreSQL database, emptied first, with
SEARCH_BACKEND=postgres, as several app nodes run. It serves the site with `gunicorn -w 2`
(benchmarks/bench_wsgi.py: the app plus the floor page and an `X-Bench-SQL` statement count) and
drives each page with wrk (a load generator in C; `make bench-load` installs Debian's package
when missing), page after page.

The floor page is a 20 KB Jinja template of 50 items, compiled once, no SQL: the cost of a page
of that size in this app. Per page the script prints requests/s, p50/p99 latency, non-2xx
answers, SQL statements (of a request served as wrk finds it, the page kept, and of one that
renders it) and bytes of one request, and the ratio to the floor page. It prints the
1-minute load average before and after: a figure is worth recording only from a quiet machine
(load below 1.0 before the run), since wrk, gunicorn and anything else share the cores.
With `--posters N`, N members reply in the forum through the real form during the measurement;
afterwards every accepted reply must be in the database once and in the posts index.
Exits non-zero when a page answers anything but 200, or when no request of a page completed
within the duration (wrk then reports 0 requests/s).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

# This checkout's app (not another one installed in the venv), then the benchmark helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed
from site_setup import HOST, Site, csrf_form, indexed_bodies, post, prepare, sign_in, timed

MARKER = "loadcheck"
FLOOR = "floor page (20 KB, 50 items)"
WRK_HELP = (
    "wrk is needed (a load generator in C): `apt-get install -y wrk` on Debian, or build it from"
    " https://github.com/wg/wrk; `make bench-load` installs Debian's package when missing."
)


def make_app(site: Site) -> Flask:
    """The app in this process, on the benchmark database (for seeding and checking)."""
    os.environ.update(site.env)
    from app import create_app

    return create_app({"DATABASE_URL": site.env["DATABASE_URL"]})


@dataclass
class Probe:
    """One request's status, size and SQL statement count (the X-Bench-SQL header)."""

    status: int
    size: int
    statements: int
    body: str


def probe(port: int, path: str, cookie: str = "", render: bool = False) -> Probe:
    """One GET of `path`; `render` asks the worker to drop its kept pages first (bench_wsgi)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if render:
        headers["X-Bench-Render"] = "1"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        statements = int(response.getheader("X-Bench-SQL") or -1)
        return Probe(response.status, len(body), statements, body.decode(errors="replace"))
    finally:
        connection.close()


@dataclass
class Result:
    name: str
    path: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    non_2xx: int = 0
    socket_errors: int = 0
    statements: int = 0  # serving the kept copy, as wrk finds the page
    rendered: int = 0  # rendering it (X-Bench-Render)
    size: int = 0
    status: int = 0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", value)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def run_wrk(port: int, path: str, cookie: str, args: argparse.Namespace) -> dict[str, float]:
    """Drive one URL with wrk; return its requests/s, p50/p99 (ms), non-2xx and socket errors."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
               "--latency", "--timeout", "30s"]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    found["non_2xx"] = float(non_2xx.group(1)) if non_2xx else 0.0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    found["socket_errors"] = float(sum(map(int, errors.groups()))) if errors else 0.0
    return found


def first_link(port: int, path: str, pattern: str, cookie: str) -> str | None:
    page = probe(port, path, cookie)
    match = re.search(pattern, page.body) if page.status == 200 else None
    return match.group(1 if match.re.groups else 0) if match else None


def pages(site: Site, topic_id: int) -> list[tuple[str, str, str]]:
    """(name, path, cookie) of the pages to measure; the floor page comes first."""
    port = site.port
    trainee = sign_in(port, seed.TRAINEE)
    token, trainee = csrf_form(port, "/courses/first-line-awareness", trainee)
    post(port, "/courses/first-line-awareness/enrol", {"csrf_token": token}, trainee)
    module = "/modules/recognising-trafficking"
    lesson = first_link(port, module, r"/modules/[\w-]+/lessons/[\w-]+", trainee)
    practitioner = sign_in(port, seed.PRACTITIONER)
    search = "/cases?q=pistols"
    # A hit's title links its case (the first /cases/ link on the page is the saved searches').
    case = first_link(port, search, r'<h3><a href="(/cases/[a-z0-9][\w-]*)"', practitioner)
    category = first_link(port, "/forum/", r"/forum/c/[a-z0-9][\w-]*", practitioner)
    if not (lesson and case and category):
        raise SystemExit(f"no lesson ({lesson}), case ({case}) or category ({category}) to measure")
    return [
        (FLOOR, "/_bench/floor", ""),
        ("home", "/", ""),
        ("catalogue", "/courses", ""),
        ("course page", "/courses/first-line-awareness", trainee),
        ("module page", module, trainee),
        ("lesson (signed in)", lesson, trainee),
        ("digest search", search, practitioner),
        ("case page", case, practitioner),
        ("forum index", "/forum/", practitioner),
        ("category page", category, practitioner),
        ("topic page (20 posts)", f"/forum/t/{topic_id}", practitioner),
        ("dashboard", "/dashboard", trainee),
        ("glossary", "/glossary", ""),
    ]


@dataclass
class Posting:
    """Replies sent during the load: marker -> HTTP status."""

    sent: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def accepted(self) -> list[str]:
        return [marker for marker, status in self.sent.items() if status == 302]


def poster(site: Site, email: str, topics: list[int], posting: Posting, limit: int) -> None:
    """Reply to random topics through the form until stopped (at most `limit` replies)."""
    cookie = sign_in(site.port, email)
    token, cookie = csrf_form(site.port, f"/forum/t/{topics[0]}/reply", cookie)
    rng = random.Random(email)
    writer = email.split("@")[0].replace("-", "")
    for n in range(limit):
        if posting.stop.is_set():
            return
        marker = f"{MARKER}{writer}x{n}"
        body = f"Synthetic reply sent during the load test, reference {marker}."
        topic = rng.choice(topics)
        status, _ = post(
            site.port, f"/forum/t/{topic}/reply", {"csrf_token": token, "body": body}, cookie
        )
        with posting.lock:
            posting.sent[marker] = status
        time.sleep(0.05)


def check_posts(app: Flask, site: Site, posting: Posting) -> list[str]:
    """Every accepted reply is in the database once and, after a drain, in the posts index."""
    from sqlalchemy import select

    from app.core.db import db
    from app.forum.models import Post

    with app.app_context():
        rows = db.session.execute(
            select(Post.id, Post.body).where(Post.body.contains(MARKER))
        ).all()
    db.engine_for(app).dispose()
    stored: dict[str, list[int]] = {}
    for post_id, body in rows:
        found = re.search(rf"{MARKER}\w+", body)
        if found:
            stored.setdefault(found.group(0), []).append(post_id)
    accepted = posting.accepted
    before = indexed_bodies(site, "posts", [str(i) for ids in stored.values() for i in ids])
    print("  " + site.flask("search", "worker", "--once").strip())
    after = indexed_bodies(site, "posts", [str(i) for ids in stored.values() for i in ids])
    missing = [m for m in accepted if m not in stored]
    doubled = [m for m, ids in stored.items() if len(ids) > 1]
    unindexed = [m for m in accepted if m in stored and m not in after.get(str(stored[m][0]), "")]
    refused = {s: list(posting.sent.values()).count(s) for s in set(posting.sent.values())}
    print(f"concurrent posting: {len(posting.sent)} replies sent (status: count {refused}); "
          f"{len(accepted)} accepted, {len(accepted) - len(missing)} in the database, "
          f"{len(before)} indexed inline before the final drain, "
          f"{len(accepted) - len(unindexed)} in the index after it")  # fmt: skip
    problems = []
    if missing:
        problems.append(f"{len(missing)} accepted replies not in the database: {missing[:3]}")
    if doubled:
        problems.append(f"{len(doubled)} replies stored twice: {doubled[:3]}")
    if unindexed:
        problems.append(f"{len(unindexed)} accepted replies not in the index: {unindexed[:3]}")
    if len(accepted) != len(posting.sent):
        problems.append(f"replies refused: {refused}")
    return problems


def seed_all(app: Flask, site: Site, args: argparse.Namespace) -> list[int]:
    """Seed users, cases and posts; build the index; return the seeded topic ids."""
    users, cases, posts = (1000, 10000, 100000) if args.large else (50, 0, 400)
    print("Preparing the data set:" + (" the large set" if args.large else " make run's set"))
    timed(f"{users} users", lambda: seed.users(app, users))
    if cases:
        timed(f"cases up to {cases}", lambda: seed.cases(app, cases))
    made: list[tuple[int, int]] = []
    timed(f"{posts} posts", lambda: made.append(seed.posts(app, posts)))
    first, last = made[0]
    timed("flask search rebuild", lambda: print("    " + site.flask("search", "rebuild").strip()
                                              .replace("\n", "; ")))  # fmt: skip
    return list(range(first, last + 1))


def measure(
    site: Site, args: argparse.Namespace, topics: list[int]
) -> tuple[list[Result], Posting]:
    site.start(args.workers)
    posting = Posting()
    print(
        f"gunicorn -w {args.workers} on {HOST}:{site.port}; wrk -t{args.threads}"
        f" -c{args.connections} -d{args.duration}s per page; {args.posters} members posting"
    )
    results = []
    try:
        measured = pages(site, topics[0])
        posters = [
            threading.Thread(
                target=poster,
                args=(site, seed.poster_email(n), topics, posting, args.replies_per_poster),
            )
            for n in range(args.posters)
        ]
        for thread in posters:
            thread.start()
        for name, path, cookie in measured:
            probe(site.port, path, cookie)  # warm-up: first-visit writes, caches, searcher
            one = probe(site.port, path, cookie, render=True)  # rendered
            # Served as wrk will find it: each worker keeps its copy after its first rendering.
            kept = min(probe(site.port, path, cookie).statements for _ in range(6))
            found = run_wrk(site.port, path, cookie, args)
            results.append(
                Result(
                    name,
                    path,
                    found["rps"],
                    found["p50"],
                    found["p99"],
                    int(found["non_2xx"]),
                    int(found["socket_errors"]),
                    kept,
                    one.statements,
                    one.size,
                    one.status,
                )
            )
        posting.stop.set()
        for thread in posters:
            thread.join(timeout=120)
    finally:
        posting.stop.set()
        site.stop()
    return results, posting


def report(results: list[Result]) -> None:
    floor = results[0].rps or 1.0
    print(f"\n{'page':<28}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'vs floor':>10}"
          f"{'non-2xx':>9}{'SQL':>5}{'SQL rendering':>14}{'bytes':>8}")  # fmt: skip
    for r in results:
        print(f"{r.name:<28}{r.rps:>8.1f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.rps / floor:>9.2f}x"
              f"{r.non_2xx:>9}{r.statements:>5}{r.rendered:>14}{r.size:>8}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--large", action="store_true", help="1,000 users, 10,000 cases, 100,000 posts"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--posters", type=int, default=0, help="members replying during load")
    parser.add_argument("--replies-per-poster", type=int, default=200)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="a PostgreSQL database to empty and use, with SEARCH_BACKEND=postgres"
        " (default: SQLite and Whoosh in a temporary folder)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit(WRK_HELP)
    if args.database_url and not args.database_url.startswith("postgresql"):
        parser.error("--database-url takes a PostgreSQL URL (postgresql+psycopg://…)")
    started = time.monotonic()
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min)")
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        site = prepare(Path(tmp), args.database_url)
        print(f"database: {site.env['DATABASE_URL']}; search: {site.env['SEARCH_BACKEND']}")
        app = make_app(site)
        topics = seed_all(app, site, args)
        print(f"load average before the measurement: {os.getloadavg()[0]:.2f} (1 min)")
        results, posting = measure(site, args, topics)
        print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")
        problems = check_posts(app, site, posting) if args.posters else []
    report(results)
    print(f"(whole run {time.monotonic() - started:.0f} s)")
    problems += [f"{r.name}: answered {r.status}" for r in results if r.status != 200]
    problems += [f"{r.name}: {r.non_2xx} non-2xx answers" for r in results if r.non_2xx]
    problems += [
        f"{r.name}: no request completed in {args.duration} s (raise --duration)"
        for r in results
        if r.rps == 0
    ]
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))
    print("OK: every page answered 200 under load")


if __name__ == "__main__":
    main()
