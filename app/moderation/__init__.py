"""The one review queue over every reviewable kind, account sanctions, and the audit log."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.moderation.blueprint import bp
from app.moderation.models import ReviewStatus
from app.moderation.services import queue


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["ReviewStatus"] = ReviewStatus
    app.jinja_env.globals["decision_name"] = queue.decision_name
    app.jinja_env.filters["decision_name"] = queue.decision_name
    app.jinja_env.globals["outcome_name"] = queue.outcome_name
    register_nav(
        app,
        NavItem(
            _l("Review queue"), "moderation.queue", order=80, role=Role.MODERATOR, group="staff"
        ),
    )
    register_nav(
        app,
        NavItem(_l("Audit log"), "moderation.audit", order=90, role=Role.MODERATOR, group="staff"),
    )
