"""What the forum writes to one member (an on-site notification, an e-mail) is written in that
member's language: the one they chose, else English.

A notification is stored as text (`notifications.title`), so it is translated once, when it is
made, in its recipient's language (not the language of whoever caused it); a later change of
language leaves the notifications already received as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask_babel import force_locale

from app.accounts.models import User
from app.core import notifications
from app.core.db import db
from app.core.i18n import recipient_language


@contextmanager
def language_of(user: User | None) -> Iterator[None]:
    """Translate what is written inside the block into `user`'s language."""
    with force_locale(recipient_language(user.language if user is not None else "")):
        yield


def notify(user_id: int, kind: str, text: Callable[[], str], url: str = "") -> None:
    """An on-site notification for one member; `text` writes it and runs in their language."""
    with language_of(db.session.get(User, user_id)):
        notifications.notify(user_id, kind, text(), url)
