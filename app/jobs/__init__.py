"""Deferred work as jobs: after the commit in the embedded default, on RQ when configured.

`defer("mail.deliver", 42)` runs the job registered under that name once the current
transaction commits (never after a rollback):

- JOBS_BACKEND=inline (default): in the same process, right after the commit, in an application
  context of its own; a job that fails is logged and its durable record (a `mail_outbox` row, a
  `search_outbox` row) waits for the next attempt (`flask jobs worker` sweeps them).
- JOBS_BACKEND=rq: pushed to the RQ queue in Redis (REDIS_URL), retried with backoff
  (RETRY_INTERVALS); any number of `flask jobs worker` processes run them.

Why RQ and not a table-backed queue: the platform already runs next to Redis (rate limits across
nodes), RQ is a maintained queue with retries, a failed-job registry and workers, and the durable
record of each job is a database row written in the transaction of the change (mail_outbox,
search_outbox), so a job lost with Redis is re-queued by the worker's sweep, never lost.

Jobs are idempotent: delivering a mail that was sent or draining an empty outbox does nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from app.core import hooks
from app.core.db import db

log = logging.getLogger(__name__)

JobFunction = Callable[..., None]
_jobs: dict[str, JobFunction] = {}
RETRY_INTERVALS = [10, 30, 120, 600, 1800]  # seconds between attempts on RQ
QUEUE = "platform"


def register(name: str, function: JobFunction) -> None:
    """Make a job known by name (module level: every process registers the same jobs)."""
    _jobs[name] = function


def registered() -> dict[str, JobFunction]:
    return dict(_jobs)


def backend(app: Flask | None = None) -> str:
    return str((app or current_app).config.get("JOBS_BACKEND", "inline"))


def defer(name: str, *args: Any) -> None:
    """Run job `name(*args)` after the current transaction commits (see the module docstring)."""
    if name not in _jobs:
        raise KeyError(f"No job named {name!r} is registered.")
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    db.on_commit(lambda: submit(app, name, *args))


def submit(app: Flask, name: str, *args: Any) -> None:
    """Run or queue a job now (outside a transaction: after a commit, or from the worker)."""
    if backend(app) == "rq":
        try:
            from app.jobs import queue

            queue.enqueue(app, name, *args)
            return
        except Exception:  # Redis down: the durable row waits for the worker's sweep
            log.exception("Could not queue job %s%r; the sweep will queue it again.", name, args)
            return
    run_inline(app, name, *args)


def run_inline(app: Flask, name: str, *args: Any) -> None:
    try:
        perform(app, name, *args)
    except Exception:  # the change is committed; the job's record waits for a retry
        log.exception("Job %s%r failed; it will be retried.", name, args)


def perform(app: Flask, name: str, *args: Any) -> None:
    """Run one job in an application context (and database session) of its own."""
    with app.app_context():
        _jobs[name](*args)
        db.commit()


def init_app(app: Flask) -> None:
    app.config.setdefault("JOBS_BACKEND", os.environ.get("JOBS_BACKEND", "inline"))
    app.config.setdefault("REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    app.config.setdefault("JOBS_QUEUE", os.environ.get("JOBS_QUEUE", QUEUE))
    retry = os.environ.get("JOBS_RETRY_INTERVALS", "")
    intervals = [int(part) for part in retry.split(",") if part.strip()] or RETRY_INTERVALS
    app.config.setdefault("JOBS_RETRY_INTERVALS", intervals)
    app.config.setdefault("MAIL_RETRY_SECONDS", float(os.environ.get("MAIL_RETRY_SECONDS", "30")))
    most = float(os.environ.get("MAIL_RETRY_MAX_SECONDS", "3600"))
    app.config.setdefault("MAIL_RETRY_MAX_SECONDS", most)
    if app.config["JOBS_BACKEND"] not in ("inline", "rq"):
        raise RuntimeError("JOBS_BACKEND must be 'inline' or 'rq'.")
    from app.jobs.cli import jobs_cli

    hooks.cli_groups.register(app, "jobs", jobs_cli)
