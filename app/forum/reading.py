"""Reading the forum: category and topic listings, topic pages, "Discussed in" backlinks.

A topic page runs a fixed number of queries whatever the number of posts (authors and quoted
posts are loaded with the page). Unread counts are the visible posts after the member's read
position (`services.read_state`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Actor, User
from app.accounts.reading import iso
from app.core.db import db
from app.core.hooks import HomeSection
from app.core.markdown import markdown_to_text
from app.core.pagination import Page, paginate
from app.forum import policy
from app.forum.message_models import Conversation, Message, MessageBlock
from app.forum.models import (
    Category,
    Flag,
    GoodPracticeNomination,
    LibraryEntry,
    MemberProfile,
    Post,
    PostLike,
    PostStatus,
    Reference,
    Topic,
    TopicRead,
    TopicStatus,
    WatchedWord,
)

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30


@dataclass
class CategoryRow:
    category: Category
    unread: int


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def category_rows(user: User) -> list[CategoryRow]:
    """Every category with the number of posts the user has not read in it."""
    unread_stmt = (
        select(Topic.category_id, func.count(Post.id))
        .join(Post, Post.topic_id == Topic.id)
        .outerjoin(TopicRead, and_(TopicRead.topic_id == Topic.id, TopicRead.user_id == user.id))
        .where(
            policy.visible_topics_for(user),
            Topic.status != TopicStatus.DELETED,
            Post.status == PostStatus.VISIBLE,
            Post.number > func.coalesce(TopicRead.last_read_number, 0),
        )
        .group_by(Topic.category_id)
    )
    unread: dict[int, int] = {row[0]: row[1] for row in db.session.execute(unread_stmt)}
    return [CategoryRow(c, unread.get(c.id, 0)) for c in categories()]


@dataclass
class TopicRow:
    topic: Topic
    unread: int
    last_read: int | None  # None: never opened


def topic_rows(user: User, category: Category, page: int) -> tuple[Page[Any], list[TopicRow]]:
    """One page of a category's topics, pinned first, then by latest activity."""
    stmt = (
        select(Topic)
        .options(joinedload(Topic.author))
        .where(Topic.category_id == category.id, policy.visible_topics_for(user))
        .order_by(Topic.pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc())
    )
    result = paginate(stmt, page, TOPICS_PER_PAGE)
    return result, _rows(user, result.items)


def _unread_after_read_position(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Post: published and after the user's read position in its topic."""
    position = (
        select(TopicRead.last_read_number)
        .where(TopicRead.topic_id == Post.topic_id, TopicRead.user_id == user.id)
        .scalar_subquery()
    )
    return and_(Post.status == PostStatus.VISIBLE, Post.number > func.coalesce(position, 0))


def latest_rows(user: User, page: int, *, unread_only: bool) -> tuple[Page[Any], list[TopicRow]]:
    """Topics across every category the user may open, newest activity first ("Latest");
    with `unread_only`, only those with published posts the user has not read ("Unread")."""
    stmt = (
        select(Topic)
        .options(joinedload(Topic.author), joinedload(Topic.category))
        .where(policy.visible_topics_for(user), Topic.status != TopicStatus.DELETED)
        .order_by(Topic.last_post_at.desc(), Topic.id.desc())
    )
    if unread_only:
        stmt = stmt.where(
            exists(
                select(Post.id).where(Post.topic_id == Topic.id, _unread_after_read_position(user))
            )
        )
    result = paginate(stmt, page, TOPICS_PER_PAGE)
    return result, _rows(user, result.items)


def _rows(user: User, topics: list[Topic]) -> list[TopicRow]:
    """Each topic with the user's read position and unread count (two queries for the page)."""
    ids = [topic.id for topic in topics]
    reads: dict[int, int] = {}
    unread: dict[int, int] = {}
    if ids:
        reads = dict(
            db.session.execute(
                select(TopicRead.topic_id, TopicRead.last_read_number).where(
                    TopicRead.user_id == user.id, TopicRead.topic_id.in_(ids)
                )
            ).all()
        )
        unread_stmt = (
            select(Post.topic_id, func.count(Post.id))
            .where(Post.topic_id.in_(ids), _unread_after_read_position(user))
            .group_by(Post.topic_id)
        )
        unread = dict(db.session.execute(unread_stmt).all())
    return [TopicRow(t, unread.get(t.id, 0), reads.get(t.id)) for t in topics]


def posts_page(user: Actor, topic: Topic, page: int) -> Page[Any]:
    """One page of a topic's posts the user may see, with authors and quoted posts loaded."""
    stmt = (
        select(Post)
        .options(joinedload(Post.author))
        .where(Post.topic_id == topic.id, policy.visible_posts_for(user))
        .order_by(Post.number)
    )
    return paginate(stmt, page, POSTS_PER_PAGE)


def missing_opening(user: Actor, topic: Topic, page: Page[Any]) -> str | None:
    """The status of the topic's first post when page 1 cannot show it to `user` (hidden by a
    moderator, awaiting approval again after an edit, rejected): the page says so in its place."""
    if page.page != 1 or (page.items and page.items[0].number == 1):
        return None
    status = db.session.scalar(
        select(Post.status).where(Post.topic_id == topic.id, Post.number == 1)
    )
    return None if status is None else str(status)


def quoted_numbers(posts: list[Post]) -> dict[int, int]:
    """reply_to post id → its number in the topic, for "in reply to #n" links (one query)."""
    ids = {post.reply_to_id for post in posts if post.reply_to_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(Post.id, Post.number).where(Post.id.in_(ids))).all())


