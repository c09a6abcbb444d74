"""Permission decisions for the second factor, the data download, the site settings and the
administrators' account screens."""

from __future__ import annotations

from tests.permissions import RouteCase, at_least, everyone, signed_in

CASES = [
    # Without a password step just before, the code step sends everyone back to sign-in.
    RouteCase("accounts.sign_in_code", "/sign-in/code", everyone(302)),
    RouteCase("accounts.sign_in_code", "/sign-in/code", everyone(302), method="POST"),
    RouteCase("accounts.data_export", "/account/data.json", signed_in()),
    RouteCase("accounts.second_factor", "/account/two-factor", signed_in()),
    RouteCase("accounts.second_factor_setup", "/account/two-factor/setup", signed_in()),
    RouteCase(
        "accounts.second_factor_setup", "/account/two-factor/setup", signed_in(400), method="POST"
    ),
    RouteCase(
        "accounts.second_factor_recovery_codes",
        "/account/two-factor/recovery-codes",
        signed_in(400),
        method="POST",
    ),
    RouteCase(
        "accounts.second_factor_disable",
        "/account/two-factor/disable",
        signed_in(400),
        method="POST",
    ),
    RouteCase("accounts.site_settings", "/admin/settings", at_least("admin")),
    RouteCase("accounts.site_settings", "/admin/settings", at_least("admin", 302), method="POST"),
    RouteCase("accounts.admin_users", "/admin/users", at_least("admin")),
    RouteCase(
        "accounts.admin_user",
        lambda w: f"/admin/users/{w['users']['trainee'].id}",
        at_least("admin"),
    ),
    # A role change without a reason is refused (400) for admins, before anything changes.
    RouteCase(
        "accounts.admin_user_role",
        lambda w: f"/admin/users/{w['users']['trainee'].id}/role",
        at_least("admin", 400),
        method="POST",
        data={"role": "practitioner"},
    ),
    # The trainee's address is confirmed: a re-send is a conflict.
    RouteCase(
        "accounts.admin_user_resend",
        lambda w: f"/admin/users/{w['users']['trainee'].id}/confirmation",
        at_least("admin", 409),
        method="POST",
    ),
]
