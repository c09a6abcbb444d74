"""Permission decisions for members' profiles, previews, likes, Latest/Unread, and private
messages: practitioners and above; a member who is not a forum reader has no profile (404)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.message_models import Message
from app.forum.models import Category
from app.forum.services import messages
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
    # A conversation between the practitioner and the admin (moderators are not members).
    conversation = messages.start(author, [admin], "Matrix conversation", "A private message.")
    world["forum_conversation"] = conversation.id
    world["forum_message"] = db.session.scalar(
        select(Message.id).where(Message.conversation_id == conversation.id)
    )


def _conversation(path: str) -> Callable[[World], str]:
    return lambda w: f"/forum/messages/{w['forum_conversation']}{path}"


def _message_flag(w: World) -> str:
    return f"/forum/messages/m/{w['forum_message']}/flag"


def _participants(status: int, author_status: int | None = None) -> dict[str, int]:
    """The practitioner and the admin talk; the moderator is not a member: 404."""
    expect = {**at_least("practitioner", status), "moderator": 404}
    if author_status is not None:
        expect["practitioner"] = author_status
    return expect


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
    RouteCase("forum.message_inbox", "/forum/messages", at_least("practitioner")),
    RouteCase("forum.new_conversation", "/forum/messages/new", at_least("practitioner")),
    RouteCase(
        "forum.new_conversation",
        "/forum/messages/new",
        at_least("practitioner", 400),
        "POST",
        {"to": "@No_Such_Member", "subject": "Hello", "body": "Text"},
    ),
    RouteCase("forum.conversation", _conversation(""), _participants(200)),
    RouteCase(
        "forum.conversation", _conversation(""), _participants(302), "POST", {"body": "A reply."}
    ),
    RouteCase("forum.flag_message", _message_flag, _participants(200, author_status=200)),
    RouteCase(
        "forum.flag_message",
        _message_flag,
        # The practitioner wrote it (their own: 400); the admin, a member, flags it.
        _participants(302, author_status=400),
        "POST",
        {"reason": "spam"},
    ),
    RouteCase("forum.message_blocks", "/forum/messages/blocks", at_least("practitioner")),
    RouteCase(
        "forum.message_blocks",
        "/forum/messages/blocks",
        at_least("practitioner", 400),
        "POST",
        {"handle": "@No_Such_Member"},
    ),
    RouteCase(
        "forum.unblock_member",
        "/forum/messages/blocks/999999/remove",
        at_least("practitioner", 404),
        "POST",
    ),
]