def page_of(user: Actor, topic: Topic, number: int) -> int:
    """The page of the topic on which post `number` (or the first visible after it) appears."""
    before = db.session.scalar(
        select(func.count(Post.id)).where(
            Post.topic_id == topic.id, Post.number < number, policy.visible_posts_for(user)
        )
    )
    return int(before or 0) // POSTS_PER_PAGE + 1


def last_visible_number(user: Actor, topic: Topic) -> int | None:
    return db.session.scalar(
        select(func.max(Post.number)).where(
            Post.topic_id == topic.id, policy.visible_posts_for(user)
        )
    )


MAX_BACKLINKS = 20


def discussed_in(kind: str, slug: str) -> list[tuple[str, str]]:
    """(topic title, url) for topics referencing `[[kind:slug]]` the current user may read."""
    if not policy.can_read_forum(current_user):
        return []
    stmt = (
        select(Topic.id, Topic.title)
        .join(Post, Post.topic_id == Topic.id)
        .join(Reference, Reference.post_id == Post.id)
        .where(
            Reference.kind == kind,
            Reference.slug == slug,
            Post.status == PostStatus.VISIBLE,
            policy.visible_topics_for(current_user),
            Topic.status != TopicStatus.DELETED,
        )
        .group_by(Topic.id, Topic.title, Topic.last_post_at)
        .order_by(Topic.last_post_at.desc())
        .limit(MAX_BACKLINKS)
    )
    return [
        (title, url_for("forum.topic", topic_id=topic_id))
        for topic_id, title in db.session.execute(stmt)
    ]


def member_data(user: User) -> dict[str, Any]:
    """The posts `user` wrote (with their topic) and the flags they raised, oldest first."""
    posts = db.session.execute(
        select(Post, Topic.title)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.author_id == user.id)
        .order_by(Post.id)
    )
    flags = db.session.scalars(select(Flag).where(Flag.flagger_id == user.id).order_by(Flag.id))
    profile = db.session.get(MemberProfile, user.id)
    sent = db.session.execute(
        select(Message, Conversation.subject)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.author_id == user.id)
        .order_by(Message.id)
    )
    return {
        "profile": {
            "hidden": profile.hidden if profile else False,
            "organisation_type": profile.organisation_type if profile else "",
            "show_country": profile.show_country if profile else False,
        },
        "helpful_marks": list(
            db.session.scalars(
                select(PostLike.post_id).where(PostLike.user_id == user.id).order_by(PostLike.id)
            )
        ),
        "private_messages_sent": [
            {"subject": subject, "created_at": iso(message.created_at), "body": message.body}
            for message, subject in sent
        ],
        "blocked_members": list(
            db.session.scalars(
                select(User.display_name)
                .join(MessageBlock, MessageBlock.blocked_id == User.id)
                .where(MessageBlock.blocker_id == user.id)
            )
        ),
        "posts": [
            {
                "topic": title,
                "number": post.number,
                "status": post.status,
                "created_at": iso(post.created_at),
                "edited_at": iso(post.edited_at),
                "body": post.body,
            }
            for post, title in posts
        ],
        "flags": [
            {
                "post_id": flag.post_id,
                "reason": flag.reason,
                "message": flag.message,
                "status": flag.status,
                "created_at": iso(flag.created_at),
            }
            for flag in flags
        ],
    }


def audit_post_labels(ids: list[int]) -> dict[int, str]:
    """Posts for the audit log as "#3 in “Topic title”" (one query)."""
    rows = db.session.execute(
        select(Post.id, Post.number, Topic.title)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.id.in_(ids))
    )
    return {
        post_id: _("#%(number)s in “%(title)s”", number=number, title=title)
        for post_id, number, title in rows
    }


def audit_topic_labels(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Topic.id, Topic.title).where(Topic.id.in_(ids)))
    return {topic_id: f"“{title}”" for topic_id, title in rows}


def audit_library_labels(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(LibraryEntry.id, LibraryEntry.title).where(LibraryEntry.id.in_(ids))
    )
    return {entry_id: f"“{title}”" for entry_id, title in rows}


