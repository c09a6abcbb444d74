"""Every forum write about topics and posts: open a topic, reply, edit, delete, change status.

Post numbers come from a counter on the topic incremented in SQL (`last_number + 1 ... RETURNING`),
which takes the topic's row lock (PostgreSQL) or runs under BEGIN IMMEDIATE (SQLite), so two
members replying at the same moment get distinct numbers; a unique (topic, number) constraint
backs it. Counters change in SQL. Services only flush; the request commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from app import search
from app.accounts.models import Actor, User
from app.core.audit import record
from app.core.db import db, get_or_404, lock, one_or_404
from app.core.diff import DiffLine, diff_lines
from app.core.errors import Forbidden, NotFound, ServiceError
from app.core.markdown import find_references
from app.core.time import utcnow
from app.forum import policy
from app.forum.models import (
    Category,
    Post,
    PostRevision,
    PostStatus,
    Reference,
    Topic,
    TopicStatus,
)
from app.forum.services import screening
from app.forum.services import watching as notify

TITLE_MIN, TITLE_MAX = 5, 200
BODY_MIN, BODY_MAX = 2, 20_000
REFERENCE_KINDS = ("case", "module")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A first post leaving "pending" for one of these takes its never-published topic with it.
UNPUBLISHED = (PostStatus.REJECTED, PostStatus.DELETED)


def clean_title(raw: str) -> str:
    title = " ".join(CONTROL_RE.sub("", raw or "").split())
    if len(title) < TITLE_MIN:
        raise ServiceError(
            _("Give the topic a title of at least %(num)s characters.", num=TITLE_MIN)
        )
    if len(title) > TITLE_MAX:
        raise ServiceError(_("Keep the title under %(num)s characters.", num=TITLE_MAX))
    return title


def clean_body(raw: str) -> str:
    body = CONTROL_RE.sub("", (raw or "").replace("\r\n", "\n")).strip()
    if len(body) < BODY_MIN:
        raise ServiceError(_("Write a message before posting."))
    if len(body) > BODY_MAX:
        raise ServiceError(
            _("Keep the message under %(num)s characters.", num=format_number(BODY_MAX))
        )
    return body


def get_category(slug: str) -> Category:
    statement = select(Category).where(Category.slug == slug)
    return one_or_404(statement, _("There is no such forum category."))


def get_visible_topic(user: Actor, topic_id: int) -> Topic:
    """The topic if `user` may open it; NotFound otherwise (never reveal what exists)."""
    statement = (
        select(Topic)
        .where(Topic.id == topic_id, policy.visible_topics_for(user))
        .options(joinedload(Topic.category))  # every page of a topic names its category
    )
    return one_or_404(statement, _("There is no such topic."))


def get_visible_post(user: Actor, post_id: int) -> Post:
    """The post if `user` may see it, in a topic they may open; NotFound otherwise (never
    reveal what exists)."""
    post = get_or_404(Post, post_id, _("There is no such post."))
    if not policy.can_see_post(user, post):
        raise NotFound(_("There is no such post."))
    return post


def _next_number(topic_id: int) -> int:
    number = db.session.scalar(
        update(Topic)
        .where(Topic.id == topic_id)
        .values(last_number=Topic.last_number + 1)
        .returning(Topic.last_number)
    )
    if number is None:
        raise NotFound(_("There is no such topic."))
    return int(number)


def _count_visible(topic: Topic, delta: int, *, at: Any = None) -> None:
    """Add `delta` visible posts to a topic and (when the topic is visible) its category."""
    values: dict[str, Any] = {"post_count": Topic.post_count + delta}
    if at is not None:
        values["last_post_at"] = at
    db.session.execute(update(Topic).where(Topic.id == topic.id).values(**values))
    if topic.status == TopicStatus.VISIBLE:
        db.session.execute(
            update(Category)
            .where(Category.id == topic.category_id)
            .values(post_count=Category.post_count + delta)
        )


def set_topic_status(topic: Topic, status: TopicStatus) -> None:
    """Move a topic (its row locked by the caller, or just created) to a new status.

    A topic's category counts it and its visible posts only while it is visible; every post of
    it is re-indexed, since search shows the posts of visible topics only.
    """
    old = topic.status
    if old == status:
        return
    listed = int(status == TopicStatus.VISIBLE) - int(old == TopicStatus.VISIBLE)
    if listed:
        posts = select(Topic.post_count).where(Topic.id == topic.id).scalar_subquery()
        db.session.execute(
            update(Category)
            .where(Category.id == topic.category_id)
            .values(
                topic_count=Category.topic_count + listed,
                post_count=Category.post_count + listed * posts,
            )
        )
    topic.status = status
    db.session.flush()
    _reindex_topic(topic.id)


def _save_references(post: Post) -> None:
    db.session.execute(delete(Reference).where(Reference.post_id == post.id))
    for kind, slug in find_references(post.body):
        if kind in REFERENCE_KINDS:
            db.session.add(Reference(post_id=post.id, kind=kind, slug=slug))


def _add_post(user: User, topic: Topic, body: str, reply_to: Post | None) -> Post:
    status = policy.new_post_status(user, topic, body)
    number = _next_number(topic.id)
    now = utcnow()
    post = Post(
        topic_id=topic.id,
        author_id=user.id,
        number=number,
        body=body,
        status=status,
        reply_to_id=reply_to.id if reply_to else None,
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    if status == PostStatus.PENDING:
        screening.hold_for_review(post)
    _save_references(post)
    search.enqueue("posts", str(post.id))
    if status == PostStatus.VISIBLE:
        _publish(post, topic, now)
    db.session.flush()
    return post


def _publish(post: Post, topic: Topic, at: Any) -> None:
    """Count a post that just became visible for the first time, and tell those who care.

    The first post of a topic awaiting approval publishes the topic with it.
    """
    _count_visible(topic, +1, at=at)
    if post.number == 1 and topic.status == TopicStatus.PENDING:
        set_topic_status(topic, TopicStatus.VISIBLE)
    notify.post_published(post, topic)


def create_topic(user: User, category: Category, title: str, body: str) -> Post:
    """Open a topic in a category with its first post; returns that post.

    The topic awaits approval until its first post is published (at once, unless it is held).
    """
    policy.check_can_post(user, None, category)
    title, body = clean_title(title), clean_body(body)
    topic = Topic(
        category_id=category.id, title=title, author_id=user.id, status=TopicStatus.PENDING
    )
    db.session.add(topic)
    db.session.flush()
    notify.watch_topic(user.id, topic.id)
    return _add_post(user, topic, body, None)


def reply(user: User, topic: Topic, body: str, reply_to_id: int | None = None) -> Post:
    """Add a reply; `reply_to_id` names the quoted post (it must be in the same topic)."""
    policy.check_can_post(user, topic, topic.category)
    body = clean_body(body)
    reply_to = None
    if reply_to_id is not None:
        reply_to = db.session.get(Post, reply_to_id)
        if reply_to is None or reply_to.topic_id != topic.id:
            raise ServiceError(_("The post you are replying to is not in this topic."))
        if not policy.can_see_post(user, reply_to):
            raise ServiceError(_("The post you are replying to is not in this topic."))
    post = _add_post(user, topic, body, reply_to)
    notify.watch_topic(user.id, topic.id)
    return post


def edit_post(user: User, post: Post, body: str, title: str | None = None) -> Post:
    """Change a post's text, keeping the previous text as a revision."""
    if not policy.can_edit_post(user, post):
        raise Forbidden(_("You can only edit your own posts."))
    body = clean_body(body)
    held = screening.check_edit(user, post, body, title)
    topic = post.topic
    if title is not None and post.number == 1 and title.strip() != topic.title:
        topic.title = clean_title(title)
        search.enqueue("posts", str(post.id))  # the opening post carries the title
    if body != post.body:
        db.session.add(PostRevision(post_id=post.id, editor_id=user.id, old_body=post.body))
        post.body = body
        post.edited_at = utcnow()
        post.edit_count = Post.edit_count + 1
        db.session.flush()
        _save_references(post)
        search.enqueue("posts", str(post.id))
        if user.id != post.author_id:
            record(user.id, "forum.post.edit", "post", post.id)
    if held and post.status == PostStatus.VISIBLE:  # a new review word: back to the queue
        set_post_status(post, PostStatus.PENDING)
        screening.hold_for_review(post)
    db.session.flush()
    return post


