"""The checks every new post goes through before it is saved: published, held, or refused.

- A silenced or suspended member cannot post or edit (the message says until when).
- Slow mode: one post per member every N seconds in a topic.
- Watched words: "block" refuses the post (or an edit), "review" holds a new post for a
  moderator; an edit that brings in a review word the post did not have sends it back.
- Premoderation: the first posts of a member (a site setting, default FORUM_PREMODERATE_FIRST)
  wait for approval.
Moderators pass every check but the sanctions ones (they cannot be sanctioned by peers anyway).
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.accounts.models import User
from app.core import settings
from app.core.db import db
from app.core.errors import ServiceError, TooManyRequests
from app.core.permissions import Role, has_role
from app.core.time import utcnow
from app.forum.models import Post, PostStatus, Topic
from app.forum.services import watched_words
from app.moderation.services import queue as review
from app.moderation.services import sanctions


def premoderated(author: User) -> bool:
    """Tell whether the author's next post waits for approval: their first N posts do."""
    if has_role(author, Role.MODERATOR):
        return False
    first = settings.get_int(settings.FORUM_PREMODERATE_FIRST)
    if first <= 0:
        return False
    approved = db.session.scalar(
        select(func.count(Post.id)).where(
            Post.author_id == author.id, Post.status == PostStatus.VISIBLE
        )
    )
    return (approved or 0) < first


def check_slow_mode(author: User, topic: Topic) -> None:
    if not topic.slow_mode_seconds or has_role(author, Role.MODERATOR):
        return
    last = db.session.scalar(
        select(func.max(Post.created_at)).where(
            Post.topic_id == topic.id, Post.author_id == author.id
        )
    )
    if last is None:
        return
    wait = (last + timedelta(seconds=topic.slow_mode_seconds) - utcnow()).total_seconds()
    if wait > 0:
        seconds = int(wait) + 1
        every = ngettext(
            "This topic is in slow mode: one post every %(num)s second per member.",
            "This topic is in slow mode: one post every %(num)s seconds per member.",
            topic.slow_mode_seconds,
        )
        again = ngettext(
            "You can post again in %(num)s second.",
            "You can post again in %(num)s seconds.",
            seconds,
        )
        raise TooManyRequests(f"{every} {again}")


def _texts(topic: Topic, body: str, opening: bool) -> tuple[str, ...]:
    # The title is screened with the opening post only, not with every reply.
    return (topic.title, body) if opening else (body,)


def hold_reasons(author: User, topic: Topic, body: str, opening: bool) -> list[str]:
    """Why a post by `author` would wait for a moderator (empty: it is published at once)."""
    if has_role(author, Role.MODERATOR):
        return []
    reasons = []
    if premoderated(author):
        reasons.append("first posts of a new member")
    verdict = watched_words.check(*_texts(topic, body, opening))
    if verdict.action == "review":
        reasons.append("watched words: " + ", ".join(verdict.words))
    return reasons


def new_post_status(author: User, topic: Topic, body: str) -> PostStatus:
    """Refuse the post (ServiceError with a clear message), or say "visible" or "pending"."""
    sanctions.ensure_can_post(author)
    if has_role(author, Role.MODERATOR):
        return PostStatus.VISIBLE
    check_slow_mode(author, topic)
    opening = topic.last_number == 0
    _refuse_blocked(watched_words.check(*_texts(topic, body, opening)))
    return PostStatus.PENDING if hold_reasons(author, topic, body, opening) else PostStatus.VISIBLE


def check_edit(author: User, post: Post, body: str, title: str | None) -> list[str]:
    """Refuse an edit by a silenced member, or one that brings in a blocking watched word.

    Returns the "review" words the edit brings in (not in the post before): a visible post
    edited so goes back to the review queue, like a new post.
    """
    sanctions.ensure_can_post(author)
    if has_role(author, Role.MODERATOR):
        return []
    titled = title is not None and post.number == 1
    verdict = watched_words.check(*((title or "", body) if titled else (body,)))
    _refuse_blocked(verdict)
    if verdict.action != "review":
        return []
    before = watched_words.check(*((post.topic.title, post.body) if titled else (post.body,)))
    return [word for word in verdict.words if word not in before.words]


def _refuse_blocked(verdict: watched_words.Verdict) -> None:
    if verdict.action == "block":
        words = ", ".join(f"“{word}”" for word in verdict.words)
        raise ServiceError(
            _(
                "Your post contains words that are not allowed in the forum (%(words)s). Change "
                "them and try again; nothing was saved.",
                words=words,
            )
        )


def hold_for_review(post: Post) -> None:
    """Put a pending post in the review queue, saying why it waits."""
    topic = post.topic
    author = post.author
    # The post itself is pending now, so it does not count towards the approved ones.
    reasons = hold_reasons(author, topic, post.body, post.number == 1) if author else []
    label = "New topic" if post.number == 1 else "Reply"
    name = author.display_name if author else "Deleted user"
    why = f" ({'; '.join(reasons)})" if reasons else ""
    review.open_item("post", post.id, f"{label} by {name} in “{topic.title}”{why}")
