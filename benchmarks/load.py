"""Load test: gunicorn on 127.0.0.1 with a synthetic data set; requests/s and p50/p99 per page.

    .venv/bin/python benchmarks/load.py [--users 1000] [--cases 10000] [--posts 100000]
                                        [--requests 300] [--concurrency 8] [--posters 4]

Seeds users, case digests and forum posts in bulk (benchmarks/seed.py), builds the search index,
then measures each page next to a minimal Flask page served by the same gunicorn in the same
run: the ratio to that page is the figure to compare between machines. While the pages are
measured, `--posters` members reply in the forum through the real form; afterwards every reply
the server accepted must be in the database and, once the outbox is drained, in the search
index. The client runs on the same machine as the server (2 cores here), so absolute numbers are
pessimistic. Exits non-zero on any failed request or missing post.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed
from site_setup import Site, csrf_form, get, indexed_bodies, post, prepare, sign_in, timed

MARKER = "loadcheck"


def make_app(site: Site) -> Flask:
    """The app in this process, on the benchmark database (for seeding and checking)."""
    os.environ.update(site.env)
    from app import create_app

    return create_app({"DATABASE_URL": site.env["DATABASE_URL"]})


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def hammer(port: int, name: str, path: str, cookie: str, requests: int, threads: int) -> Result:
    """Send `requests` GETs from `threads` threads; every answer must be 200."""
    result = Result(name)
    left = iter(range(requests))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if next(left, None) is None:
                    return
            start = time.perf_counter()
            status, _ = get(port, path, cookie)
            elapsed = time.perf_counter() - start
            with lock:
                result.latencies.append(elapsed)
                result.errors += status != 200
                result.statuses[status] = result.statuses.get(status, 0) + 1

    get(port, path, cookie)  # warm-up: first-request caches, searcher open
    begin = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    result.seconds = time.perf_counter() - begin
    return result


def first_link(port: int, path: str, pattern: str, cookie: str) -> str | None:
    status, body = get(port, path, cookie)
    match = re.search(pattern, body.decode()) if status == 200 else None
    return match.group(0) if match else None


def pages(site: Site, topic_id: int) -> list[tuple[str, str, str]]:
    """(name, path, cookie) of the pages to measure; the minimal page comes first."""
    port = site.port
    trainee = sign_in(port, seed.TRAINEE)
    token, trainee = csrf_form(port, "/courses/first-line-awareness", trainee)
    post(port, "/courses/first-line-awareness/enrol", {"csrf_token": token}, trainee)
    lesson = first_link(
        port, "/modules/recognising-trafficking", r"/modules/[\w-]+/lessons/[\w-]+", trainee
    )
    practitioner = sign_in(port, seed.PRACTITIONER)
    search = "/cases?q=pistols"
    case = first_link(port, search, r"/cases/[a-z0-9][\w-]*(?=\")", practitioner)
    if not (lesson and case):
        raise SystemExit(f"no lesson ({lesson}) or case ({case}) link to measure")
    return [
        ("minimal Flask page", "/_bench/minimal", ""),
        ("catalogue", "/courses", ""),
        ("lesson (signed in)", lesson, trainee),
        ("digest search", search, practitioner),
        ("case page", case, practitioner),
        ("topic page", f"/forum/t/{topic_id}", practitioner),
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
    print("Preparing the data set:")
    timed(f"{args.users} users", lambda: seed.users(app, args.users))
    timed(f"cases up to {args.cases}", lambda: seed.cases(app, args.cases))
    made: list[tuple[int, int]] = []
    timed(f"{args.posts} posts", lambda: made.append(seed.posts(app, args.posts)))
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
        f"gunicorn -w {args.workers} on 127.0.0.1:{site.port}; {args.requests} requests per page,"
        f" {args.concurrency} concurrent clients, {args.posters} members posting"
    )
    try:
        measured = pages(site, topics[len(topics) // 2])
        posters = [
            threading.Thread(
                target=poster,
                args=(site, seed.poster_email(n), topics, posting, args.replies_per_poster),
            )
            for n in range(args.posters)
        ]
        for thread in posters:
            thread.start()
        results = [
            hammer(site.port, name, path, cookie, args.requests, args.concurrency)
            for name, path, cookie in measured
        ]
        posting.stop.set()
        for thread in posters:
            thread.join(timeout=120)
        if any(r.errors for r in results) or 500 in posting.sent.values():
            log = (site.folder / "gunicorn.log").read_text(errors="replace").splitlines()
            errors = [n for n, line in enumerate(log) if line.startswith("Traceback")]
            print("\n".join(log[errors[-1] : errors[-1] + 60]) if errors else "no traceback")
    finally:
        posting.stop.set()
        site.stop()
    return results, posting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--posts", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=300, help="per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--posters", type=int, default=4, help="members replying during load")
    parser.add_argument("--replies-per-poster", type=int, default=200)
    args = parser.parse_args()
    if args.users < 10 * (args.posters + 1):
        raise SystemExit("--users must leave a practitioner for each poster (1 in 10)")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        site = prepare(Path(tmp))
        app = make_app(site)
        topics = seed_all(app, site, args)
        results, posting = measure(site, args, topics)
        problems = check_posts(app, site, posting)
    base = results[0].rps
    print(f"\n{'page':<22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'vs minimal':>12}{'errors':>8}")
    for r in results:
        print(f"{r.name:<22}{r.rps:>8.1f}{r.percentile(50):>9.1f}{r.percentile(99):>9.1f}"
              f"{r.rps / base:>11.2f}x{r.errors:>8}")  # fmt: skip
    print(f"(whole run {time.monotonic() - started:.0f} s)")
    problems += [f"{r.name}: {r.statuses}" for r in results if r.errors]
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))
    print("OK: every request answered 200; every accepted reply is in the database and the index")


if __name__ == "__main__":
    main()
