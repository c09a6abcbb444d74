"""Application factory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from app import models  # noqa: F401  (complete metadata before anything maps)
from app.accounts import cli as accounts_cli
from app.accounts import review as accounts_review
from app.accounts.services import load_session_user
from app.accounts.views import bp as accounts_bp
from app.config import load_config, testing_config
from app.core import backup, migrate
from app.core.db import db
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.core.security import register_security_headers
from app.core.template import register_template_helpers
from app.core.views import bp as core_bp
from app.core.views import register_errorhandlers as register_core_errorhandlers
from app.digest import setup as digest
from app.extensions import csrf, limiter, login_manager
from app.forum import setup as forum
from app.learning import setup as learning
from app.moderation.views import bp as moderation_bp
from app.search import init_app as init_search


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the application; `config` overrides the environment (tests pass theirs)."""
    app = Flask(__name__, instance_relative_config=True)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    testing = bool(config and config.get("TESTING"))
    app.config.update(load_config(instance, testing=testing))
    if testing:
        app.config.update(testing_config(instance))
    if config:
        app.config.update(config)
    app.config.setdefault("DATABASE_URL", f"sqlite:///{instance / 'test.sqlite3'}")
    app.config.setdefault("OUTBOX_DIR", str(instance / "outbox"))
    logging.basicConfig(level=logging.INFO)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    init_search(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_session_user)
    register_security_headers(app)
    register_template_helpers(app)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(moderation_bp)
    accounts_review.register()
    register_nav(app, NavItem("Home", "core.index", order=0))
    register_nav(app, NavItem("Review queue", "moderation.queue", order=80, role=Role.MODERATOR))
    register_nav(app, NavItem("Audit log", "moderation.audit", order=90, role=Role.ADMIN))
    learning.init_app(app)
    digest.init_app(app)
    forum.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    register_core_errorhandlers(app)


def register_commands(app: Flask) -> None:
    migrate.init_app(app)
    accounts_cli.init_app(app)
    learning.init_cli(app)
    digest.init_cli(app)
    forum.init_cli(app)
    backup.init_app(app)
