"""Cluster smoke test (`make test-cluster`): two app nodes behind one PostgreSQL and one Redis.

Starts two gunicorn nodes on two loopback ports (separate index folders, one SECRET_KEY), one
`flask jobs worker`, with SEARCH_BACKEND=postgres, JOBS_BACKEND=rq and the rate limits in
Redis, on a database of its own (emptied first), and checks:

1. a sign-in on node A is valid on node B (signed-cookie sessions);
2. cases published by an app process (`flask content load`) are found by the digest search
   of node B at once (the index is a PostgreSQL table: no drain, no shared folder);
3. a case drafted and submitted through node B by a moderator, and approved through node B by
   another (the two-person rule: its author cannot approve it), is found by node A's digest
   search at once, and its page reads on A;
4. a topic a member posts through node A is found by the forum search of node B;
5. the posting limit is shared: the new-member limit (2 a minute) counted on A and B together;
6. a password-reset mail asked for on node A while the SMTP server is down is recorded as
   failing (`flask jobs status`), and delivered by the worker once a local aiosmtpd server
   starts (the test waits for the message, with a deadline);
7. SIGKILL of node A (its whole process group) while a moderator posts replies through it
   leaves node B serving, and every reply A acknowledged (302) is in the topic as B shows it.

Exit status 0 when every check passed; it prints SKIPPED and exits 0 when PostgreSQL or Redis
is not reachable (as `make test-postgres` does).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "CLUSTER_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_cluster"
)
# A Redis database of the test's own: it is emptied at the start (rate-limit counts of a run
# before would refuse this run's posts).
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/14")
ADMIN, PASSWORD = "admin@example.org", "cluster-test-password-1"
MEMBER = "member@example.org"
MODERATOR = "moderator@example.org"
CATEGORY = "investigations-and-tracing"
# The case drafted and published over HTTP; its word "ptarmigan" is in no packaged case.
NEW_CASE = {
    "slug": "cluster-ptarmigan-pistols",
    "title": "Pistols in a ptarmigan feed shipment",
    "kind": "case",
    "country": "Finland",
    "region": "European Union",
    "court_level": "first-instance",
    "decision_year": "2023",
    "stage": "final",
    "outcome": "conviction",
    "offences": "illicit-trafficking",
    "weapons": "pistols",
    "illustrative": "y",
    "sources": "CTOC/COP/2020",
    "summary": "Pistols were hidden in sacks of ptarmigan feed sent by freight.",
    "facts": "A feed importer received the sacks twice a year.",
    "investigation": "Customs scanned a pallet after a risk alert.",
    "prosecution": "The importer was convicted of illicit trafficking.",
    "commentary": "Animal feed is rarely opened at the border.",
    "good_practices": "- Scan feed pallets from unusual routes.",
    "sources_text": "CTOC/COP/2020. An illustrative composite.",
    "reason": "First version",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(what: str, check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.3)
    raise SystemExit(f"FAILED: {what} (waited {timeout:g} s)")


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not found:
        raise SystemExit("FAILED: no CSRF token in the form")
    return found.group(1)


def send_form(session: Any, form_url: str, data: dict[str, str], action: str = "") -> Any:
    """GET a form page, then POST `data` with its CSRF token (to `action`, else to the page)."""
    page = session.get(form_url, timeout=10).text
    return session.post(
        action or form_url,
        data={**data, "csrf_token": csrf(page)},
        allow_redirects=False,
        timeout=10,
    )


def signed_in(node: str, email: str) -> Any:
    """A browser session signed in through node's sign-in form."""
    import requests

    session = requests.Session()
    signed = send_form(session, f"{node}/sign-in", {"email": email, "password": PASSWORD})
    assert signed.status_code == 302, f"the sign-in of {email} answered {signed.status_code}"
    return session