def set_post_status(post: Post, status: PostStatus) -> None:
    """Move a post to a new status, keeping the counters right (moderation decides through here).

    Leaving "pending" for "visible" publishes the post (notifications go out once), and the
    topic with its first post. Rejecting the first post of a topic awaiting approval deletes
    the topic (it was never shown; nothing is left to show its author). Any other change of the
    first post leaves the topic as it is: a hidden first post keeps its topic readable.
    """
    if status not in tuple(PostStatus):
        raise ServiceError(_("Unknown post status."))
    old = post.status
    if old == status:
        return
    topic = lock(Topic, post.topic_id)
    # Another transaction may have changed this post while we waited for the topic's lock
    # (two moderators, or flags, at once): decide from the status it has now.
    db.session.flush()
    db.session.refresh(post)
    old = post.status
    if old == status:
        return
    post.status = status
    db.session.flush()
    if status == PostStatus.VISIBLE and old == PostStatus.PENDING:
        _publish(post, topic, post.created_at)
    elif status == PostStatus.VISIBLE or old == PostStatus.VISIBLE:
        _count_visible(topic, +1 if status == PostStatus.VISIBLE else -1)
    search.enqueue("posts", str(post.id))
    if post.number == 1 and topic.status == TopicStatus.PENDING and status in UNPUBLISHED:
        set_topic_status(topic, TopicStatus.DELETED)
    db.session.flush()


