"""Watching topics and categories, @mentions, and the notifications a published post sends.

A post sends at most one notification per person, of the strongest kind that applies:
a mention, then a reply to one of their posts, then a reply in a watched topic, then a new topic
in a watched category; and only to people who may open the topic (a mention inside a topic
awaiting approval or hidden tells nobody who cannot read it). Each person chooses per kind
whether to be told on the site and/or by e-mail; e-mails carry the topic title and a link,
never the post body, and go out after commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import User
from app.core import notifications
from app.core.db import db
from app.core.mail import send_mail
from app.core.models import Notification
from app.core.permissions import RANK, Role
from app.core.time import utcnow
from app.core.urls import external_url
from app.forum import policy
from app.forum.models import Mention, NotificationPreference, Post, Subscription, Topic
from app.forum.services import recipient

MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9_.\-]{1,79})")
READER_ROLES = [role.value for role, rank in RANK.items() if rank >= RANK[Role.PRACTITIONER]]


@dataclass(frozen=True)
class EventKind:
    name: str
    label: str
    on_site: bool
    email: bool


EVENT_KINDS = (
    EventKind("mention", _l("Someone mentions me with @"), on_site=True, email=True),
    EventKind("quote", _l("Someone replies to one of my posts"), on_site=True, email=False),
    EventKind("reply", _l("A new reply in a topic I watch"), on_site=True, email=False),
    EventKind("topic", _l("A new topic in a category I watch"), on_site=True, email=False),
    # Sent by services/messages.py; the e-mail names the sender only.
    EventKind("message", _l("Someone sends me a private message"), on_site=True, email=True),
)
KINDS = {kind.name: kind for kind in EVENT_KINDS}


def mention_handle(display_name: str) -> str:
    """How to @mention someone: their display name with spaces written as underscores."""
    return "_".join(display_name.split())


def _insert_ignore(model: type[Any], **values: Any) -> None:
    """Insert a row unless its unique key exists (safe when two requests race)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing())


def watch_topic(user_id: int, topic_id: int) -> None:
    _insert_ignore(Subscription, user_id=user_id, topic_id=topic_id)


def watch_category(user_id: int, category_id: int) -> None:
    _insert_ignore(Subscription, user_id=user_id, category_id=category_id)


def unwatch(user_id: int, *, topic_id: int | None = None, category_id: int | None = None) -> None:
    stmt = select(Subscription).where(Subscription.user_id == user_id)
    if topic_id is not None:
        stmt = stmt.where(Subscription.topic_id == topic_id)
    else:
        stmt = stmt.where(Subscription.category_id == category_id)
    for subscription in db.session.scalars(stmt):
        db.session.delete(subscription)
    db.session.flush()


def is_watching(
    user_id: int, *, topic_id: int | None = None, category_id: int | None = None
) -> bool:
    column = Subscription.topic_id if topic_id is not None else Subscription.category_id
    value = topic_id if topic_id is not None else category_id
    stmt = select(Subscription.id).where(Subscription.user_id == user_id, column == value)
    return db.session.scalar(stmt) is not None


