"""Every URL of accounts: sign-up, sign-in (and its code step), confirmation, reset, the account
pages (second factor, data download), the site settings."""

from __future__ import annotations

from flask import Blueprint

from app.accounts.views import account as views
from app.accounts.views import language, second_factor, site_settings, users

bp = Blueprint("accounts", __name__)

bp.add_url_rule("/sign-up", view_func=views.sign_up, methods=["GET", "POST"])
bp.add_url_rule("/confirm/<token>", view_func=views.confirm_email)
bp.add_url_rule("/confirm", view_func=views.resend_confirmation, methods=["POST"])
bp.add_url_rule("/sign-in", view_func=views.sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-in/code", view_func=second_factor.sign_in_code, methods=["GET", "POST"])
bp.add_url_rule("/sign-out", view_func=views.sign_out, methods=["POST"])
bp.add_url_rule(
    "/account/sign-out-everywhere", view_func=views.sign_out_everywhere, methods=["POST"]
)
bp.add_url_rule("/language", view_func=language.choose_language, methods=["POST"])
bp.add_url_rule("/reset", view_func=views.request_reset, methods=["GET", "POST"])
bp.add_url_rule("/reset/<token>", view_func=views.reset_password, methods=["GET", "POST"])
bp.add_url_rule("/account", view_func=views.profile, methods=["GET", "POST"])
bp.add_url_rule("/account/password", view_func=views.change_password, methods=["GET", "POST"])
bp.add_url_rule("/account/data.json", view_func=views.data_export)
bp.add_url_rule("/account/two-factor", endpoint="second_factor", view_func=second_factor.overview)
bp.add_url_rule(
    "/account/two-factor/setup",
    endpoint="second_factor_setup",
    view_func=second_factor.setup,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/account/two-factor/recovery-codes",
    endpoint="second_factor_recovery_codes",
    view_func=second_factor.regenerate_codes,
    methods=["POST"],
)
bp.add_url_rule(
    "/account/two-factor/disable",
    endpoint="second_factor_disable",
    view_func=second_factor.disable,
    methods=["POST"],
)
bp.add_url_rule("/account/delete", view_func=views.delete_account, methods=["GET", "POST"])
bp.add_url_rule("/account/practitioner", view_func=views.practitioner, methods=["GET", "POST"])
bp.add_url_rule("/notifications", view_func=views.notification_list, methods=["GET", "POST"])
bp.add_url_rule(
    "/admin/settings",
    endpoint="site_settings",
    view_func=site_settings.edit,
    methods=["GET", "POST"],
)
bp.add_url_rule("/admin/users", endpoint="admin_users", view_func=users.user_list)
bp.add_url_rule("/admin/users/<int:user_id>", endpoint="admin_user", view_func=users.user_detail)
bp.add_url_rule(
    "/admin/users/<int:user_id>/role",
    endpoint="admin_user_role",
    view_func=users.user_role,
    methods=["POST"],
)
bp.add_url_rule(
    "/admin/users/<int:user_id>/confirmation",
    endpoint="admin_user_resend",
    view_func=users.user_resend,
    methods=["POST"],
)

# A suspension ends the sessions of the account, on its next request wherever it is.
bp.before_app_request(views.sign_out_suspended)
# While the site requires it, staff without a second factor may only set one up or sign out.
bp.before_app_request(second_factor.require_for_staff)
