"""Outgoing mail: SMTP when MAIL_SERVER is set, otherwise .eml files in instance/outbox/.

Messages are sent after the transaction commits, so a rolled-back action never sends mail.
Bodies carry titles and links only; forum post bodies never go out by e-mail.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import default
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from app.core.db import db
from app.core.text import single_line
from app.core.time import utcnow

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


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
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
    path.write_bytes(bytes(message))
    links = " ".join(URL_RE.findall(message.get_content()))
    current_app.logger.info("Mail to %s written to %s %s", message["To"], path, links)


def send_mail(to: str, subject: str, body: str, headers: Mapping[str, str] | None = None) -> None:
    """Queue a plain-text message for delivery once the current transaction commits; `headers`
    adds header fields (`List-Unsubscribe`)."""
    message = _build(to, subject, body, headers)
    db.on_commit(lambda: _deliver(message))
