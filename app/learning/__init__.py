"""Courses of modules with lessons and GIFT quizzes, progress, certificates, training reports."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import generation, hooks
from app.core.content import register_content_source
from app.core.db import db
from app.core.markdown import register_reference
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.learning import cli, glossary, index, policy, presentation, reading
from app.learning.blueprint import bp
from app.learning.models import ContentTranslation, Course, GlossaryTerm, Lesson, Module


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
    app.jinja_env.globals["learning_policy"] = policy
    app.register_blueprint(bp)
    presentation.register(app)
    index.init_app(app)
    register_reference(app, "module", _module_reference, _module_references)
    # Translations too: the glossary's are search equivalents (app.search.synonyms).
    generation.watch(app, Course, Module, Lesson, GlossaryTerm, ContentTranslation)
    register_nav(app, NavItem(_l("Courses"), "learning.catalogue", order=10))
    register_nav(app, NavItem(_l("My learning"), "learning.dashboard", order=15, role=Role.TRAINEE))
    register_nav(app, NavItem(_l("Glossary"), "learning.glossary_page", order=40, group="footer"))
    register_nav(app, NavItem(_l("Training reports"), "learning.reports", order=85,
                              role=Role.MODERATOR, group="staff"))  # fmt: skip
    # `--path` is the option's name from before the cases joined `flask content`.
    register_content_source(
        app, "courses", cli.check_courses, cli.load_courses, "courses", keys=cli.module_slugs,
        aliases=("--path",),
    )  # fmt: skip
    hooks.content_commands.register(app, "quiz", cli.quiz)
    hooks.content_commands.register(app, "blocks", cli.blocks)
    hooks.content_commands.register(app, "stamp", cli.stamp)
    hooks.cli_groups.register(app, "learning", cli.learning_cli)
    hooks.data_export.register(app, "learning", reading.member_data)
    hooks.home_sections.register(app, "learning", reading.home_section)
    hooks.search_equivalents.register(app, "glossary", glossary.search_equivalents)
