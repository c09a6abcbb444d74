"""A rejected post goes back to its author: its text and the moderator's reason (the audit
entry of the rejection) on a page only they can open."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db, get_or_404
from app.core.errors import NotFound
from app.core.models import AuditEntry
from app.forum import policy
from app.forum.models import Post, PostStatus, TopicStatus


def get_returned_post(user: User, post_id: int) -> tuple[Post, str]:
    """The user's own rejected post and the reason it was rejected; NotFound for anyone else."""
    post = get_or_404(Post, post_id, _("There is no such post."))
    if post.author_id != user.id or post.status != PostStatus.REJECTED:
        raise NotFound(_("There is no such post."))
    reason = db.session.scalar(
        select(AuditEntry.reason)
        .where(
            AuditEntry.action == "forum.post.reject",
            AuditEntry.target_type == "post",
            AuditEntry.target_id == str(post.id),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return post, reason or ""


def can_post_again(user: User, post: Post) -> bool:
    """Whether the form on the page may send the text again: a reply needs its topic open to
    replies; a rejected opening post starts a new topic in the same category."""
    if post.number == 1:
        return policy.can_read_forum(user)
    topic = post.topic
    if not policy.can_open_topic(user, topic) or topic.status == TopicStatus.DELETED:
        return False
    return not topic.locked or policy.can_moderate(user)
