"""Who may see and do what in the forum: the one place for visibility rules and the posting gate.

- The forum is for practitioners and above; trainees and visitors cannot read it.
- A topic has its own status (`TopicStatus`), apart from its first post's: members open
  visible topics; a topic's author also opens it while it awaits approval or is hidden;
  moderators open every topic, deleted ones included.
- A post is seen only inside a topic the reader may open (`can_see_post`, and in SQL
  `visible_posts_for`, which checks the topic too): there, everyone sees visible posts, authors
  also their own pending and hidden posts, moderators every post, whatever its status.
- `new_post_status` decides whether a new post is published at once or waits for a moderator
  (moderation adds premoderation, watched words and silence checks there).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from app.accounts.models import Actor, User
from app.core.errors import Forbidden
from app.core.permissions import Role, at_least
from app.forum.models import Category, Post, PostStatus, Topic, TopicStatus
from app.forum.services import screening
from app.moderation import policy as moderation_policy

can_moderate = moderation_policy.can_moderate
can_read_forum = at_least(
    Role.PRACTITIONER,
    "read the forum",
    _l(
        "The forum is open to vetted practitioners only. If you work on firearms cases, apply for "
        "practitioner access from your account page: a moderator checks your organisation and "
        "function, usually within a few days."
    ),
)
can_flag = at_least(Role.PRACTITIONER, "flag posts", _l("Only forum members can flag posts."))
can_nominate = at_least(
    Role.PRACTITIONER,
    "nominate good practices",
    _l("Only forum members can nominate good practices."),
)
can_curate_library = at_least(
    Role.MODERATOR, "curate the library", _l("Only moderators curate the good-practice library.")
)
can_manage_categories = at_least(
    Role.ADMIN, "manage categories", _l("Only administrators manage forum categories.")
)
can_keep_watched_words = at_least(
    Role.ADMIN, "keep watched words", _l("Only administrators keep the watched words.")
)


OPEN_TO_AUTHOR = (TopicStatus.PENDING, TopicStatus.HIDDEN)
SEEN_BY_AUTHOR = (PostStatus.PENDING, PostStatus.HIDDEN)


def visible_topics_for(user: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Topic: the topics `user` may open."""
    if not can_read_forum(user):
        return false()
    if can_moderate(user):
        return true()
    return or_(
        Topic.status == TopicStatus.VISIBLE,
        and_(Topic.author_id == user.id, Topic.status.in_(OPEN_TO_AUTHOR)),
    )


def visible_posts_for(user: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Post: the posts `user` may see, in topics they may open."""
    if not can_read_forum(user):
        return false()
    if can_moderate(user):
        return true()
    in_open_topic = exists(
        select(Topic.id).where(Topic.id == Post.topic_id, visible_topics_for(user))
    )
    return and_(
        or_(
            Post.status == PostStatus.VISIBLE,
            and_(Post.author_id == user.id, Post.status.in_(SEEN_BY_AUTHOR)),
        ),
        in_open_topic,
    )


def can_open_topic(user: Actor, topic: Topic) -> bool:
    """The Python form of `visible_topics_for`."""
    if not can_read_forum(user):
        return False
    if can_moderate(user) or topic.status == TopicStatus.VISIBLE:
        return True
    return topic.author_id == user.id and topic.status in OPEN_TO_AUTHOR


def can_see_post(user: Actor, post: Post) -> bool:
    """Whether `user` may see `post`: the one check of every post route (the post's status and
    its topic's; the Python form of `visible_posts_for`)."""
    if not can_open_topic(user, post.topic):
        return False
    if can_moderate(user) or post.status == PostStatus.VISIBLE:
        return True
    return post.author_id == user.id and post.status in SEEN_BY_AUTHOR


def can_edit_post(user: Actor, post: Post) -> bool:
    """Authors edit their own posts (not once removed); moderators edit any post."""
    if can_moderate(user):
        return post.status != PostStatus.DELETED
    return post.author_id == user.id and post.status in (PostStatus.VISIBLE, PostStatus.PENDING)


def can_delete_post(user: Actor, post: Post) -> bool:
    """Authors delete their own posts, moderators any post; a deleted post stays deleted."""
    if post.status == PostStatus.DELETED:
        return False
    return can_moderate(user) or post.author_id == user.id


def can_view_history(user: Actor, post: Post) -> bool:
    return can_moderate(user) or (user.is_authenticated and post.author_id == user.id)


def check_can_post(user: Actor, topic: Topic | None, category: Category) -> None:
    """Refuse a new topic or reply the user may not write."""
    can_read_forum.require(user)
    if topic is not None and topic.status == TopicStatus.DELETED:
        raise Forbidden(_("This topic was deleted."))
    if topic is not None and topic.locked and not can_moderate(user):
        raise Forbidden(_("This topic is locked: no new replies."))


def new_post_status(user: User, topic: Topic, body: str) -> PostStatus:
    """Decide whether a new post is published ("visible") or waits for review ("pending").

    Refuses (ServiceError) posts by silenced members, in slow mode, or with blocking watched
    words; holds the first posts of new members and posts with watched words for review.
    """
    return screening.new_post_status(user, topic, body)
