"""Plug the learning feature into the app: blueprints, navigation, references, CLI."""

from __future__ import annotations

from flask import Flask, url_for
from sqlalchemy import select

from app.core.db import db
from app.core.markdown import register_reference
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.learning import cli, presentation
from app.learning.certificate_views import bp as certificates_bp
from app.learning.models import Module
from app.learning.report_views import bp as reports_bp
from app.learning.views import bp as learning_bp


def _module_reference(slug: str) -> tuple[str, str] | None:
    module = db.session.scalar(select(Module).where(Module.slug == slug, Module.active))
    if module is None:
        return None
    return url_for("learning.module_by_slug", slug=slug), module.title


def _module_references(slugs: list[str]) -> dict[str, tuple[str, str]]:
    rows = db.session.execute(
        select(Module.slug, Module.title).where(Module.slug.in_(slugs), Module.active)
    )
    return {
        row.slug: (url_for("learning.module_by_slug", slug=row.slug), row.title) for row in rows
    }


def init_app(app: Flask) -> None:
    app.register_blueprint(learning_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(reports_bp)
    presentation.register(app)
    register_reference("module", _module_reference, _module_references)
    register_nav(app, NavItem("Courses", "learning.catalogue", order=10))
    register_nav(app, NavItem("My learning", "learning.dashboard", order=15, role=Role.TRAINEE))
    register_nav(app, NavItem("Glossary", "learning.glossary_page", order=40))
    register_nav(app, NavItem("Training reports", "training_reports.index", order=85,
                              role=Role.MODERATOR))  # fmt: skip


def init_cli(app: Flask) -> None:
    cli.init_app(app)
