"""Moderator actions on posts and topics: approve, reject, hide, unhide, delete; hide or show a
whole topic, lock, pin, move and slow mode. Each writes the audit log with the moderator, the
target and the reason.

Post status changes go through `services.set_post_status`, topic status changes through
`services.set_topic_status`; both keep the counters right (in SQL) and re-index.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts.models import User
from app.core import audit
from app.core.db import db, get_or_404, lock
from app.core.errors import Conflict, ServiceError
from app.forum import policy
from app.forum.models import Category, Post, PostStatus, Topic, TopicStatus
from app.forum.services import posts as services
from app.forum.services import recipient
from app.moderation.services import queue as review
from app.search import enqueue

MAX_REASON = 2000
MAX_SLOW_MODE = 7 * 24 * 3600


# Status changes ------------------------------------------------------------------------------


def change_status(post: Post, status: PostStatus) -> None:
    """Move a post to `status` through the forum's one status service (counters, index; a
    change of the opening post re-indexes the whole topic there)."""
    services.set_post_status(post, status)


def _reason(reason: str, required: bool = True) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ServiceError(_("Give a reason: it is kept in the audit log."))
    if len(reason) > MAX_REASON:
        raise ServiceError(_("Keep the reason under %(num)s characters.", num=MAX_REASON))
    return reason


def get_post_for_moderation(post_id: int) -> Post:
    """Any post, whatever its status or its topic's (no visibility check: moderators only)."""
    return get_or_404(Post, post_id, _("This post does not exist."))


def get_topic_for_moderation(topic_id: int) -> Topic:
    """Any topic, deleted ones included (no visibility check: moderators only)."""
    return get_or_404(Topic, topic_id, _("This topic does not exist."))


def _no_longer_pending(moderator: User, post: Post) -> bool:
    """Close the review item of a post that left the queue another way (its author deleted it,
    a moderator acted on it from the topic): there is nothing left to decide."""
    if post.status == PostStatus.PENDING:
        return False
    review.close_item("post", post.id, moderator, f"no longer pending ({post.status})")
    return True


def approve(moderator: User, post_id: int, reason: str = "") -> Post:
    policy.can_moderate.require(moderator)
    post = get_post_for_moderation(post_id)
    if _no_longer_pending(moderator, post):
        return post
    change_status(post, PostStatus.VISIBLE)
    audit.record(
        moderator.id,
        "forum.post.approve",
        "post",
        post.id,
        _reason(reason, False),
        topic_id=post.topic_id,
    )
    review.close_item("post", post.id, moderator, "approved")
    if post.author_id:
        title = post.topic.title
        recipient.notify(
            post.author_id,
            "moderation",
            lambda: _("Your post in “%(title)s” was approved.", title=title),
        )
    return post


def reject(moderator: User, post_id: int, reason: str) -> Post:
    policy.can_moderate.require(moderator)
    reason = _reason(reason)
    post = get_post_for_moderation(post_id)
    if _no_longer_pending(moderator, post):
        return post
    change_status(post, PostStatus.REJECTED)
    audit.record(moderator.id, "forum.post.reject", "post", post.id, reason, topic_id=post.topic_id)
    review.close_item("post", post.id, moderator, "rejected")
    if post.author_id:
        # The link gives the author their text back, with the reason (nothing they wrote is lost).
        title = post.topic.title
        recipient.notify(
            post.author_id,
            "moderation",
            lambda: _(
                "Your post in “%(title)s” was not approved. Reason: %(reason)s",
                title=title,
                reason=reason,
            ),
            url_for("forum.returned_post", post_id=post.id),
        )
    return post


def hide(moderator: User, post_id: int, reason: str) -> Post:
    policy.can_moderate.require(moderator)
    reason = _reason(reason)
    post = get_post_for_moderation(post_id)
    if post.status != PostStatus.VISIBLE:
        raise Conflict(_("Only a visible post can be hidden."))
    change_status(post, PostStatus.HIDDEN)
    audit.record(moderator.id, "forum.post.hide", "post", post.id, reason, topic_id=post.topic_id)
    if post.author_id:
        title = post.topic.title
        recipient.notify(
            post.author_id,
            "moderation",
            lambda: _(
                "A moderator hid your post in “%(title)s”. Reason: %(reason)s",
                title=title,
                reason=reason,
            ),
        )
    return post


def unhide(moderator: User, post_id: int, reason: str = "") -> Post:
    policy.can_moderate.require(moderator)
    post = get_post_for_moderation(post_id)
    if post.status != PostStatus.HIDDEN:
        raise Conflict(_("This post is not hidden."))
    change_status(post, PostStatus.VISIBLE)
    post.flag_score = 0.0
    audit.record(
        moderator.id,
        "forum.post.unhide",
        "post",
        post.id,
        _reason(reason, False),
        topic_id=post.topic_id,
    )
    return post