def _reindex_topic(topic_id: int) -> None:
    for post_id in db.session.scalars(select(Post.id).where(Post.topic_id == topic_id)):
        search.enqueue("posts", str(post_id))


def delete_post(user: User, post: Post, reason: str = "") -> None:
    """Soft-delete a post (its author or a moderator); deleting post 1 deletes the topic."""
    if not (policy.can_moderate(user) or post.author_id == user.id):
        raise Forbidden(_("You can only delete your own posts."))
    if post.status == PostStatus.DELETED:
        raise ServiceError(_("This post is already deleted."))
    if post.number == 1:
        delete_topic(user, post.topic, reason)
        return
    set_post_status(post, PostStatus.DELETED)
    if user.id != post.author_id:
        record(user.id, "forum.post.delete", "post", post.id, reason)


def delete_topic(user: User, topic: Topic, reason: str = "") -> None:
    """Soft-delete a whole topic: it leaves the listings and the category's counters."""
    if not (policy.can_moderate(user) or topic.author_id == user.id):
        raise Forbidden(_("You can only delete your own topics."))
    locked = lock(Topic, topic.id)
    if locked.status == TopicStatus.DELETED:
        raise ServiceError(_("This topic is already deleted."))
    set_topic_status(locked, TopicStatus.DELETED)
    opening = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))
    if opening is not None and opening.status != PostStatus.DELETED:
        was_visible = opening.status == PostStatus.VISIBLE
        opening.status = PostStatus.DELETED
        db.session.execute(
            update(Topic)
            .where(Topic.id == topic.id)
            .values(post_count=Topic.post_count - (1 if was_visible else 0))
        )
    if user.id != topic.author_id:
        record(user.id, "forum.topic.delete", "topic", topic.id, reason)
    db.session.flush()


@dataclass
class HistoryEntry:
    revision: PostRevision
    diff: list[DiffLine]  # the edit: changed words marked, removed and added lines


def history(user: Actor, post: Post) -> list[HistoryEntry]:
    """A post's edits, newest first, each with its diff (its author and moderators only)."""
    if not policy.can_view_history(user, post):
        raise NotFound(_("There is no such post."))
    stmt = (
        select(PostRevision)
        .options(joinedload(PostRevision.editor))
        .where(PostRevision.post_id == post.id)
        .order_by(PostRevision.id.desc())
    )
    entries, newer = [], post.body
    for revision in db.session.scalars(stmt):
        entries.append(HistoryEntry(revision, diff_lines(revision.old_body, newer, context=1)))
        newer = revision.old_body
    return entries
