"""Flags: members report posts; a post is hidden once its flag score reaches the threshold.

Each flag adds its weight to the post's `flag_score` (in SQL). A member's flag weighs 1; a
moderator's weighs the whole threshold, so it hides the post at once. All open flags on a post
share one review item (kind "flag", target: the post), which a moderator decides: hide (agree),
dismiss (disagree: the post is shown again and its score reset) or delete.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import audit, settings
from app.core.db import db
from app.core.errors import Conflict, NotFound, ServiceError
from app.core.permissions import Role, has_role
from app.core.time import utcnow
from app.forum import policy
from app.forum.models import FLAG_REASONS, Flag, FlagStatus, Post, PostStatus
from app.forum.services import moderation, recipient
from app.moderation.services import queue as review

MAX_MESSAGE = 1000
REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "inappropriate": _l("Inappropriate or abusive"),
    "off-topic": _l("Off-topic"),
    "sensitive": _l("Sensitive operational information"),
    "other": _l("Something else (explain below)"),
}
assert set(REASON_LABELS) == set(FLAG_REASONS)


def hide_score() -> float:
    return float(settings.get_int(settings.FORUM_FLAG_HIDE_SCORE))


def flag(user: User, post: Post, reason: str, message: str) -> Flag:
    """Record a member's flag on a post they can see; hide the post once the score is reached."""
    policy.can_flag.require(user)
    if post.status != PostStatus.VISIBLE or not policy.can_see_post(user, post):
        raise NotFound(_("This post does not exist."))
    if post.author_id == user.id:
        raise ServiceError(_("You cannot flag your own post; edit or delete it instead."))
    if reason not in FLAG_REASONS:
        raise ServiceError(_("Choose why this post needs a moderator."))
    message = message.strip()
    if reason == "other" and not message:
        raise ServiceError(_("Tell the moderators what is wrong with this post."))
    if len(message) > MAX_MESSAGE:
        raise ServiceError(_("Keep the message under %(num)s characters.", num=MAX_MESSAGE))
    if db.session.scalar(
        select(Flag.id).where(Flag.post_id == post.id, Flag.flagger_id == user.id)
    ):
        raise Conflict(_("You have already flagged this post."))
    weight = hide_score() if has_role(user, Role.MODERATOR) else 1.0
    entry = Flag(post_id=post.id, flagger_id=user.id, reason=reason, message=message, weight=weight)
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("You have already flagged this post.")) from None
    db.session.execute(
        update(Post).where(Post.id == post.id).values(flag_score=Post.flag_score + weight)
    )
    # The UPDATE holds the post's row lock until commit; re-read status and score after it, so
    # two flags landing together hide the post (and change its counters) only once.
    db.session.refresh(post)
    author = post.author.display_name if post.author else "Deleted user"
    review.open_item("flag", post.id, f"Flagged: post by {author} in “{post.topic.title}”")
    if post.flag_score >= hide_score() and post.status == PostStatus.VISIBLE:
        moderation.change_status(post, PostStatus.HIDDEN)
        audit.record(
            user.id if has_role(user, Role.MODERATOR) else None,
            "forum.post.auto_hide",
            "post",
            post.id,
            f"Flag score {post.flag_score:g} reached {hide_score():g}",
            topic_id=post.topic_id,
        )
        if post.author_id:
            title = post.topic.title
            recipient.notify(
                post.author_id,
                "moderation",
                lambda: _(
                    "Your post in “%(title)s” was hidden after members flagged it; a moderator "
                    "will review it.",
                    title=title,
                ),
            )
    return entry


def open_flags(post_id: int) -> list[tuple[Flag, str | None]]:
    rows = db.session.execute(
        select(Flag, User.display_name)
        .outerjoin(User, User.id == Flag.flagger_id)
        .where(Flag.post_id == post_id, Flag.status == FlagStatus.OPEN)
        .order_by(Flag.created_at, Flag.id)
    )
    return [(entry, name) for entry, name in rows]


_AUDIT_ACTIONS = {FlagStatus.AGREED: "forum.flag.agree", FlagStatus.DISMISSED: "forum.flag.dismiss"}


def _close_flags(
    moderator: User, post_id: int, reason: str, status: FlagStatus, outcome: str
) -> None:
    """Decide every open flag on the post as `status`, log it, and close the post's review item."""
    result = db.session.execute(
        update(Flag)
        .where(Flag.post_id == post_id, Flag.status == FlagStatus.OPEN)
        .values(status=status, decided_by_id=moderator.id, decided_at=utcnow())
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    audit.record(moderator.id, _AUDIT_ACTIONS[status], "post", post_id, reason, flags=count)
    review.close_item("flag", post_id, moderator, outcome)


def agree(moderator: User, post_id: int, reason: str) -> None:
    """The flags are right: hide the post (if not hidden already)."""
    post = moderation.get_post_for_moderation(post_id)
    if post.status == PostStatus.VISIBLE:
        moderation.hide(moderator, post_id, reason)
    else:
        policy.can_moderate.require(moderator)
    _close_flags(moderator, post_id, reason, FlagStatus.AGREED, "hidden")


def dismiss(moderator: User, post_id: int, reason: str) -> None:
    """The flags are wrong: show the post again and reset its score."""
    policy.can_moderate.require(moderator)
    post = moderation.get_post_for_moderation(post_id)
    if post.status == PostStatus.HIDDEN:
        moderation.change_status(post, PostStatus.VISIBLE)
    post.flag_score = 0.0
    _close_flags(moderator, post_id, reason, FlagStatus.DISMISSED, "dismissed")


def delete_post(moderator: User, post_id: int, reason: str) -> None:
    if moderation.get_post_for_moderation(post_id).status != PostStatus.DELETED:
        moderation.delete(moderator, post_id, reason)
    else:
        policy.can_moderate.require(moderator)
    _close_flags(moderator, post_id, reason, FlagStatus.AGREED, "deleted")


def review_context(post_id: int) -> dict[str, Any] | None:
    post = db.session.get(Post, post_id)
    if post is None:
        return None
    return {"post": post, "flags": open_flags(post_id), "labels": REASON_LABELS}
