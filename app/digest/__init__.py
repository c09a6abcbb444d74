"""The case digest: searchable firearms trafficking cases, their curation, exports and API."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l

from app.core import generation, hooks
from app.core.content import register_content_source
from app.core.markdown import register_reference
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.digest import browse, cli, index, policy, presentation, reading, review
from app.digest.blueprint import api_bp, bp
from app.digest.models import CaseDigest, CaseStatus
from app.search import SiteKind, register_site_kind


def init_app(app: Flask) -> None:
    app.jinja_env.globals["digest_policy"] = policy
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.jinja_env.globals["CaseStatus"] = CaseStatus
    app.jinja_env.globals["case_status_label"] = presentation.status_label
    app.jinja_env.globals["case_region_label"] = presentation.region_label
    index.init_app(app)
    review.register(app)
    register_reference(app, "case", reading.case_reference, reading.case_references)
    generation.watch(app, CaseDigest)
    hooks.illustrations.register(app, "digest", reading.module_cases)
    hooks.audit_labels.register(app, "case", reading.audit_case_labels)
    hooks.home_sections.register(app, "digest", reading.home_section)
    hooks.audit_links.register(app, "case", reading.audit_case_link)
    register_nav(app, NavItem(_l("Case digest"), "digest.search_page", order=20))
    register_site_kind(app, SiteKind(
        "cases", _l("Cases"), order=20, find=browse.site_results,
        more_url=lambda text: url_for("digest.search_page", q=text),
    ))  # fmt: skip
    register_nav(
        app,
        NavItem(_l("Curate cases"), "digest.curate", order=70, role=Role.MODERATOR, group="staff"),
    )
    # After the courses, which cases link to.
    register_content_source(
        app, "cases", cli.check_cases, cli.load_case_files, "cases", keys=cli.case_slugs
    )
    hooks.content_commands.register(app, "export-cases", cli.export_cases_command)
    hooks.cli_groups.register(app, "alerts", cli.alerts_cli)
    hooks.data_export.register(app, "saved_searches", reading.saved_search_data)