def audit_nomination_labels(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(GoodPracticeNomination.id, Post.number, Topic.title)
        .join(Post, Post.id == GoodPracticeNomination.post_id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(GoodPracticeNomination.id.in_(ids))
    )
    return {
        row_id: _("post #%(number)s in “%(title)s”", number=number, title=title)
        for row_id, number, title in rows
    }


def audit_watched_word_labels(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(WatchedWord.id, WatchedWord.pattern).where(WatchedWord.id.in_(ids))
    )
    return {word_id: f"“{pattern}”" for word_id, pattern in rows}


def home_section(reader: Actor) -> HomeSection:
    """The forum on the home page: what it is, its figures, and how a practitioner joins; the
    latest topics only for those who may read them."""
    heading = _("Practitioners' forum")
    text = _(
        "A moderated community where vetted police, customs, border, prosecution and judicial "
        "officers exchange investigative good practices; the best are kept in a curated library."
    )
    members = db.session.scalar(
        select(func.count(User.id)).where(
            User.role.in_(("practitioner", "moderator", "admin")), User.deleted_at.is_(None)
        )
    )
    figures = [_figure(members or 0, ngettext("vetted member", "vetted members", members or 0))]
    if not policy.can_read_forum(reader):
        if reader.is_authenticated:
            note = _(
                "The forum is open to vetted practitioners. Confirm your e-mail address, then "
                "apply for practitioner access from your account: a moderator checks your "
                "organisation and function."
            )
            url = url_for("accounts.practitioner")
            return HomeSection(heading, text, url, _("Apply for practitioner access"),
                               30, tuple(figures), note=note)  # fmt: skip
        note = _(
            "The forum is open to vetted practitioners: create an account, confirm your e-mail "
            "address and apply for practitioner access; a moderator checks your organisation."
        )
        return HomeSection(heading, text, url_for("accounts.sign_up"),
                           _("Create an account"), 30, tuple(figures), note=note)  # fmt: skip
    visible = and_(policy.visible_topics_for(reader), Topic.status == TopicStatus.VISIBLE)
    topics = db.session.scalar(select(func.count(Topic.id)).where(visible))
    latest = db.session.execute(
        select(Topic.id, Topic.title).where(visible).order_by(Topic.last_post_at.desc()).limit(5)
    ).all()
    figures.append(_figure(topics or 0, ngettext("topic", "topics", topics or 0)))
    items = tuple((title, url_for("forum.topic", topic_id=topic_id)) for topic_id, title in latest)
    return HomeSection(heading, text, url_for("forum.index"), _("Open the forum"),
                       30, tuple(figures), items, _("Latest discussions"))  # fmt: skip


def _figure(number: int, word: str) -> tuple[int, str, str]:
    """A home-page figure: the word is already in the plural form `number` takes in the reader's
    language (which may have more than two), so it stands for both "one" and "many"."""
    return (number, word, word)


RECENT_POSTS = 10


def recent_posts(viewer: Actor, member_id: int) -> list[Post]:
    """The member's latest posts that `viewer` may see (deleted and rejected ones left out),
    with their topics loaded."""
    stmt = (
        select(Post)
        .options(joinedload(Post.topic))
        .where(
            Post.author_id == member_id,
            policy.visible_posts_for(viewer),
            Post.status.not_in((PostStatus.DELETED, PostStatus.REJECTED)),
        )
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(RECENT_POSTS)
    )
    return list(db.session.scalars(stmt))


def member_post_count(viewer: Actor, member_id: int) -> int:
    stmt = select(func.count(Post.id)).where(
        Post.author_id == member_id,
        Post.status == PostStatus.VISIBLE,
        policy.visible_posts_for(viewer),
    )
    return int(db.session.scalar(stmt) or 0)


def good_practices_of(member_id: int) -> list[LibraryEntry]:
    """Library entries written up from one of the member's posts, newest first."""
    stmt = (
        select(LibraryEntry)
        .join(Post, Post.id == LibraryEntry.source_post_id)
        .where(Post.author_id == member_id)
        .order_by(LibraryEntry.created_at.desc(), LibraryEntry.id.desc())
    )
    return list(db.session.scalars(stmt))


SUMMARY_AFTER = 20  # posts: a longer topic shows its most helpful replies first
SUMMARY_SIZE = 5


@dataclass
class Highlight:
    post: Post
    excerpt: str


def most_liked_replies(user: Actor, topic: Topic) -> list[Highlight]:
    """For a topic of more than SUMMARY_AFTER posts, its most-liked replies the user may see,
    each with the start of its text."""
    if topic.post_count <= SUMMARY_AFTER:
        return []
    stmt = (
        select(Post)
        .options(joinedload(Post.author))
        .where(
            Post.topic_id == topic.id,
            Post.number > 1,
            Post.like_count > 0,
            Post.status == PostStatus.VISIBLE,
            policy.visible_posts_for(user),
        )
        .order_by(Post.like_count.desc(), Post.number)
        .limit(SUMMARY_SIZE)
    )
    return [Highlight(post, _excerpt(post.body)) for post in db.session.scalars(stmt)]


def _excerpt(body: str, limit: int = 200) -> str:
    text = " ".join(markdown_to_text(body).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
