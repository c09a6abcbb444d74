"""Shared by load.py and fault.py: a throw-away site in a temporary folder, served by gunicorn.

Everything listens on 127.0.0.1 only; every loop is bounded; gunicorn is stopped at the end.
"""

from __future__ import annotations

import http.client
import importlib.util
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "Harbour lantern 2931 quietly"
HOST = "127.0.0.1"


def has_feature(name: str) -> bool:
    """Tell whether a feature package (app.digest, app.forum, app.search) is merged."""
    return importlib.util.find_spec(f"app.{name}") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    folder: Path
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def database(self) -> Path:
        return self.folder / "site.sqlite3"

    def flask(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def start(self, workers: int, threads: int = 1) -> None:
        self.port = free_port()
        log = open(self.folder / "gunicorn.log", "ab")  # noqa: SIM115  (closed with the process)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(workers), "--threads", str(threads),
             "-b", f"{HOST}:{self.port}", "--pythonpath", str(ROOT / "benchmarks"),
             "--timeout", "60", "bench_wsgi:app"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/healthz")[0] in (200, 503):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not answer within 60 s; see gunicorn.log")

    def kill(self) -> None:
        """SIGKILL gunicorn's whole process group (master and workers) at once."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


def prepare(folder: Path, database_url: str = "") -> Site:
    """Migrate a fresh database and load the curriculum and the cases: a SQLite file in folder
    with the Whoosh index, or the PostgreSQL `database_url` (emptied first) with
    SEARCH_BACKEND=postgres."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "APP_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'site.sqlite3'}",
        "SEARCH_BACKEND": "postgres" if database_url else "whoosh",
        "SEARCH_INDEX_DIR": str(folder / "search"),
        "RATELIMIT_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SERVER_NAME", None)
    if database_url:
        empty_schema(database_url)
    site = Site(folder, env)
    site.flask("db", "upgrade")
    site.flask("content", "load")
    return site


def empty_schema(database_url: str) -> None:
    """Drop every table of a PostgreSQL database (its public schema), for a fresh migration."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def post(port: int, path: str, fields: dict[str, str], cookie: str = "") -> tuple[int, str]:
    """POST a form; return the status and the session cookie (new or unchanged)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request("POST", path, body=urlencode(fields), headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, _session(response.getheader("Set-Cookie")) or cookie
    finally:
        connection.close()


def _session(header: str | None) -> str:
    if not header:
        return ""
    jar: SimpleCookie = SimpleCookie()
    jar.load(header)
    return "; ".join(f"{k}={v.value}" for k, v in jar.items())


def csrf_form(port: int, path: str, cookie: str = "") -> tuple[str, str]:
    """GET a form page; return its CSRF token and the session cookie it set."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        body = response.read().decode()
        cookie = _session(response.getheader("Set-Cookie")) or cookie
    finally:
        connection.close()
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    if not match:
        raise SystemExit(f"no CSRF token on {path}")
    return match.group(1), cookie


def sign_in(port: int, email: str) -> str:
    """Sign in through the form; return the session cookie."""
    token, cookie = csrf_form(port, "/sign-in")
    status, cookie = post(
        port, "/sign-in", {"csrf_token": token, "email": email, "password": PASSWORD}, cookie
    )
    if status != 302:
        raise SystemExit(f"sign-in as {email} answered {status}")
    return cookie


def indexed_bodies(site: Site, index: str, keys: list[str]) -> dict[str, str]:
    """{key: stored body} of the keys present in the current generation of a search index
    (on PostgreSQL search, in its table)."""
    if site.env["SEARCH_BACKEND"] == "postgres":
        return _pg_bodies(site, index, keys)
    from app.search.storage import open_current

    opened = open_current(site.folder / "search", index)
    if opened is None:
        return {}
    found = {}
    with opened[1].searcher() as searcher:
        for key in keys:
            fields = searcher.document(key=key)
            if fields is not None:
                found[key] = str(fields.get("body", ""))
    return found


def _pg_bodies(site: Site, index: str, keys: list[str]) -> dict[str, str]:
    from sqlalchemy import bindparam, create_engine, text

    from app.search.pg import TABLE

    statement = text(
        f"SELECT key, stored->>'body' FROM {TABLE} WHERE index_name = :index AND key IN :keys"
    ).bindparams(bindparam("keys", expanding=True))
    engine = create_engine(site.env["DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(statement, {"index": index, "keys": keys}).all() if keys else []
    engine.dispose()
    return {str(key): str(body or "") for key, body in rows}


def timed(label: str, action: Callable[[], object]) -> None:
    start = time.monotonic()
    action()
    print(f"  {label}: {time.monotonic() - start:.1f} s", flush=True)
