"""`flask jobs status|worker`."""

from __future__ import annotations

import logging
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import jobs
from app.core import mail

log = logging.getLogger(__name__)

jobs_cli = AppGroup("jobs", help="Deferred work: mail delivery, search drains, alerts.")


def _app() -> Flask:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


@jobs_cli.command("status")
def status_command() -> None:
    """Show what is waiting and what failed: undelivered mail, the search outbox, the queue."""
    from app.search import status as search_status

    app = _app()
    waiting, failing, rows = mail.pending_summary()
    click.echo(f"Jobs backend: {jobs.backend(app)}")
    click.echo(f"Mail waiting: {waiting}; mail failing (will be retried): {failing}")
    for row in rows:
        click.echo(
            f"  mail {row.id} to {row.to_address}: {row.attempts} attempts, next at "
            f"{row.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC; last error: {row.last_error}"
        )
    for item in search_status(app):
        click.echo(f"Search {item.name}: outbox backlog {item.backlog}")
    if jobs.backend(app) == "rq":
        from app.jobs import queue

        try:
            queued, failed = queue.waiting_and_failed(app)
        except Exception as error:
            raise click.ClickException(f"Redis at {app.config['REDIS_URL']}: {error}") from error
        click.echo(f"Queue {app.config['JOBS_QUEUE']}: {len(queued)} waiting, {len(failed)} failed")
        for line in queued:
            click.echo(f"  waiting: {line}")
        for line in failed:
            click.echo(f"  failed: {line}")


def sweep(app: Flask) -> int:
    """Submit what waits in the database: due mail, and a drain when the search outbox has rows."""
    from app.search import status as search_status

    count = mail.sweep(app)
    with app.app_context():
        backlog = sum(item.backlog for item in search_status(app))
    if backlog and "search.drain" in jobs.registered():
        jobs.submit(app, "search.drain")
        count += 1
    return count


@jobs_cli.command("worker")
@click.option("--once", is_flag=True, help="Sweep, run what is queued, and exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between sweeps.")
def worker_command(once: bool, interval: float) -> None:
    """Run jobs: the RQ queue (JOBS_BACKEND=rq) and the database's due mail and outbox rows."""
    app = _app()
    rq_worker = None
    if jobs.backend(app) == "rq":
        from rq import SimpleWorker

        from app.jobs import queue

        queue.set_worker_app(app)
        rq_worker = SimpleWorker([queue.queue(app)], connection=queue.connection(app))
    click.echo(f"Job worker ({jobs.backend(app)}); Ctrl-C stops it.")
    try:
        while True:
            try:
                swept = sweep(app)
                if rq_worker is not None:
                    rq_worker.work(burst=True, logging_level="WARNING", with_scheduler=True)
                if swept:
                    log.info("Job worker: %d jobs submitted from the database.", swept)
            except Exception:  # keep the worker alive; the rows stay in the database
                log.exception("Job worker: a sweep failed; retrying later.")
            if once:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Job worker stopped.")