def delete(moderator: User, post_id: int, reason: str) -> Post:
    """Soft-delete a post (the opening post takes its topic with it)."""
    policy.can_moderate.require(moderator)
    reason = _reason(reason)
    post = get_post_for_moderation(post_id)
    if post.status == PostStatus.DELETED:
        raise Conflict(_("This post is already deleted."))
    services.delete_post(moderator, post, reason)
    if post.author_id == moderator.id:
        # The forum service logs only deletions of other people's posts.
        audit.record(moderator.id, "forum.post.delete", "post", post.id, reason)
    review.close_item("post", post.id, moderator, "deleted")
    return post


# Topic actions -------------------------------------------------------------------------------


def set_hidden(moderator: User, topic_id: int, hidden: bool, reason: str = "") -> Topic:
    """Hide a visible topic with all its replies (its author still opens it), or show it again.

    Hiding only the first post (`hide`) leaves the topic readable; this takes the whole topic
    out of the listings, search and every post route for everyone but its author and moderators.
    """
    policy.can_moderate.require(moderator)
    reason = _reason(reason, required=hidden)
    get_topic_for_moderation(topic_id)
    topic = lock(Topic, topic_id)
    before, after = TopicStatus.VISIBLE, TopicStatus.HIDDEN
    if not hidden:
        before, after = after, before
    if topic.status != before:
        raise Conflict(
            _("Only a visible topic can be hidden.") if hidden else _("This topic is not hidden.")
        )
    services.set_topic_status(topic, after)
    action = "forum.topic.hide" if hidden else "forum.topic.unhide"
    audit.record(moderator.id, action, "topic", topic.id, reason)
    if hidden and topic.author_id:
        recipient.notify(
            topic.author_id,
            "moderation",
            lambda: _(
                "A moderator hid your topic “%(title)s”. Reason: %(reason)s",
                title=topic.title,
                reason=reason,
            ),
        )
    return topic


def set_locked(moderator: User, topic_id: int, locked: bool, reason: str = "") -> Topic:
    return _set_topic_flag(moderator, topic_id, "locked", locked, ("lock", "unlock"), reason)


def set_pinned(moderator: User, topic_id: int, pinned: bool, reason: str = "") -> Topic:
    return _set_topic_flag(moderator, topic_id, "pinned", pinned, ("pin", "unpin"), reason)


def _set_topic_flag(
    moderator: User,
    topic_id: int,
    flag: str,
    value: bool,
    actions: tuple[str, str],
    reason: str,
) -> Topic:
    """Set a topic's `locked` or `pinned` flag and log `forum.topic.<on|off action>`."""
    policy.can_moderate.require(moderator)
    topic = get_topic_for_moderation(topic_id)
    setattr(topic, flag, value)
    action = actions[0] if value else actions[1]
    audit.record(moderator.id, f"forum.topic.{action}", "topic", topic.id, _reason(reason, False))
    return topic


def set_slow_mode(moderator: User, topic_id: int, seconds: int, reason: str = "") -> Topic:
    policy.can_moderate.require(moderator)
    if not 0 <= seconds <= MAX_SLOW_MODE:
        raise ServiceError(
            _("Slow mode is between 0 (off) and %(num)s seconds (a week).", num=MAX_SLOW_MODE)
        )
    topic = get_topic_for_moderation(topic_id)
    previous = topic.slow_mode_seconds
    topic.slow_mode_seconds = seconds
    audit.record(
        moderator.id,
        "forum.topic.slow_mode",
        "topic",
        topic.id,
        _reason(reason, False),
        seconds=seconds,
        previous=previous,
    )
    return topic


def move(moderator: User, topic_id: int, category_id: int, reason: str = "") -> Topic:
    """Move a topic to another category, taking its counts along."""
    policy.can_moderate.require(moderator)
    topic = get_topic_for_moderation(topic_id)
    target = get_or_404(Category, category_id, _("This category does not exist."))
    if target.id == topic.category_id:
        raise ServiceError(_("The topic is already in this category."))
    source_id = topic.category_id
    if topic.status == TopicStatus.VISIBLE:  # a category counts its visible topics only
        for category, sign in ((source_id, -1), (target.id, 1)):
            db.session.execute(
                update(Category)
                .where(Category.id == category)
                .values(
                    post_count=Category.post_count + sign * topic.post_count,
                    topic_count=Category.topic_count + sign,
                )
            )
    topic.category_id = target.id
    db.session.flush()
    for post_id in db.session.scalars(select(Post.id).where(Post.topic_id == topic.id)):
        enqueue("posts", str(post_id))
    audit.record(
        moderator.id,
        "forum.topic.move",
        "topic",
        topic.id,
        _reason(reason, False),
        source=source_id,
        target=target.id,
    )
    return topic
