"""Who may see and do what in the forum: the one place for visibility rules and the posting gate.

- The forum is for practitioners and above; trainees and visitors cannot read it.
- Everyone who reads sees visible posts; authors also see their own pending and hidden posts;
  moderators see every post, whatever its status.
- A topic is listed when it is not deleted and its opening post is visible, or when the viewer
  wrote it or moderates.
- `new_post_status` decides whether a new post is published at once or waits for a moderator
  (moderation adds premoderation, watched words and silence checks there).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from app.accounts.models import Actor, User
from app.core.errors import Forbidden
from app.core.permissions import Role, has_role
from app.forum.models import Category, Post, PostStatus, Topic
from app.forum.services import screening


def can_read_forum(user: Actor) -> bool:
    return has_role(user, Role.PRACTITIONER)


def is_moderator(user: Actor) -> bool:
    return has_role(user, Role.MODERATOR)


def require_reader(user: Actor) -> None:
    if not can_read_forum(user):
        raise Forbidden("The forum is open to vetted practitioners only.")


def visible_posts_for(user: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Post: the posts `user` may see."""
    if not can_read_forum(user):
        return false()
    if is_moderator(user):
        return true()
    return or_(
        Post.status == PostStatus.VISIBLE,
        and_(Post.author_id == user.id, Post.status.in_((PostStatus.PENDING, PostStatus.HIDDEN))),
    )


def visible_topics_for(user: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Topic: the topics `user` may open."""
    if not can_read_forum(user):
        return false()
    if is_moderator(user):
        return true()
    opening = aliased(Post)
    opening_visible = exists(
        select(opening.id)
        .where(
            opening.topic_id == Topic.id, opening.number == 1, opening.status == PostStatus.VISIBLE
        )
        .correlate(Topic)
    )
    return and_(Topic.deleted.is_(False), or_(opening_visible, Topic.author_id == user.id))


def can_see_post(user: Actor, post: Post) -> bool:
    if not can_read_forum(user):
        return False
    if is_moderator(user) or post.status == PostStatus.VISIBLE:
        return True
    return post.author_id == user.id and post.status in (PostStatus.PENDING, PostStatus.HIDDEN)


def can_edit_post(user: Actor, post: Post) -> bool:
    """Authors edit their own posts (not once removed); moderators edit any post."""
    if is_moderator(user):
        return post.status != PostStatus.DELETED
    return post.author_id == user.id and post.status in (PostStatus.VISIBLE, PostStatus.PENDING)


def can_delete_post(user: Actor, post: Post) -> bool:
    """Authors delete their own posts, moderators any post; a deleted post stays deleted."""
    if post.status == PostStatus.DELETED:
        return False
    return is_moderator(user) or post.author_id == user.id


def can_view_history(user: Actor, post: Post) -> bool:
    return is_moderator(user) or (user.is_authenticated and post.author_id == user.id)


def check_can_post(user: Actor, topic: Topic | None, category: Category) -> None:
    """Refuse a new topic or reply the user may not write."""
    require_reader(user)
    if topic is not None and topic.deleted:
        raise Forbidden("This topic was deleted.")
    if topic is not None and topic.locked and not is_moderator(user):
        raise Forbidden("This topic is locked: no new replies.")


def new_post_status(user: User, topic: Topic, body: str) -> PostStatus:
    """Decide whether a new post is published ("visible") or waits for review ("pending").

    Refuses (ServiceError) posts by silenced members, in slow mode, or with blocking watched
    words; holds the first posts of new members and posts with watched words for review.
    """
    return screening.new_post_status(user, topic, body)
