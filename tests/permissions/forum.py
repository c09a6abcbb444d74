"""Permission decisions for the forum routes.

The forum is for practitioners and above: visitors are sent to sign in, trainees get 403.
Editing and history belong to the post's author (the practitioner here) and to moderators;
a hidden post is 404 for members who did not write it; category management is for admins.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Category
from app.forum.services import posts as services
from tests.permissions import RouteCase, World, at_least


def build(world: World) -> None:
    above = Category(name="Permission neighbour", slug="perm-above", position=1)
    category = Category(name="Permission checks", slug="perm-forum", description="Matrix.",
                        position=2)  # fmt: skip
    db.session.add_all([above, category])
    db.session.flush()
    author = db.session.get(User, world["users"]["practitioner"].id)
    admin = db.session.get(User, world["users"]["admin"].id)
    assert author is not None and admin is not None
    first = services.create_topic(author, category, "A topic for the matrix", "Opening post.")
    reply = services.reply(author, first.topic, "A reply that gets deleted.")
    hidden = services.reply(admin, first.topic, "A post the moderators hid.")
    for post in (first, reply):
        services.set_post_status(post, "visible")
    services.set_post_status(hidden, "hidden")
    world["forum_topic"] = first.topic_id
    world["forum_post"] = first.id
    world["forum_reply"] = reply.id
    world["forum_hidden"] = hidden.id
    world["forum_category"] = db.session.scalar(
        select(Category.id).where(Category.slug == "perm-forum")
    )


def _author_or_moderator(status: int) -> dict[str, int]:
    """The practitioner wrote the post; moderators and admins may act on it too."""
    return at_least("practitioner", status)


def _moderators_only(status: int) -> dict[str, int]:
    """A post written by the admin and hidden: a member who did not write it gets 404."""
    return {**at_least("moderator", status), "practitioner": 404}


def _t(path: str) -> Callable[[World], str]:
    return lambda w: f"/forum/t/{w['forum_topic']}{path}"


def _p(key: str, path: str = "") -> Callable[[World], str]:
    return lambda w: f"/forum/p/{w[key]}{path}"


def _c(path: str = "") -> Callable[[World], str]:
    return lambda w: f"/forum/admin/categories/{w['forum_category']}{path}"


CASES = [
    RouteCase("forum.index", "/forum/", at_least("practitioner")),
    RouteCase("forum.category", "/forum/c/perm-forum", at_least("practitioner")),
    RouteCase("forum.category", "/forum/c/no-such-category", at_least("practitioner", 404)),
    RouteCase("forum.new_topic", "/forum/c/perm-forum/new", at_least("practitioner")),
    RouteCase(
        "forum.new_topic",
        "/forum/c/perm-forum/new",
        at_least("practitioner", 400),
        "POST",
        {"title": "", "body": "No title"},
    ),
    RouteCase(
        "forum.new_topic",
        "/forum/c/perm-forum/new",
        at_least("practitioner", 302),
        "POST",
        {"title": "Matrix topic", "body": "A body."},
    ),
    RouteCase(
        "forum.watch_category", "/forum/c/perm-forum/watch", at_least("practitioner", 302), "POST"
    ),
    RouteCase("forum.topic", _t(""), at_least("practitioner")),
    RouteCase("forum.topic", "/forum/t/999999", at_least("practitioner", 404)),
    RouteCase("forum.first_unread", _t("/unread"), at_least("practitioner", 302)),
    RouteCase("forum.reply", _t("/reply"), at_least("practitioner")),
    RouteCase(
        "forum.reply",
        _t("/reply"),
        at_least("practitioner", 302),
        "POST",
        {"body": "A matrix reply."},
    ),
    RouteCase(
        "forum.watch_topic",
        _t("/watch"),
        at_least("practitioner", 302),
        "POST",
        {"action": "unwatch"},
    ),
    RouteCase("forum.post_link", _p("forum_post"), at_least("practitioner", 302)),
    RouteCase("forum.post_link", _p("forum_hidden"), _moderators_only(302)),
    RouteCase("forum.edit", _p("forum_post", "/edit"), _author_or_moderator(200)),
    RouteCase(
        "forum.edit",
        _p("forum_post", "/edit"),
        _author_or_moderator(302),
        "POST",
        {"title": "A topic for the matrix", "body": "Edited opening post."},
    ),
    RouteCase("forum.edit", _p("forum_hidden", "/edit"), _moderators_only(200)),
    RouteCase("forum.history", _p("forum_post", "/history"), _author_or_moderator(200)),
    RouteCase("forum.history", _p("forum_hidden", "/history"), _moderators_only(200)),
    RouteCase("forum.preferences", "/forum/preferences", at_least("practitioner")),
    RouteCase(
        "forum.preferences",
        "/forum/preferences",
        at_least("practitioner", 302),
        "POST",
        {"mention_site": "y", "mention_email": "y"},
    ),
    RouteCase("forum.delete", _p("forum_hidden", "/delete"), _moderators_only(200)),
    RouteCase("forum.delete", _p("forum_reply", "/delete"), _author_or_moderator(200)),
    RouteCase("forum.delete", _p("forum_hidden", "/delete"), _moderators_only(302), "POST"),
    RouteCase("forum.delete", _p("forum_reply", "/delete"), _author_or_moderator(302), "POST"),
    RouteCase("forum_admin.category_list", "/forum/admin/categories", at_least("admin")),
    RouteCase(
        "forum_admin.category_list",
        "/forum/admin/categories",
        at_least("admin", 400),
        "POST",
        {"name": "x"},
    ),
    RouteCase(
        "forum_admin.category_list",
        "/forum/admin/categories",
        at_least("admin", 302),
        "POST",
        {"name": "Matrix category"},
    ),
    RouteCase("forum_admin.category_edit", _c(), at_least("admin")),
    RouteCase(
        "forum_admin.category_edit",
        _c(),
        at_least("admin", 302),
        "POST",
        {"name": "Permission checks", "slug": "perm-forum", "position": "3"},
    ),
    RouteCase(
        "forum_admin.category_move",
        _c("/move"),
        at_least("admin", 302),
        "POST",
        {"direction": "up"},
    ),
    RouteCase(
        "forum_admin.category_move",
        _c("/move"),
        at_least("admin", 400),
        "POST",
        {"direction": "sideways"},
    ),
]
