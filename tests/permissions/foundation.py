"""Permission decisions for the core, accounts and moderation routes."""

from __future__ import annotations

from app.accounts.services import users as accounts
from app.core.db import db
from app.core.permissions import Role
from tests.permissions import RouteCase, World, at_least, everyone, signed_in

PASSWORD = "correct horse battery staple"


def build(world: World) -> None:
    applicant = accounts.create_user("applicant@example.org", "Applicant", PASSWORD, confirmed=True)
    application = accounts.apply_for_practitioner(
        applicant, "Customs", "Officer", "Ghana", "I investigate firearms smuggling cases."
    )
    db.session.flush()
    from app.moderation.services.queue import open_items

    world["review_item_id"] = open_items("application")[0].id
    world["application_id"] = application.id
    world["role"] = Role.TRAINEE


CASES = [
    RouteCase("core.index", "/", everyone()),
    RouteCase("core.healthz", "/healthz", everyone()),
    RouteCase("static", "/static/site.css", everyone()),
    RouteCase("accounts.sign_up", "/sign-up", {**everyone(), **signed_in(302, anonymous=200)}),
    RouteCase("accounts.sign_up", "/sign-up", {**signed_in(302, anonymous=400)}, method="POST"),
    RouteCase("accounts.sign_in", "/sign-in", signed_in(302, anonymous=200)),
    RouteCase("accounts.sign_in", "/sign-in", signed_in(302, anonymous=400), method="POST"),
    RouteCase("accounts.sign_out", "/sign-out", everyone(302), method="POST"),
    # The language picker: anyone may choose; an empty form names no language.
    RouteCase("accounts.choose_language", "/language", everyone(400), method="POST"),
    RouteCase(
        "accounts.sign_out_everywhere",
        "/account/sign-out-everywhere",
        signed_in(302),
        method="POST",
    ),
    RouteCase("accounts.confirm_email", "/confirm/not-a-token", everyone(400)),
    RouteCase("accounts.resend_confirmation", "/confirm", signed_in(302), method="POST"),
    RouteCase("accounts.request_reset", "/reset", everyone()),
    RouteCase("accounts.request_reset", "/reset", everyone(400), method="POST"),
    RouteCase("accounts.reset_password", "/reset/not-a-token", everyone(400)),
    RouteCase("accounts.reset_password", "/reset/not-a-token", everyone(400), method="POST"),
    RouteCase("accounts.profile", "/account", signed_in()),
    RouteCase(
        "accounts.profile", "/account", signed_in(400), method="POST", data={"display_name": ""}
    ),
    RouteCase("accounts.change_password", "/account/password", signed_in()),
    RouteCase("accounts.change_password", "/account/password", signed_in(400), method="POST"),
    RouteCase("accounts.delete_account", "/account/delete", signed_in()),
    RouteCase("accounts.delete_account", "/account/delete", signed_in(400), method="POST"),
    RouteCase("accounts.practitioner", "/account/practitioner", signed_in()),
    RouteCase("accounts.practitioner", "/account/practitioner", signed_in(400), method="POST"),
    RouteCase("accounts.notification_list", "/notifications", signed_in()),
    RouteCase("accounts.notification_list", "/notifications", signed_in(302), method="POST"),
    RouteCase("moderation.queue", "/moderation/", at_least("moderator")),
    RouteCase(
        "moderation.item",
        lambda w: f"/moderation/items/{w['review_item_id']}",
        at_least("moderator"),
    ),
    RouteCase(
        "moderation.item",
        lambda w: f"/moderation/items/{w['review_item_id']}",
        at_least("moderator", 400),
        method="POST",
        data={"decision": "nonsense"},
    ),
    RouteCase("moderation.item", "/moderation/items/999999", at_least("moderator", 404)),
    RouteCase("moderation.audit", "/moderation/audit", at_least("moderator")),
    RouteCase("moderation.audit_csv", "/moderation/audit.csv", at_least("moderator")),
]