def preferences(user_id: int) -> dict[str, tuple[bool, bool]]:
    """Each event kind → (on site, by e-mail), defaults filled in."""
    chosen = {
        pref.kind: (pref.on_site, pref.email)
        for pref in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    return {k.name: chosen.get(k.name, (k.on_site, k.email)) for k in EVENT_KINDS}


def set_preferences(user_id: int, choices: dict[str, tuple[bool, bool]]) -> None:
    existing = {
        pref.kind: pref
        for pref in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    for kind, (on_site, email) in choices.items():
        if kind not in KINDS:
            continue
        pref = existing.get(kind)
        if pref is None:
            pref = NotificationPreference(user_id=user_id, kind=kind)
            db.session.add(pref)
        pref.on_site, pref.email = on_site, email
    db.session.flush()


def mentioned_users(body: str, author_id: int | None) -> list[User]:
    """Forum readers named with @handle in a text (a handle shared by two people names neither)."""
    handles = {match.lower() for match in MENTION_RE.findall(body)}
    handles = {handle.rstrip(".-") for handle in handles}
    if not handles:
        return []
    handle_sql = func.replace(func.lower(User.display_name), " ", "_")
    candidates = db.session.scalars(
        select(User).where(
            handle_sql.in_(sorted(handles)[:20]),
            User.role.in_(READER_ROLES),
            User.deleted_at.is_(None),
        )
    ).all()
    by_handle: dict[str, list[User]] = {}
    for user in candidates:
        by_handle.setdefault(mention_handle(user.display_name).lower(), []).append(user)
    return [
        users[0] for users in by_handle.values() if len(users) == 1 and users[0].id != author_id
    ]


def _recipients(post: Post, topic: Topic) -> dict[int, str]:
    """user id → the strongest event kind this post means for them."""
    found: dict[int, str] = {}
    if post.number == 1:
        for user_id in db.session.scalars(
            select(Subscription.user_id).where(Subscription.category_id == topic.category_id)
        ):
            found[user_id] = "topic"
    else:
        for user_id in db.session.scalars(
            select(Subscription.user_id).where(Subscription.topic_id == topic.id)
        ):
            found[user_id] = "reply"
    if post.reply_to_id is not None:
        quoted_author = db.session.scalar(select(Post.author_id).where(Post.id == post.reply_to_id))
        if quoted_author is not None:
            found[quoted_author] = "quote"
    for user in mentioned_users(post.body, post.author_id):
        if policy.can_open_topic(user, topic):
            db.session.add(Mention(post_id=post.id, user_id=user.id))
            found[user.id] = "mention"
    found.pop(post.author_id or 0, None)
    return found


def _title(kind: str, author: User | None, topic: Topic) -> str:
    """The notification's title, in the language in force (the recipient's)."""
    name = author.display_name if author else _("Someone")
    if kind == "mention":
        title = _("%(author)s mentioned you in “%(title)s”", author=name, title=topic.title)
    elif kind == "quote":
        title = _("%(author)s replied to your post in “%(title)s”", author=name, title=topic.title)
    elif kind == "reply":
        title = _("%(author)s replied in “%(title)s”", author=name, title=topic.title)
    else:
        title = _("%(author)s opened a new topic: “%(title)s”", author=name, title=topic.title)
    return str(title)


def mail_body(first_line: str, link: str) -> str:
    """A forum e-mail: what happened and the link to read it (never the text of a post)."""
    read = _("Read it on the forum: %(link)s", link=link)
    return f"{first_line}\n\n{read}\n"


def post_published(post: Post, topic: Topic) -> None:
    """Tell watchers, mentioned and quoted members about a post that just became visible."""
    found = _recipients(post, topic)
    if not found:
        db.session.flush()
        return
    users = [
        user
        for user in db.session.scalars(
            select(User).where(
                User.id.in_(found), User.role.in_(READER_ROLES), User.deleted_at.is_(None)
            )
        )
        if policy.can_open_topic(user, topic)
    ]
    prefs: dict[tuple[int, str], tuple[bool, bool]] = {
        (pref.user_id, pref.kind): (pref.on_site, pref.email)
        for pref in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id.in_(found))
        )
    }
    author = db.session.get(User, post.author_id) if post.author_id else None
    path = url_for("forum.post_link", post_id=post.id, _external=False)
    link = external_url("forum.post_link", post_id=post.id)
    for user in users:
        kind = found[user.id]
        default = KINDS[kind]
        on_site, email = prefs.get((user.id, kind), (default.on_site, default.email))
        with recipient.language_of(user):
            title = _title(kind, author, topic)
            if on_site:
                notifications.notify(user.id, f"forum.{kind}", title, path)
            if email and not user.is_suspended:
                send_mail(user.email, title, mail_body(title, link))
    db.session.flush()


def mark_topic_notifications_read(user_id: int, post_ids: list[int]) -> None:
    """Reading posts clears the notifications that pointed at them."""
    if not post_ids:
        return
    paths = [url_for("forum.post_link", post_id=i, _external=False) for i in post_ids]
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
            Notification.url.in_(paths),
        )
        .values(read_at=utcnow())
    )
    notifications.forget_unread_count()
