"""Permission decisions for members' profiles, previews, likes, Latest/Unread, and private
messages: practitioners and above; a member who is not a forum reader has no profile (404)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Category
from app.forum.services import posts as services
from tests.permissions import RouteCase, World, at_least


def build(world: World) -> None:
    """A reply by the practitioner that a moderator rejected (given back to its author only)."""
    category = db.session.scalar(select(Category).where(Category.slug == "perm-forum"))
    if category is None:
        category = Category(name="Member checks", slug="perm-members")
        db.session.add(category)
        db.session.flush()
    author = db.session.get(User, world["users"]["practitioner"].id)
    assert author is not None
    opening = services.create_topic(author, category, "A topic for returned posts", "Opening.")
    rejected = services.reply(author, opening.topic, "A reply the moderators rejected.")
    services.set_post_status(rejected, "rejected")
    world["forum_rejected"] = rejected.id
    admin = db.session.get(User, world["users"]["admin"].id)
    assert admin is not None
    liked = services.reply(admin, opening.topic, "A reply others may find helpful.")
    world["forum_likeable"] = liked.id


def _only_author(status: int) -> dict[str, int]:
    """The practitioner wrote it: everyone else, moderators included, gets 404."""
    return {**at_least("practitioner", 404), "practitioner": status}


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
    RouteCase(
        "forum.preview", "/forum/preview", at_least("practitioner"), "POST", {"body": "**Hi**"}
    ),
    RouteCase(
        "forum.returned_post",
        lambda w: f"/forum/p/{w['forum_rejected']}/returned",
        _only_author(200),
    ),
    RouteCase("forum.latest", "/forum/latest", at_least("practitioner")),
    RouteCase("forum.unread", "/forum/unread", at_least("practitioner")),
    RouteCase(
        "forum.like",
        lambda w: f"/forum/p/{w['forum_likeable']}/like",
        # The admin wrote the post: their own posts cannot be marked helpful.
        {**at_least("practitioner", 302), "admin": 403},
        "POST",
        {"action": "like"},
    ),
]