def reachable() -> str | None:
    ready = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "pg_ready.py"), DATABASE_URL],
        capture_output=True,
        text=True,
    )
    if ready.returncode != 0:
        return f"no PostgreSQL at {DATABASE_URL}"
    try:
        from redis import Redis

        Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception as error:
        return f"no Redis at {REDIS_URL} ({error})"
    return None


def empty_database() -> None:
    """Empty the test's PostgreSQL database and its Redis database (queue, rate limits)."""
    from redis import Redis
    from sqlalchemy import create_engine, text

    Redis.from_url(REDIS_URL).flushdb()
    engine = create_engine(DATABASE_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def stored_bodies(topic_id: int) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(DATABASE_URL)
    with engine.connect() as connection:
        bodies = connection.execute(
            text("SELECT body FROM forum_posts WHERE topic_id = :topic"), {"topic": topic_id}
        ).scalars()
        found = [str(body) for body in bodies]
    engine.dispose()
    return found


def publish_through(node: str, author: Any, approver: Any) -> None:
    """Draft and submit NEW_CASE as `author`, see the author refused its approval (two-person
    rule), then approve it as `approver`: every step through the forms of `node`."""
    slug, title = NEW_CASE["slug"], NEW_CASE["title"]
    drafted = send_form(author, f"{node}/cases/new", NEW_CASE)
    assert drafted.status_code == 302, f"the draft answered {drafted.status_code}"
    edit = f"{node}/cases/{slug}/edit"
    submitted = send_form(author, edit, {}, action=f"{node}/cases/{slug}/submit")
    assert submitted.status_code == 302, f"the submission answered {submitted.status_code}"
    queue = approver.get(f"{node}/moderation/", params={"kind": "case_draft"}, timeout=10).text
    item = re.search(rf'href="(/moderation/items/\d+)">Publish case: {re.escape(title)}', queue)
    assert item, "the draft is not in the review queue"
    decision = {"decision": "approve", "reason": "Checked against the judgment."}
    own = send_form(author, f"{node}{item.group(1)}", decision)
    assert own.status_code == 403, f"the author's own approval answered {own.status_code}"
    approved = send_form(approver, f"{node}{item.group(1)}", decision)
    assert approved.status_code == 302, f"the approval answered {approved.status_code}"


def main() -> int:
    import requests
    from aiosmtpd.controller import Controller

    why = reachable()
    if why:
        print(f"== SKIPPED: the cluster test ({why})")
        return 0
    empty_database()
    # Each node's index folder, and the logs (kept when a check fails).
    work = Path(os.environ.get("CLUSTER_WORK_DIR", "/tmp")) / f"cluster-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    queue = f"cluster-{secrets.token_hex(6)}"
    smtp_port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": DATABASE_URL,
        "SEARCH_BACKEND": "postgres",
        "JOBS_BACKEND": "rq",
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": queue,
        "JOBS_RETRY_INTERVALS": "1,1,2,2,4,4,8",
        "MAIL_RETRY_SECONDS": "1",
        "MAIL_RETRY_MAX_SECONDS": "2",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_USE_TLS": "false",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FORUM_PREMODERATE_FIRST": "0",
        "FORUM_NEW_MEMBER_RATE_LIMIT": "2 per minute",
        "FORUM_NEW_MEMBER_POSTS": "100",
    }
    flask = [str(BIN / "flask"), "--app", "wsgi"]

    def cli(*args: str) -> str:
        done = subprocess.run([*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"FAILED: flask {' '.join(args)}\n{done.stdout}\n{done.stderr}")
        return done.stdout

    cli("db", "upgrade")
    cli("users", "create-admin", ADMIN, "--password", PASSWORD)
    cli("users", "create-admin", MEMBER, "--name", "Member", "--password", PASSWORD)
    cli("users", "set-role", MEMBER, "practitioner")
    cli("users", "create-admin", MODERATOR, "--name", "Moderator", "--password", PASSWORD)
    cli("users", "set-role", MODERATOR, "moderator")
    cli("forum", "seed")
    processes: list[subprocess.Popen[Any]] = []
    ports = [free_port(), free_port()]
    try:
        for name, port in zip("AB", ports, strict=True):
            node_env = {**env, "SEARCH_INDEX_DIR": str(work / f"node-{name}" / "search")}
            processes.append(
                subprocess.Popen(
                    [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                    start_new_session=True,  # its own process group: SIGKILL takes every worker
                    cwd=ROOT,
                    env=node_env,
                    stdout=subprocess.DEVNULL,
                    stderr=open(work.with_suffix(f".{name}.log"), "w"),  # noqa: SIM115
                )
            )
        processes.append(
            subprocess.Popen(
                [*flask, "jobs", "worker", "--interval", "0.5"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(work.with_suffix(".worker.log"), "w"),  # noqa: SIM115
            )
        )
        node_a, node_b = (f"http://127.0.0.1:{port}" for port in ports)
        for node in (node_a, node_b):
            wait_for(f"{node} answers", lambda n=node: requests.get(f"{n}/", timeout=2).ok)

        # 1. A sign-in on node A is valid on node B.
        browser = requests.Session()
        form = browser.get(f"{node_a}/sign-in", timeout=10).text
        signed = browser.post(
            f"{node_a}/sign-in",
            data={"email": ADMIN, "password": PASSWORD, "csrf_token": csrf(form)},
            allow_redirects=False,
            timeout=10,
        )
        assert signed.status_code == 302, f"sign-in on A answered {signed.status_code}"
        account = browser.get(f"{node_b}/account", allow_redirects=False, timeout=10)
        assert account.status_code == 200 and ADMIN in account.text, "B does not know the session"
        print("ok: a sign-in on node A is valid on node B")

        # 2. Cases published by one process are found by node B's search at once.
        cli("content", "load")
        found = requests.get(f"{node_b}/cases", params={"q": "firearms"}, timeout=20)
        slugs = re.findall(r'href="/cases/([a-z0-9-]+)"', found.text)
        assert found.ok and slugs, "node B's digest search found no published case"
        print(f"ok: node B's search finds published cases ({len(set(slugs))} on the first page)")

        # 3. A case drafted by one moderator and approved by another through B: A finds it.
        publish_through(node_b, signed_in(node_b, MODERATOR), browser)
        slug = NEW_CASE["slug"]
        found = requests.get(f"{node_a}/cases", params={"q": "ptarmigan"}, timeout=20)
        assert found.ok and f'href="/cases/{slug}"' in found.text, "A's search misses the case"
        page = requests.get(f"{node_a}/cases/{slug}", timeout=20)
        assert page.ok and NEW_CASE["title"] in page.text, (
            f"A's case page answered {page.status_code}"
        )
        print("ok: a case two moderators published through node B is in node A's search")

        # 4. A topic posted through A is found by B's forum search.
        member = signed_in(node_a, MEMBER)

        def post(node: str, path: str, data: dict[str, str]) -> requests.Response:
            return send_form(member, f"{node}{path}", data)

        topic = post(
            node_a,
            f"/forum/c/{CATEGORY}/new",
            {"title": "Cluster tracing request", "body": "Tracing a zebrafinch consignment."},
        )
        assert topic.status_code == 302, f"posting on A answered {topic.status_code}"
        topic_path = topic.headers["Location"].split("#")[0].replace("http://127.0.0.1", "")
        topic_path = re.sub(r"^https?://[^/]+", "", topic_path)
        found = member.get(f"{node_b}/forum/search", params={"q": "zebrafinch"}, timeout=20)
        assert found.ok and "Cluster tracing request" in found.text, "B's forum search missed it"
        print("ok: a topic posted through node A is found by node B's forum search")

        # 5. The posting limit (2 a minute for new members) is counted across the nodes.
        topic_id = re.search(r"/forum/t/(\d+)", topic_path)
        assert topic_id, f"no topic id in {topic_path}"
        second = post(node_b, f"/forum/t/{topic_id.group(1)}/reply", {"body": "Second post."})
        assert second.status_code == 302, f"the second post on B answered {second.status_code}"
        third = post(node_a, f"/forum/t/{topic_id.group(1)}/reply", {"body": "Third post."})
        assert third.status_code == 429, f"the third post on A answered {third.status_code}"
        print("ok: the posting limit counted on node A and node B together (429 on the third)")

        # 6. Mail asked for on A while SMTP is down is delivered when it comes back.
        form = browser.get(f"{node_a}/reset", timeout=10).text
        asked = browser.post(
            f"{node_a}/reset",
            data={"email": ADMIN, "csrf_token": csrf(form)},
            allow_redirects=False,
            timeout=10,
        )
        assert asked.status_code in (200, 302), f"reset on A answered {asked.status_code}"
        wait_for(
            "the worker records the failed delivery",
            lambda: "mail failing (will be retried): 1" in cli("jobs", "status"),
        )
        print("ok: with the SMTP server down the mail waits, recorded as failing")
        received: list[Any] = []

        class Handler:
            async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
                received.append(envelope)
                return "250 Message accepted for delivery"

        smtp = Controller(Handler(), hostname="127.0.0.1", port=smtp_port)
        smtp.start()
        try:
            wait_for("the mail is delivered once SMTP is back", lambda: bool(received), 120)
        finally:
            smtp.stop()
        assert ADMIN in received[0].rcpt_tos
        status = cli("jobs", "status")
        assert "Mail waiting: 0; mail failing (will be retried): 0" in status, status
        print("ok: the mail queued while SMTP was down is delivered when it comes back")

        # 7. SIGKILL of node A in the middle of writes: B serves, no acknowledged write is lost.
        moderator = browser  # the administrator, spared from posting limits
        path = f"/forum/t/{topic_id.group(1)}/reply"
        acknowledged: list[str] = []
        stop = threading.Event()

        def writer() -> None:
            n = 0
            while not stop.is_set():
                n += 1
                body = f"Kill test reply number {n} qx{n}qx."
                try:
                    page = moderator.get(f"{node_a}{path}", timeout=5).text
                    sent = moderator.post(
                        f"{node_a}{path}",
                        data={"body": body, "csrf_token": csrf(page)},
                        allow_redirects=False,
                        timeout=5,
                    )
                except Exception:
                    return  # node A is gone
                if sent.status_code == 302:
                    acknowledged.append(f"qx{n}qx")

        thread = threading.Thread(target=writer)
        thread.start()
        wait_for("a few replies acknowledged by A", lambda: len(acknowledged) >= 3, 60)
        os.killpg(processes[0].pid, signal.SIGKILL)
        stop.set()
        thread.join(30)
        assert requests.get(f"{node_b}/", timeout=10).ok, "node B stopped serving"
        shown = moderator.get(f"{node_b}/forum/t/{topic_id.group(1)}", timeout=20)
        assert shown.ok and acknowledged[0] in shown.text, "B does not show the replies"
        stored = "\n".join(stored_bodies(int(topic_id.group(1))))
        missing = [mark for mark in acknowledged if mark not in stored]
        assert not missing, f"acknowledged replies missing from the database: {missing}"
        count = len(acknowledged)
        print(f"ok: node A killed mid-write; B serves, all {count} acknowledged replies are stored")
        print("== cluster test passed")
        shutil.rmtree(work, ignore_errors=True)
        for log in work.parent.glob(f"{work.name}.*.log"):
            log.unlink()
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        try:
            from redis import Redis

            from_url = Redis.from_url(REDIS_URL)
            for key in from_url.scan_iter(f"*{queue}*"):
                from_url.delete(key)
        except Exception:
            pass


if __name__ == "__main__":
    sys.exit(main())
