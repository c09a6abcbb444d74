"""Plug curation and data out (exports, API, statistics) into the app: blueprints, review kind,
navigation, CLI. `app.digest.setup.init_app` calls `init_app` here."""

from __future__ import annotations

from flask import Flask

from app.core.content import content
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.digest import review
from app.digest.api import bp as api_bp
from app.digest.curation_views import bp as curation_bp
from app.digest.export_views import bp as exports_bp
from app.digest.files_writer import export_cases_command
from app.digest.stats_views import bp as stats_bp


def init_app(app: Flask) -> None:
    app.register_blueprint(curation_bp)
    app.register_blueprint(stats_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(api_bp)
    review.register()
    register_nav(app, NavItem("Curate cases", "digest_curation.curate", order=70,
                              role=Role.MODERATOR))  # fmt: skip
    if "export-cases" not in content.commands:
        content.add_command(export_cases_command)
