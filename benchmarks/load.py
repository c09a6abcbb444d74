"""Load test: gunicorn on 127.0.0.1 with a synthetic data set; requests/s and p50/p99 per page.

    .venv/bin/python benchmarks/load.py [--users 1000] [--requests 300] [--concurrency 8]

Every page is measured next to a minimal Flask page served by the same gunicorn in the same run;
the ratio to that page is the figure to compare between machines. Pages and data of features
that are not merged yet (digest, forum) are left out and named in the output. The client runs on
the same machine as the server (2 cores here), so absolute numbers are pessimistic.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_setup import PASSWORD, Site, csrf_form, get, has_feature, post, prepare, sign_in, timed

TRAINEE = "load-trainee@example.org"
PRACTITIONER = "load-practitioner@example.org"


def seed_users(site: Site, count: int) -> None:
    """Insert `count` confirmed users (one in ten a practitioner) sharing one password hash."""
    import os

    from sqlalchemy import insert

    from app import create_app
    from app.accounts.models import User
    from app.accounts.passwords import hash_password
    from app.core.db import db
    from app.core.time import utcnow

    os.environ.update(site.env)
    app = create_app({"DATABASE_URL": site.env["DATABASE_URL"]})
    with app.app_context():
        digest = hash_password(PASSWORD)
        now = utcnow()
        rows = [
            {
                "email": email,
                "display_name": f"Load user {n}",
                "password_hash": digest,
                "role": "practitioner" if n % 10 == 0 or email == PRACTITIONER else "trainee",
                "email_confirmed_at": now,
                "session_token": secrets.token_hex(16),
            }
            for n, email in enumerate(
                [TRAINEE, PRACTITIONER] + [f"load{n}@example.org" for n in range(count - 2)]
            )
        ]
        db.session.execute(insert(User), rows)
        db.commit()
    db.engine_for(app).dispose()


def seed_cases(site: Site, count: int) -> None:
    """After the digest merge: insert `count` synthetic cases through the digest's services."""
    print(f"  cases: app.digest is merged but the {count}-case seeder is not written yet (lead)")


def seed_posts(site: Site, count: int) -> None:
    """After the forum merge: insert topics and `count` posts, and index them."""
    print(
        f"  forum posts: app.forum is merged but the {count}-post seeder is not written yet (lead)"
    )


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


def pages(site: Site) -> list[tuple[str, str, str]]:
    """(name, path, cookie) of the pages to measure; the minimal page comes first."""
    port = site.port
    trainee = sign_in(port, TRAINEE)
    token, trainee = csrf_form(port, "/courses/first-line-awareness", trainee)
    post(port, "/courses/first-line-awareness/enrol", {"csrf_token": token}, trainee)
    lesson = first_link(
        port, "/modules/recognising-trafficking", r"/modules/[\w-]+/lessons/[\w-]+", trainee
    )
    found = [("minimal Flask page", "/_bench/minimal", ""), ("catalogue", "/courses", "")]
    if lesson:
        found.append(("lesson (signed in)", lesson, trainee))
    if has_feature("digest"):
        practitioner = sign_in(port, PRACTITIONER)
        found.append(("digest search", "/cases/?q=pistols", practitioner))
        case = first_link(port, "/cases/?q=pistols", r"/cases/[a-z0-9][\w-]*(?=\")", practitioner)
        if case:
            found.append(("case page", case, practitioner))
    if has_feature("forum"):
        practitioner = sign_in(port, PRACTITIONER)
        topic = first_link(port, "/forum/", r"/forum/t/\d+", practitioner)
        if topic:
            found.append(("topic page", topic, practitioner))
    return found


def concurrent_posting_check(site: Site) -> None:
    """After the forum merge: post from several threads while loading, then check that every
    accepted post is in the database and in the search index."""
    print("concurrent posting: app.forum is merged but this check is not written yet (lead)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--posts", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=300, help="per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        print("Preparing the data set:")
        site = prepare(Path(tmp))
        timed(f"{args.users} users", lambda: seed_users(site, args.users))
        if has_feature("digest"):
            timed(f"{args.cases} cases", lambda: seed_cases(site, args.cases))
        else:
            print("  cases: skipped (app.digest not merged)")
        if has_feature("forum"):
            timed(f"{args.posts} posts", lambda: seed_posts(site, args.posts))
        else:
            print("  forum posts: skipped (app.forum not merged)")
        if has_feature("search"):
            site.flask("search", "rebuild")
        site.start(args.workers)
        try:
            print(
                f"gunicorn -w {args.workers} on 127.0.0.1:{site.port}; "
                f"{args.requests} requests per page, {args.concurrency} concurrent clients"
            )
            results = [
                hammer(site.port, name, path, cookie, args.requests, args.concurrency)
                for name, path, cookie in pages(site)
            ]
            if has_feature("forum"):
                concurrent_posting_check(site)
            if any(r.errors for r in results):
                log = (site.folder / "gunicorn.log").read_text(errors="replace").splitlines()
                errors = [n for n, line in enumerate(log) if line.startswith("Traceback")]
                print("\n".join(log[errors[-1] : errors[-1] + 200]) if errors else "no traceback")
        finally:
            site.stop()
    base = results[0].rps
    print(f"\n{'page':<22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'vs minimal':>12}{'errors':>8}")
    for r in results:
        print(f"{r.name:<22}{r.rps:>8.1f}{r.percentile(50):>9.1f}{r.percentile(99):>9.1f}"
              f"{r.rps / base:>11.2f}x{r.errors:>8}")  # fmt: skip
    missing = [n for n in ("digest", "forum") if not has_feature(n)]
    if missing:
        print("not measured yet (not merged): " + ", ".join(missing))
    failed = {r.name: r.statuses for r in results if r.errors}
    if failed:
        raise SystemExit(f"some requests failed (status: count): {failed}")


if __name__ == "__main__":
    main()
