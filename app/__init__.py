"""Application factory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import (
    accounts,
    digest,
    forum,
    jobs,
    learning,
    models,  # noqa: F401  (complete metadata before anything maps)
    moderation,
)
from app import search as search_index
from app.config import finalise, load_config, testing_config
from app.core import content, hooks, http_cache, i18n, urls
from app.core import views as core
from app.core.db import db
from app.core.security import register_security_headers
from app.core.template import register_template_helpers
from app.extensions import csrf, limiter, login_manager

# Each feature's `init_app(app)` registers its blueprints and plugs into `app.core.hooks`.
# Order matters where one feature lists another's content: the courses load before the cases.
FEATURES = (core, accounts, moderation, learning, digest, forum)


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
    finalise(app.config)
    logging.basicConfig(level=logging.INFO)
    register_extensions(app)
    for feature in FEATURES:
        feature.init_app(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    if app.config["PROXY_COUNT"]:
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )
    urls.init_app(app)
    db.init_app(app)
    search_index.init_app(app)
    jobs.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    register_security_headers(app)
    register_template_helpers(app)
    http_cache.init_app(app)
    i18n.init_app(app)


def register_commands(app: Flask) -> None:
    content.install(app)
    hooks.install_cli(app)
