"""The one review queue over every reviewable kind, account sanctions, and the audit log."""

from __future__ import annotations

from flask import Flask

from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.moderation.blueprint import bp
from app.moderation.models import ReviewStatus


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["ReviewStatus"] = ReviewStatus
    register_nav(
        app,
        NavItem("Review queue", "moderation.queue", order=80, role=Role.MODERATOR, group="staff"),
    )
    register_nav(
        app, NavItem("Audit log", "moderation.audit", order=90, role=Role.MODERATOR, group="staff")
    )
