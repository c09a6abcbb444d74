"""Every URL of accounts: sign-up, sign-in, confirmation, reset, the account pages."""

from __future__ import annotations

from flask import Blueprint

from app.accounts import views

bp = Blueprint("accounts", __name__)

bp.add_url_rule("/sign-up", view_func=views.sign_up, methods=["GET", "POST"])
bp.add_url_rule("/confirm/<token>", view_func=views.confirm_email)
bp.add_url_rule("/confirm", view_func=views.resend_confirmation, methods=["POST"])
bp.add_url_rule("/sign-in", view_func=views.sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-out", view_func=views.sign_out, methods=["POST"])
bp.add_url_rule(
    "/account/sign-out-everywhere", view_func=views.sign_out_everywhere, methods=["POST"]
)
bp.add_url_rule("/reset", view_func=views.request_reset, methods=["GET", "POST"])
bp.add_url_rule("/reset/<token>", view_func=views.reset_password, methods=["GET", "POST"])
bp.add_url_rule("/account", view_func=views.profile, methods=["GET", "POST"])
bp.add_url_rule("/account/password", view_func=views.change_password, methods=["GET", "POST"])
bp.add_url_rule("/account/delete", view_func=views.delete_account, methods=["GET", "POST"])
bp.add_url_rule("/account/practitioner", view_func=views.practitioner, methods=["GET", "POST"])
bp.add_url_rule("/notifications", view_func=views.notification_list, methods=["GET", "POST"])

# A suspension ends the sessions of the account, on its next request wherever it is.
bp.before_app_request(views.sign_out_suspended)
