"""Outgoing mail: SMTP when MAIL_SERVER is set, otherwise .eml files in instance/outbox/.

`send_mail` writes the message to the `mail_outbox` table in the caller's transaction and defers
the `mail.deliver` job (app/jobs): a rolled-back action never sends mail, and a message is a row
until it is delivered. Delivery runs after the commit (JOBS_BACKEND=inline) or on a worker
(JOBS_BACKEND=rq); when the mail server fails, the row keeps the message, its attempts and the
error, and is tried again with backoff (RQ's retries, `flask jobs worker`'s sweep), so a mail
server that is down delays mail and loses none. Delivery is idempotent: a row already sent is
left alone, and on PostgreSQL a row being delivered is locked (SKIP LOCKED) against a second
worker. Bodies carry titles and links only; forum post bodies never go out by e-mail.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Mapping
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import make_msgid
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import func, select

from app import jobs
from app.core.db import db
from app.core.text import single_line
from app.core.time import utcnow
from app.jobs.models import MailOutbox

URL_RE = re.compile(r"https?://\S+")
LONG_LINES = default.clone(max_line_length=998)


def _build(
    to: str, subject: str, body: str, headers: Mapping[str, str] | None = None
) -> EmailMessage:
    # A header holding a long URL (List-Unsubscribe) must stay one plain line, not be folded
    # into encoded words a mail program would not read: RFC 5322 allows lines of 998.
    message = EmailMessage(policy=LONG_LINES if headers else default)
    message["From"] = current_app.config["MAIL_SENDER"]
    # Header values are single lines whatever names went into them (a CR/LF is an error).
    message["To"] = single_line(to)
    message["Subject"] = single_line(subject)
    message["Message-ID"] = make_msgid(domain="platform.local")
    for name, value in (headers or {}).items():
        message[name] = single_line(value)
    message.set_content(body)
    return message


def _deliver(raw: bytes) -> None:
    config = current_app.config
    message = message_from_bytes(raw, policy=default)
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    outbox = Path(config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}-{abs(hash(message['Message-ID'])) % 10**8:08d}.eml"
    path.write_bytes(raw)
    assert isinstance(message, EmailMessage)
    links = " ".join(URL_RE.findall(str(message.get_content())))
    current_app.logger.info("Mail to %s written to %s %s", message["To"], path, links)


def send_mail(to: str, subject: str, body: str, headers: Mapping[str, str] | None = None) -> None:
    """Queue a plain-text message for delivery once the current transaction commits; `headers`
    adds header fields (`List-Unsubscribe`)."""
    message = _build(to, subject, body, headers)
    row = MailOutbox(to_address=single_line(to)[:320], subject=single_line(subject)[:300],
                     message=bytes(message))  # fmt: skip
    db.session.add(row)
    db.session.flush()
    jobs.defer("mail.deliver", row.id)


def backoff(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed deliveries: MAIL_RETRY_SECONDS (30) doubling,
    at most MAIL_RETRY_MAX_SECONDS (an hour)."""
    base = float(current_app.config.get("MAIL_RETRY_SECONDS", 30))
    most = float(current_app.config.get("MAIL_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(most, base * 2 ** min(30, max(0, attempts - 1))))


def deliver(mail_id: int) -> None:
    """The `mail.deliver` job: send one outbox row unless it was sent (raises on failure, after
    recording the failure, so that the queue retries it)."""
    g.db_write_intent = True  # SQLite: take the write lock at BEGIN
    statement = select(MailOutbox).where(MailOutbox.id == mail_id)
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    row = db.session.scalars(statement).first()
    if row is None or row.sent_at is not None:
        return  # sent already, or another worker is sending it now
    try:
        _deliver(row.message)
    except Exception as error:
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:1000]
        row.next_attempt_at = utcnow() + backoff(row.attempts)
        db.commit()
        raise
    row.sent_at = utcnow()
    row.attempts += 1
    row.last_error = ""
    db.commit()


def due(limit: int = 200) -> list[int]:
    """Rows waiting for delivery whose next attempt is due, oldest first."""
    return list(
        db.session.scalars(
            select(MailOutbox.id)
            .where(MailOutbox.sent_at.is_(None), MailOutbox.next_attempt_at <= utcnow())
            .order_by(MailOutbox.id)
            .limit(limit)
        )
    )


def pending_summary() -> tuple[int, int, list[MailOutbox]]:
    """(waiting, failing, the failing rows): undelivered rows never tried or not failed yet, and
    those whose last attempt failed."""
    waiting = db.session.scalar(
        select(func.count()).where(MailOutbox.sent_at.is_(None), MailOutbox.attempts == 0)
    )
    failing = list(
        db.session.scalars(
            select(MailOutbox)
            .where(MailOutbox.sent_at.is_(None), MailOutbox.attempts > 0)
            .order_by(MailOutbox.id)
            .limit(20)
        )
    )
    count = db.session.scalar(
        select(func.count()).where(MailOutbox.sent_at.is_(None), MailOutbox.attempts > 0)
    )
    return int(waiting or 0), int(count or 0), failing


def sweep(app: Flask) -> int:
    """Submit every due row again (after a failure, a lost queue entry or a crash)."""
    with app.app_context():
        ids = due()
    for mail_id in ids:
        jobs.submit(app, "mail.deliver", mail_id)
    return len(ids)


jobs.register("mail.deliver", deliver)
