"""Forum models: categories, topics, posts and their history, reading state, watching,
references, and the tables moderation works on (flags, watched words, good practices).

Counters (`topic_count`, `post_count`, `last_number`, `flag_score`) are changed in SQL
(`Model.count + 1`), never read-modify-write in Python.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.db import Base
from app.core.time import utcnow


class PostStatus(StrEnum):
    PENDING = "pending"  # waits for a moderator (premoderation, watched words)
    VISIBLE = "visible"
    HIDDEN = "hidden"  # by a moderator or by flags; its author still sees it
    REJECTED = "rejected"  # not approved from the queue
    DELETED = "deleted"


class TopicStatus(StrEnum):
    """A topic's own status, apart from its first post's (hiding that post keeps the topic)."""

    PENDING = "pending"  # its first post waits for a moderator; its author still opens it
    VISIBLE = "visible"
    HIDDEN = "hidden"  # by a moderator, with its replies; its author still opens it
    DELETED = "deleted"  # by its author or a moderator, or its first post was rejected


# How a topic that is not visible is labelled for those who may still open it (translated when
# shown: the labels are built at import, before any request knows the reader's language).
TOPIC_STATUS_LABELS = {
    TopicStatus.PENDING: _l("Awaiting approval"),
    TopicStatus.HIDDEN: _l("Hidden by moderators"),
    TopicStatus.DELETED: _l("Deleted"),
}
# A post's status as its author and the moderators read it.
POST_STATUS_LABELS = {
    PostStatus.PENDING: _l("Awaiting approval"),
    PostStatus.VISIBLE: _l("Visible"),
    PostStatus.HIDDEN: _l("Hidden by moderators"),
    PostStatus.REJECTED: _l("Rejected"),
    PostStatus.DELETED: _l("Deleted"),
}


class FlagStatus(StrEnum):
    OPEN = "open"
    AGREED = "agreed"
    DISMISSED = "dismissed"


class NominationStatus(StrEnum):
    OPEN = "open"
    PROMOTED = "promoted"
    DECLINED = "declined"


FLAG_REASONS = ("spam", "inappropriate", "off-topic", "sensitive", "other")
WATCHED_WORD_ACTIONS = ("block", "review")


class Category(Base):
    """A section of the forum, managed by administrators."""

    __tablename__ = "forum_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Topic(Base):
    """A discussion: a title and its numbered posts (post 1 opens it)."""

    __tablename__ = "forum_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Visible posts, including the opening one.
    post_count: Mapped[int] = mapped_column(default=0)
    # The highest post number handed out (any status): the next post gets last_number + 1.
    last_number: Mapped[int] = mapped_column(default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    slow_mode_seconds: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default=TopicStatus.VISIBLE)

    category: Mapped[Category] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (
        Index("ix_forum_topics_category_last", "category_id", "pinned", "last_post_at"),
    )


class Post(Base):
    """One message in a topic, in Markdown; `number` is its position in the topic (1, 2, ...)."""

    __tablename__ = "forum_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    number: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=PostStatus.VISIBLE)
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_posts.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)
    edit_count: Mapped[int] = mapped_column(default=0)
    flag_score: Mapped[float] = mapped_column(Float, default=0.0)
    # Members who marked the post "this helped" (PostLike rows), changed in SQL.
    like_count: Mapped[int] = mapped_column(default=0, server_default="0")

    topic: Mapped[Topic] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("topic_id", "number"),
        Index("ix_forum_posts_topic_status", "topic_id", "status", "number"),
        Index("ix_forum_posts_author", "author_id", "created_at"),
    )


class PostRevision(Base):
    """A post's body before one edit (the current body lives on the post)."""

    __tablename__ = "forum_post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True
    )
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    old_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship()


class TopicRead(Base):
    """How far a user has read a topic: the highest post number seen."""

    __tablename__ = "forum_topic_reads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("forum_topics.id", ondelete="CASCADE"), index=True
    )
    last_read_number: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("user_id", "topic_id"),)


class Subscription(Base):
    """A user watching a topic (new replies) or a category (new topics)."""

    __tablename__ = "forum_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_topics.id", ondelete="CASCADE"), default=None, index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_categories.id", ondelete="CASCADE"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Named: the naming convention would give both the same name (PostgreSQL refuses that).
    __table_args__ = (
        UniqueConstraint("user_id", "topic_id", name="uq_forum_subscriptions_user_topic"),
        UniqueConstraint("user_id", "category_id", name="uq_forum_subscriptions_user_category"),
    )


class NotificationPreference(Base):
    """Whether a user wants one kind of forum event on the site and/or by e-mail."""

    __tablename__ = "forum_notification_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    on_site: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("user_id", "kind"),)


class Mention(Base):
    """An @mention of a user in a post."""

    __tablename__ = "forum_mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("post_id", "user_id"),)


class Reference(Base):
    """A typed reference `[[kind:slug]]` in a post, for "Discussed in" backlinks."""

    __tablename__ = "forum_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("post_id", "kind", "slug"),
        Index("ix_forum_references_kind_slug", "kind", "slug"),
    )


class Flag(Base):
    """A member's report that a post needs a moderator's attention."""

    __tablename__ = "forum_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True
    )
    flagger_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    status: Mapped[str] = mapped_column(String(20), default=FlagStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    decided_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("post_id", "flagger_id"),)


class WatchedWord(Base):
    """A word or pattern that blocks a post or sends it to the review queue."""

    __tablename__ = "forum_watched_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    pattern: Mapped[str] = mapped_column(String(200), unique=True)
    action: Mapped[str] = mapped_column(String(20), default="review")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )


class GoodPracticeNomination(Base):
    """A member's proposal that a post describes a good practice worth keeping in the library."""

    __tablename__ = "forum_good_practice_nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True
    )
    nominator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=NominationStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class LibraryEntry(Base):
    """A curated good practice, written up by a moderator from a forum discussion."""

    __tablename__ = "forum_library_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(String(300), default="")  # comma-separated
    case_slugs: Mapped[str] = mapped_column(Text, default="")  # space-separated
    module_slugs: Mapped[str] = mapped_column(Text, default="")  # space-separated
    source_topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_topics.id", ondelete="SET NULL"), default=None
    )
    source_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_posts.id", ondelete="SET NULL"), default=None
    )
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)


# What a member may say about where they work, on their forum profile (the organisation's name
# is never shown: a type says enough to know whom one is talking to).
ORGANISATION_TYPES = {
    "police": _l("Police"),
    "customs": _l("Customs or border agency"),
    "prosecution": _l("Prosecution service"),
    "judiciary": _l("Judiciary"),
    "ministry": _l("Ministry or national authority"),
    "regulator": _l("Firearms licensing or control authority"),
    "international": _l("International or regional organisation"),
    "research": _l("Research or academia"),
    "civil_society": _l("Civil society"),
    "other": _l("Other"),
}


class MemberProfile(Base):
    """What a member shows other members on their forum profile. No row: the defaults (details
    shown, organisation type and country not given)."""

    __tablename__ = "forum_member_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Hide role, organisation type, country, joining date and activity from other members.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    organisation_type: Mapped[str] = mapped_column(String(40), default="")
    show_country: Mapped[bool] = mapped_column(Boolean, default=False)


class PostLike(Base):
    """A member marking someone else's post "this helped" (once per member and post)."""

    __tablename__ = "forum_post_likes"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("post_id", "user_id"),)
