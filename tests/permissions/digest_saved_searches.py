"""Permission decisions for saved searches and their alerts.

Saved searches are for signed-in members (visitors are sent to sign in); a saved search exists
only for its owner (404 for everybody else, admins included). The stop-alerts link works for
anyone who holds it, signed in or not: the signed token is the permission.
"""

from __future__ import annotations

from app.accounts.services import users as accounts
from app.core.permissions import Role
from app.digest.services import saved_searches
from tests.permissions import RouteCase, World, everyone, signed_in


def build(world: World) -> None:
    owner = accounts.create_user(
        "saved-owner@example.org", "Saved Owner", "a long enough password", role=Role.TRAINEE
    )
    search = saved_searches.save(owner, "Pistols", "q=pistols", "daily")
    quiet = saved_searches.save(owner, "Rifles", "q=rifles", "none")
    world["saved_search"] = search.id
    world["stop_token"] = saved_searches.unsubscribe_token(search)
    world["quiet_token"] = saved_searches.unsubscribe_token(quiet)


def _own(world: World, action: str = "") -> str:
    return f"/cases/saved/{world['saved_search']}{action}"


NOT_THEIRS = signed_in(404)

CASES = [
    RouteCase("digest.saved_search_list", "/cases/saved", signed_in()),
    RouteCase("digest.save_search", "/cases/saved", signed_in(400), method="POST"),
    RouteCase("digest.run_saved_search", _own, NOT_THEIRS),
    RouteCase("digest.rename_saved_search", lambda w: _own(w, "/rename"), NOT_THEIRS,
              method="POST", data={"name": "Taken over"}),
    RouteCase("digest.saved_search_alert", lambda w: _own(w, "/alert"), NOT_THEIRS,
              method="POST", data={"alert": "none"}),
    RouteCase("digest.delete_saved_search", lambda w: _own(w, "/delete"), NOT_THEIRS,
              method="POST"),
    RouteCase("digest.unsubscribe",
              lambda w: f"/cases/alerts/unsubscribe/{w['stop_token']}", everyone()),
    RouteCase("digest.unsubscribe", "/cases/alerts/unsubscribe/not-a-token", everyone(400)),
    RouteCase("digest.unsubscribe", lambda w: f"/cases/alerts/unsubscribe/{w['quiet_token']}",
              everyone(), method="POST"),
]  # fmt: skip
