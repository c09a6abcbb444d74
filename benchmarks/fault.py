"""Fault test: SIGKILL gunicorn in the middle of writes, then check what survived.

    .venv/bin/python benchmarks/fault.py [--writers 6] [--seconds 4] [--rounds 4]

Writers reply in the forum (searchable writes: a post row and a search-outbox row in one
transaction) and sign up accounts (password hashing, mail to the outbox), all through the real
forms, while the server is killed with SIGKILL (master and workers at once). After each kill:
the database must pass `PRAGMA integrity_check`, every reply and sign-up the server acknowledged
(302) must be in it, and after `flask search worker --once` the search outbox must be empty and
every stored reply must be in the posts index. Odd rounds index inline after each commit (the
default), even rounds leave the indexing to the worker (SEARCH_INLINE_INDEXING=false), so the
outbox surely holds rows when the server dies.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed
from load import make_app
from site_setup import PASSWORD, Site, csrf_form, indexed_bodies, post, prepare, sign_in

MARKER = "faultcheck"


@dataclass
class Acknowledged:
    replies: list[str] = field(default_factory=list)
    sign_ups: list[str] = field(default_factory=list)


def replier(site: Site, session: tuple[str, str], name: str, topics: list[int],
            stop: threading.Event, done: Acknowledged) -> None:  # fmt: skip
    """Reply to random topics until stopped or the server is gone."""
    token, cookie = session
    rng = random.Random(name)
    for n in range(100_000):
        if stop.is_set():
            return
        marker = f"{MARKER}{name}x{n}"
        body = f"Synthetic reply written while the server may be killed, reference {marker}."
        try:
            status, _ = post(site.port, f"/forum/t/{rng.choice(topics)}/reply",
                             {"csrf_token": token, "body": body}, cookie)  # fmt: skip
        except OSError:
            return  # the server was killed
        if status == 302:
            done.replies.append(marker)
        else:
            print(f"  reply answered {status}")


def signer(site: Site, name: str, stop: threading.Event, done: Acknowledged) -> None:
    """Sign up accounts one after another until stopped or the server is gone."""
    for n in range(100_000):
        if stop.is_set():
            return
        email = f"{name}-{n}@example.org"
        try:
            token, cookie = csrf_form(site.port, "/sign-up")
            status, _ = post(
                site.port,
                "/sign-up",
                {"csrf_token": token, "email": email, "display_name": f"Writer {name} {n}",
                 "password": PASSWORD, "confirm": PASSWORD},
                cookie,
            )  # fmt: skip
        except (OSError, SystemExit):
            return
        if status == 302:
            done.sign_ups.append(email)


def check_database(site: Site, done: Acknowledged) -> tuple[list[str], dict[str, int]]:
    """Problems in the database after the kill, and {marker: post id} of the stored replies."""
    connection = sqlite3.connect(site.database)
    try:
        problems = []
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        emails = {row[0] for row in connection.execute("SELECT email FROM users")}
        stored = {
            body.rsplit(" ", 1)[-1].rstrip("."): post_id
            for post_id, body in connection.execute(
                "SELECT id, body FROM forum_posts WHERE body LIKE ?", (f"%{MARKER}%",)
            )
        }
        outbox = connection.execute("SELECT count(*) FROM search_outbox").fetchone()[0]
    finally:
        connection.close()
    lost_users = [e for e in done.sign_ups if e not in emails]
    lost_posts = [m for m in done.replies if m not in stored]
    if lost_users:
        problems.append(f"{len(lost_users)} acknowledged sign-ups lost, e.g. {lost_users[:3]}")
    if lost_posts:
        problems.append(f"{len(lost_posts)} acknowledged replies lost, e.g. {lost_posts[:3]}")
    print(f"  integrity_check: {integrity}; acknowledged: {len(done.replies)} replies "
          f"({len(done.replies) - len(lost_posts)} stored, {len(stored)} stored in all), "
          f"{len(done.sign_ups)} sign-ups ({len(done.sign_ups) - len(lost_users)} stored); "
          f"search outbox: {outbox} rows")  # fmt: skip
    return problems, stored


def index_catches_up(site: Site, stored: dict[str, int]) -> list[str]:
    """Drain the outbox with the worker; every stored reply must then be in the index."""
    keys = [str(post_id) for post_id in stored.values()]
    before = len(indexed_bodies(site, "posts", keys))
    print("  " + site.flask("search", "worker", "--once").strip())
    connection = sqlite3.connect(site.database)
    try:
        left = connection.execute("SELECT count(*) FROM search_outbox").fetchone()[0]
    finally:
        connection.close()
    found = indexed_bodies(site, "posts", keys)
    missing = [m for m, post_id in stored.items() if m not in found.get(str(post_id), "")]
    print(f"  posts index: {before} of {len(keys)} stored replies before the drain, "
          f"{len(keys) - len(missing)} after; outbox rows left: {left}")  # fmt: skip
    problems = [f"{left} search outbox rows not indexed"] if left else []
    if missing:
        problems.append(f"{len(missing)} stored replies not in the index, e.g. {missing[:3]}")
    return problems


def one_round(site: Site, number: int, args: argparse.Namespace, topics: list[int],
              done: Acknowledged) -> list[str]:  # fmt: skip
    inline = number % 2 == 1
    replies_before = len(done.replies)
    site.env["SEARCH_INLINE_INDEXING"] = "true" if inline else "false"
    site.start(args.workers)
    sessions = []  # signed in before the clock starts: the writes are what gets killed
    for i in range(args.writers - 1):
        cookie = sign_in(site.port, seed.poster_email(i))
        sessions.append(csrf_form(site.port, f"/forum/t/{topics[0]}/reply", cookie))
    stop = threading.Event()
    threads = [threading.Thread(target=signer, args=(site, f"r{number}s", stop, done))]
    threads += [
        threading.Thread(
            target=replier, args=(site, sessions[i], f"r{number}w{i}", topics, stop, done)
        )
        for i in range(args.writers - 1)
    ]
    for thread in threads:
        thread.start()
    time.sleep(args.seconds)
    site.kill()  # SIGKILL while the writers are mid-request
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    how = "inline indexing" if inline else "indexing left to the worker"
    print(f"round {number}: killed gunicorn (SIGKILL) after {args.seconds} s of writes ({how})")
    problems, stored = check_database(site, done)
    if len(done.replies) == replies_before:
        problems.append(f"round {number}: no reply was acknowledged, so the kill proved nothing")
    return problems + index_catches_up(site, stored)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=6, help="one signs up, the rest reply")
    parser.add_argument("--seconds", type=float, default=4.0, help="writes before the kill")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="fault-") as tmp:
        site = prepare(Path(tmp))
        app = make_app(site)
        seed.users(app, 10 * (args.writers + 1))
        first, last = seed.posts(app, 400)
        site.flask("search", "rebuild")
        done = Acknowledged()
        for number in range(1, args.rounds + 1):
            problems += one_round(site, number, args, list(range(first, last + 1)), done)
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))
    print("OK: the database survived every kill with every acknowledged write, "
          "and the index caught up from the outbox")  # fmt: skip


if __name__ == "__main__":
    main()
