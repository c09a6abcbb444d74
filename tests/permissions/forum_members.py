"""Permission decisions for members' profiles, previews, likes, Latest/Unread, and private
messages: practitioners and above; a member who is not a forum reader has no profile (404)."""

from __future__ import annotations

from collections.abc import Callable

from tests.permissions import RouteCase, World, at_least


def _member(role: str) -> Callable[[World], str]:
    return lambda w: f"/forum/u/{w['users'][role].id}"


CASES = [
    RouteCase("forum.member", _member("practitioner"), at_least("practitioner")),
    RouteCase("forum.member", _member("trainee"), at_least("practitioner", 404)),
    RouteCase("forum.member", "/forum/u/999999", at_least("practitioner", 404)),
    RouteCase(
        "forum.save_profile",
        "/forum/preferences/profile",
        at_least("practitioner", 302),
        "POST",
        {"organisation_type": "police", "show_country": "y"},
    ),
    RouteCase(
        "forum.save_profile",
        "/forum/preferences/profile",
        at_least("practitioner", 400),
        "POST",
        {"organisation_type": "no-such-type"},
    ),
]
