"""Permission decisions for the second factor, the data download and the site settings."""

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
]
