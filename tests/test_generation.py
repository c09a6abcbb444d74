"""The content generation (issue 15): one more for every committed change to shared content,
none for a rolled-back one or for a member's own rows; nothing kept while a change is pending."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from app.accounts.models import User
from app.core import generation, notifications
from app.core.db import db
from app.learning.models import GlossaryTerm

User_ = Callable[..., User]


def _now(app: Flask) -> int:
    with app.app_context():
        return generation.current()


def test_a_committed_change_moves_the_generation_once(app: Flask, make_user: User_) -> None:
    start = _now(app)
    with app.app_context():
        db.session.add(GlossaryTerm(slug="tracing", term="Tracing", definition="Following."))
        db.session.flush()
        db.session.add(GlossaryTerm(slug="marking", term="Marking", definition="Stamping."))
        db.commit()
    assert _now(app) == start + 1

    with app.app_context():
        term = db.session.query(GlossaryTerm).filter_by(slug="tracing").one()
        term.definition = "Following a firearm."
        db.rollback()
    assert _now(app) == start + 1

    user = make_user("trainee")
    assert _now(app) == start + 1  # an account is nobody else's content
    with app.app_context():
        notifications.notify(user.id, "test", "A note")
        db.commit()
    assert _now(app) == start + 1


def test_nothing_is_kept_while_a_change_is_pending(app: Flask) -> None:
    with app.app_context():
        assert generation.cached("test", 1, lambda: "before") == "before"
        db.session.add(GlossaryTerm(slug="tracing", term="Tracing", definition="Following."))
        db.session.flush()
        assert generation.writes_pending()
        assert generation.cached("test", 2, lambda: "pending") == "pending"
        db.rollback()
        assert not generation.writes_pending()
        assert generation.cached("test", 2, lambda: "after") == "after"
        assert generation.cached("test", 1, lambda: "again") == "before"
