"""Users, roles, sign-up and sign-in, password reset, profile, practitioner applications."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.accounts import reading, review
from app.accounts.blueprint import bp
from app.accounts.cli import users_cli
from app.accounts.models import ApplicationStatus
from app.accounts.services import sessions
from app.core import hooks
from app.core.nav import NavItem, register_nav
from app.core.permissions import Role
from app.extensions import login_manager


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["ApplicationStatus"] = ApplicationStatus
    app.jinja_env.globals["application_status_name"] = reading.application_status_name
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Sign in to see this page.")
    login_manager.localize_callback = str  # the lazy message, in the reader's language
    login_manager.login_message_category = "info"
    login_manager.user_loader(sessions.load)
    review.register(app)
    hooks.cli_groups.register(app, "users", users_cli)
    hooks.data_export.register(app, "profile", reading.profile_data)
    hooks.audit_labels.register(app, "user", reading.audit_user_labels)
    hooks.audit_labels.register(app, "practitioner_application", reading.audit_application_labels)
    hooks.data_export.register(app, "practitioner_applications", reading.application_data)
    hooks.data_export.register(app, "sign_ins", reading.sign_in_data)
    hooks.data_export.register(app, "second_factor", reading.second_factor_data)
    register_nav(
        app,
        NavItem(_l("Accounts"), "accounts.admin_users", order=94, role=Role.ADMIN, group="staff"),
    )
    register_nav(
        app,
        NavItem(_l("Settings"), "accounts.site_settings", order=95, role=Role.ADMIN, group="staff"),
    )
