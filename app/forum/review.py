"""How pending posts, flags and good-practice nominations appear in the one review queue."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.core.db import db
from app.forum.models import Post
from app.forum.services import flags, library, messages, moderation
from app.moderation.services.queue import ReviewKind, register_kind


def _load_post(post_id: int) -> dict[str, Any] | None:
    post = db.session.get(Post, post_id)
    if post is None:
        return None
    return {"post": post}


def register(app: Flask) -> None:
    register_kind(
        app,
        ReviewKind(
            name="post",
            label=_l("Posts awaiting approval"),
            load=_load_post,
            template="forum/kinds/post.html",
            decisions={"approve": moderation.approve, "reject": moderation.reject},
            needs_reason=frozenset({"reject"}),
        ),
    )
    register_kind(
        app,
        ReviewKind(
            name="flag",
            label=_l("Flagged posts"),
            load=flags.review_context,
            template="forum/kinds/flag.html",
            decisions={"hide": flags.agree, "dismiss": flags.dismiss, "delete": flags.delete_post},
            needs_reason=frozenset({"hide", "delete"}),
        ),
    )
    register_kind(
        app,
        ReviewKind(
            name="nomination",
            label=_l("Good-practice nominations"),
            load=library.review_context,
            template="forum/kinds/nomination.html",
            decisions={"decline": library.decline},
            needs_reason=frozenset({"decline"}),
            authors=library.nomination_authors,
        ),
    )
    register_kind(
        app,
        ReviewKind(
            name="message",
            label=_l("Flagged private messages"),
            load=messages.review_context,
            template="forum/kinds/message.html",
            decisions={"hide": messages.hide, "dismiss": messages.dismiss},
            needs_reason=frozenset({"hide"}),
            authors=messages.message_authors,
            second_person=frozenset({"dismiss"}),
        ),
    )
