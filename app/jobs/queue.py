"""RQ on Redis: the queue, the worker's application, and what is waiting or failed."""

from __future__ import annotations

from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue, Retry
from rq.registry import FailedJobRegistry

from app import jobs

# The application a worker process runs jobs in (set by `flask jobs worker`).
_worker_app: list[Flask] = []


def connection(app: Flask) -> Redis:
    return Redis.from_url(str(app.config["REDIS_URL"]), socket_timeout=5)


def queue(app: Flask) -> Queue:
    return Queue(str(app.config["JOBS_QUEUE"]), connection=connection(app))


def enqueue(app: Flask, name: str, *args: Any) -> None:
    intervals = [int(seconds) for seconds in app.config["JOBS_RETRY_INTERVALS"]]
    label = f"{name}{args!r}"  # RQ's name for the job in its dashboard, not shown to readers
    queue(app).enqueue(
        run,
        name,
        *args,
        retry=Retry(max=len(intervals), interval=intervals),
        description=label,
        failure_ttl=7 * 24 * 3600,
    )


def run(name: str, *args: Any) -> None:
    """What RQ calls: the named job in the worker's application (raises to be retried)."""
    if not _worker_app:
        raise RuntimeError("No application: run jobs with `flask jobs worker`.")
    jobs.perform(_worker_app[0], name, *args)


def set_worker_app(app: Flask) -> None:
    _worker_app[:] = [app]


def waiting_and_failed(app: Flask) -> tuple[list[str], list[str]]:
    """Descriptions of the queued jobs and of the failed ones (after every retry)."""
    q = queue(app)
    waiting = [str(job.description) for job in q.get_jobs(0, 50)]
    registry = FailedJobRegistry(queue=q)
    failed = []
    for job_id in registry.get_job_ids(0, 50):
        job = q.fetch_job(job_id)
        if job is not None:
            result = job.latest_result()
            error = (result.exc_string or "") if result is not None else ""
            last = error.strip().splitlines()
            failed.append(f"{job.description}: {last[-1] if last else 'failed'}")
    return waiting, failed
