"""Fault test: SIGKILL gunicorn in the middle of writes, then check what survived.

    .venv/bin/python benchmarks/fault.py [--writers 6] [--seconds 4] [--rounds 3]

Writers sign up new accounts through the real form (CSRF, password hashing, mail to the outbox)
while the server is killed with SIGKILL (master and workers at once). Afterwards the database
must pass `PRAGMA integrity_check`, every sign-up the server acknowledged (302) must be in it,
and, when the search feature is merged, the index must catch up from the search outbox.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_setup import PASSWORD, Site, csrf_form, has_feature, post, prepare


def writer(site: Site, name: str, stop: threading.Event, accepted: list[str]) -> None:
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
        except OSError:
            return  # the server was killed
        if status == 302:
            accepted.append(email)


def check(site: Site, accepted: list[str]) -> list[str]:
    """Return the problems found in the database after the kill."""
    connection = sqlite3.connect(site.database)
    try:
        problems = []
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        stored = {row[0] for row in connection.execute("SELECT email FROM users")}
        lost = [email for email in accepted if email not in stored]
        if lost:
            problems.append(f"{len(lost)} acknowledged sign-ups lost, e.g. {lost[:3]}")
        kept = len(accepted) - len(lost)
        print(f"  integrity_check: {integrity}; {len(accepted)} acknowledged sign-ups, "
              f"{kept} in the database, {len(stored)} users in all")  # fmt: skip
        return problems
    finally:
        connection.close()


def search_catches_up(site: Site) -> list[str]:
    """With the search feature: drain the outbox after the kill and check that it is empty."""
    if not has_feature("search"):
        print("  search index: skipped (app.search not merged)")
        return []
    connection = sqlite3.connect(site.database)
    try:
        waiting = connection.execute("SELECT count(*) FROM search_outbox").fetchone()[0]
    finally:
        connection.close()
    site.flask("search", "worker", "--once")
    connection = sqlite3.connect(site.database)
    try:
        left = connection.execute("SELECT count(*) FROM search_outbox").fetchone()[0]
    finally:
        connection.close()
    print(
        f"  search outbox: {waiting} rows after the kill, {left} after `flask search worker --once`"
    )
    print("  " + site.flask("search", "status").strip().replace("\n", "\n  "))
    return [f"{left} search outbox rows not indexed"] if left else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=4.0, help="writes before the kill")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="fault-") as tmp:
        site = prepare(Path(tmp))
        accepted: list[str] = []
        for round_ in range(1, args.rounds + 1):
            site.start(args.workers)
            stop = threading.Event()
            threads = [
                threading.Thread(target=writer, args=(site, f"r{round_}w{i}", stop, accepted))
                for i in range(args.writers)
            ]
            for thread in threads:
                thread.start()
            time.sleep(args.seconds)
            site.kill()  # SIGKILL while the writers are mid-request
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            print(f"round {round_}: killed gunicorn (SIGKILL) after {args.seconds} s of writes")
            problems += check(site, accepted)
            problems += search_catches_up(site)
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))
    print("OK: the database survived every kill with every acknowledged write")


if __name__ == "__main__":
    main()
