"""Jobs: mail is a mail_outbox row until delivered; inline after the commit, or on RQ."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select, update

from app.core.db import db
from app.core.mail import send_mail
from app.jobs.models import MailOutbox
from tests.conftest import Outbox

CLOSED_PORT = 9  # nothing listens on the discard port here: "connection refused" at once


def _redis_up() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=1).ping())
    except Exception:
        return False


def _send(app: Flask, to: str = "member@example.org") -> None:
    with app.app_context():
        send_mail(to, "New case", "A case was published: http://localhost/cases/x")
        db.commit()


def _rows(app: Flask) -> list[MailOutbox]:
    with app.app_context():
        rows = list(db.session.scalars(select(MailOutbox).order_by(MailOutbox.id)))
        db.session.expunge_all()
        return rows


def _make_due(app: Flask) -> None:
    with app.app_context():
        db.session.execute(update(MailOutbox).values(next_attempt_at=MailOutbox.created_at))
        db.commit()


def test_mail_is_delivered_after_the_commit_and_recorded(app: Flask, outbox: Outbox) -> None:
    _send(app)
    [row] = _rows(app)
    assert row.sent_at is not None and row.attempts == 1 and row.last_error == ""
    assert [m["To"] for m in outbox.messages()] == ["member@example.org"]


def test_a_rolled_back_action_leaves_no_mail(app: Flask, outbox: Outbox) -> None:
    with app.app_context():
        send_mail("member@example.org", "Never", "Rolled back")
        db.rollback()
    assert _rows(app) == [] and outbox.messages() == []


def test_mail_server_down_delays_mail_and_loses_none(
    make_app: Callable[..., Flask], outbox: Outbox, runner: FlaskCliRunner
) -> None:
    down = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=CLOSED_PORT, MAIL_USE_TLS=False)
    _send(down)
    [row] = _rows(down)
    assert row.sent_at is None and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    shown = down.test_cli_runner().invoke(args=["jobs", "status"])
    assert "mail failing (will be retried): 1" in shown.output
    assert "member@example.org" in shown.output and "ConnectionRefusedError" in shown.output

    # The mail server is back (here: the file outbox): the worker's sweep delivers the row.
    back = make_app()
    assert back.test_cli_runner().invoke(args=["jobs", "worker", "--once"]).exit_code == 0
    assert _rows(back)[0].sent_at is None  # not due yet: it waits for its backoff
    _make_due(back)
    result = back.test_cli_runner().invoke(args=["jobs", "worker", "--once"])
    assert result.exit_code == 0, result.output
    [row] = _rows(back)
    assert row.sent_at is not None and row.attempts == 2
    assert [m["Subject"] for m in outbox.messages()] == ["New case"]
    # Running the job again sends nothing twice (idempotent).
    from app import jobs

    jobs.perform(back, "mail.deliver", row.id)
    assert len(outbox.messages()) == 1


@pytest.fixture
def rq_app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    if not _redis_up():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379: the RQ backend is not tested")
    name = f"test-{uuid.uuid4().hex[:12]}"
    application = make_app(
        JOBS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/15", JOBS_QUEUE=name
    )
    yield application
    from app.jobs import queue

    q = queue.queue(application)
    q.empty()
    q.delete(delete_jobs=True)
    db.engine_for(application).dispose()


def test_on_rq_mail_waits_in_the_queue_until_a_worker_delivers_it(
    rq_app: Flask, outbox: Outbox
) -> None:
    _send(rq_app)
    assert _rows(rq_app)[0].sent_at is None and outbox.messages() == []
    runner = rq_app.test_cli_runner()
    status = runner.invoke(args=["jobs", "status"])
    assert "Jobs backend: rq" in status.output
    assert "1 waiting, 0 failed" in status.output
    assert "mail.deliver(1,)" in status.output

    result = runner.invoke(args=["jobs", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert _rows(rq_app)[0].sent_at is not None
    assert [m["To"] for m in outbox.messages()] == ["member@example.org"]
    assert "0 waiting, 0 failed" in runner.invoke(args=["jobs", "status"]).output
