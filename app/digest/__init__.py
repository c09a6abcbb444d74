"""The case digest: searchable firearms trafficking cases, their curation, exports and API."""

from __future__ import annotations

from flask import Flask

from app.core import generation, hooks
from app.core.content import register_content_source
from app.core.markdown import register_reference
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.digest import cli, index, policy, reading, review
from app.digest.blueprint import api_bp, bp
from app.digest.models import CaseDigest, CaseStatus


def init_app(app: Flask) -> None:
    app.jinja_env.globals["digest_policy"] = policy
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.jinja_env.globals["CaseStatus"] = CaseStatus
    index.init_app(app)
    review.register(app)
    register_reference(app, "case", reading.case_reference, reading.case_references)
    generation.watch(app, CaseDigest)
    hooks.illustrations.register(app, "digest", reading.module_cases)
    register_nav(app, NavItem("Case digest", "digest.search_page", order=20))
    register_nav(app, NavItem("Curate cases", "digest.curate", order=70, role=Role.MODERATOR))
    # After the courses, which cases link to.
    register_content_source(
        app, "cases", cli.check_cases, cli.load_case_files, "cases", keys=cli.case_slugs
    )
    hooks.content_commands.register(app, "export-cases", cli.export_cases_command)
