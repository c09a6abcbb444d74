"""Plug the forum into the app: blueprints, navigation, backlinks, CLI."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.core.backlinks import register_backlinks
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.forum import categories, moderation_setup
from app.forum import search as forum_search
from app.forum.admin_views import bp as admin_bp
from app.forum.references import discussed_in
from app.forum.views import bp as forum_bp

forum_cli = AppGroup("forum", help="The practitioners' forum.")


@forum_cli.command("seed")
def seed_command() -> None:
    """Create the standard forum categories that do not exist yet (safe to run again)."""
    added = categories.seed()
    click.echo(f"Forum categories: {added} added.")


def init_app(app: Flask) -> None:
    app.register_blueprint(forum_bp)
    app.register_blueprint(admin_bp)
    register_backlinks(discussed_in)
    forum_search.init_app(app)
    moderation_setup.init_app(app)
    register_nav(app, NavItem("Forum", "forum.index", order=30, role=Role.PRACTITIONER))
    register_nav(app, NavItem("Forum categories", "forum_admin.category_list", order=95,
                              role=Role.ADMIN))  # fmt: skip


def init_cli(app: Flask) -> None:
    app.cli.add_command(forum_cli)
