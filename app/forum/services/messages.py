"""Private messages: conversations between forum members, blocks, and flags.

- A conversation has two to MAX_PARTICIPANTS members (its starter included), all forum readers.
  Only its members open it (404 for anyone else, moderators included); a moderator reads a
  message only when a member flags it, through the review queue.
- A member who blocks another receives no new conversation from them and no reply from them in
  a one-to-one conversation; in a group they are no longer told of that member's messages.
- Notifications (on the site and, if chosen, by e-mail) name the sender and link to the
  conversation; they never carry the subject or the text.
"""

from __future__ import annotations

import re

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.core import audit, notifications
from app.core.db import db, get_or_404, one_or_404
from app.core.errors import Conflict, Forbidden, NotFound, ServiceError
from app.core.mail import send_mail
from app.core.models import Notification
from app.core.time import utcnow
from app.core.urls import external_url
from app.forum import policy
from app.forum.message_models import (
    Conversation,
    ConversationMember,
    Message,
    MessageBlock,
    MessageFlag,
    MessageStatus,
)
from app.forum.models import NotificationPreference
from app.forum.services import recipient
from app.forum.services.flags import REASON_LABELS
from app.forum.services.watching import KINDS, READER_ROLES, mail_body, mention_handle
from app.moderation.services import queue as review
from app.moderation.services import second_person

MAX_PARTICIPANTS = 10
SUBJECT_MAX = 200
BODY_MAX = 20_000
HANDLE_SPLIT = re.compile(r"[\s,;]+")


def _require_can_write(user: User) -> None:
    policy.can_read_forum.require(user)
    if user.is_silenced:
        raise Forbidden(_("You are silenced: you can read, but not send messages, until it ends."))


def find_members(handles_text: str) -> list[User]:
    """Forum readers named by their handles (`@Jane_Example`, separated by commas or spaces);
    ServiceError naming any handle that names nobody, or more than one member."""
    handles = [h.lstrip("@") for h in HANDLE_SPLIT.split(handles_text.strip()) if h.lstrip("@")]
    wanted = list(dict.fromkeys(h.lower() for h in handles))
    if not wanted:
        raise ServiceError(_("Name at least one member to write to."))
    if len(wanted) >= MAX_PARTICIPANTS:
        raise ServiceError(
            _("A conversation has at most %(num)s members, you included.", num=MAX_PARTICIPANTS)
        )
    handle_sql = func.replace(func.lower(User.display_name), " ", "_")
    found: dict[str, list[User]] = {}
    for user in db.session.scalars(
        select(User).where(
            handle_sql.in_(wanted), User.role.in_(READER_ROLES), User.deleted_at.is_(None)
        )
    ):
        found.setdefault(mention_handle(user.display_name).lower(), []).append(user)
    unknown = [h for h in wanted if len(found.get(h, [])) != 1]
    if unknown:
        named = ", ".join(f"@{h}" for h in unknown)
        raise ServiceError(_("No single forum member has the handle %(handles)s.", handles=named))
    return [found[h][0] for h in wanted]


def _blocked_by(blockers: list[int], sender_id: int) -> set[int]:
    if not blockers:
        return set()
    return set(
        db.session.scalars(
            select(MessageBlock.blocker_id).where(
                MessageBlock.blocked_id == sender_id, MessageBlock.blocker_id.in_(blockers)
            )
        )
    )


def start(sender: User, recipients: list[User], subject: str, body: str) -> Conversation:
    _require_can_write(sender)
    others = [user for user in recipients if user.id != sender.id]
    if not others:
        raise ServiceError(_("Write to someone other than yourself."))
    blocked = _blocked_by([user.id for user in others], sender.id)
    if blocked:
        names = ", ".join(user.display_name for user in others if user.id in blocked)
        raise Forbidden(_("%(names)s does not accept private messages from you.", names=names))
    conversation = Conversation(subject=subject.strip()[:SUBJECT_MAX], created_by_id=sender.id)
    db.session.add(conversation)
    db.session.flush()
    for user in [sender, *others]:
        db.session.add(ConversationMember(conversation_id=conversation.id, user_id=user.id))
    _add_message(sender, conversation, body)
    return conversation


def get_conversation(user: User, conversation_id: int) -> Conversation:
    """The conversation if `user` is one of its members; NotFound for anyone else."""
    statement = (
        select(Conversation)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .options(selectinload(Conversation.members).joinedload(ConversationMember.user))
        .where(Conversation.id == conversation_id, ConversationMember.user_id == user.id)
    )
    return one_or_404(statement, _("There is no such conversation."))


def reply(user: User, conversation: Conversation, body: str) -> Message:
    _require_can_write(user)
    others = [m.user_id for m in conversation.members if m.user_id != user.id]
    if len(others) == 1 and _blocked_by(others, user.id):
        raise Forbidden(_("This member does not accept private messages from you."))
    return _add_message(user, conversation, body)


def _add_message(author: User, conversation: Conversation, body: str) -> Message:
    body = body.strip()
    if not body:
        raise ServiceError(_("Write a message before sending."))
    message = Message(conversation_id=conversation.id, author_id=author.id, body=body[:BODY_MAX])
    db.session.add(message)
    db.session.flush()
    conversation.last_message_at = utcnow()
    db.session.execute(
        update(ConversationMember)
        .where(
            ConversationMember.conversation_id == conversation.id,
            ConversationMember.user_id == author.id,
        )
        .values(last_read_id=message.id)
    )
    _notify(author, conversation, message)
    db.session.flush()
    return message


def _notify(author: User, conversation: Conversation, message: Message) -> None:
    """Tell the other members, without the subject or the text (blockers are not told)."""
    others = [m.user_id for m in conversation.members if m.user_id != author.id]
    if not others:
        others = list(
            db.session.scalars(
                select(ConversationMember.user_id).where(
                    ConversationMember.conversation_id == conversation.id,
                    ConversationMember.user_id != author.id,
                )
            )
        )
    told = set(others) - _blocked_by(others, author.id)
    if not told:
        return
    prefs = {
        pref.user_id: (pref.on_site, pref.email)
        for pref in db.session.scalars(
            select(NotificationPreference).where(
                NotificationPreference.user_id.in_(told), NotificationPreference.kind == "message"
            )
        )
    }
    default = KINDS["message"]
    path = url_for("forum.conversation", conversation_id=conversation.id, _anchor=f"m{message.id}")
    link = external_url("forum.conversation", conversation_id=conversation.id)
    for user in db.session.scalars(
        select(User).where(User.id.in_(told), User.deleted_at.is_(None))
    ):
        on_site, email = prefs.get(user.id, (default.on_site, default.email))
        with recipient.language_of(user):
            title = _("%(name)s sent you a private message", name=author.display_name)
            if on_site:
                notifications.notify(user.id, "forum.message", title, path)
            if email and not user.is_suspended:
                send_mail(user.email, title, mail_body(f"{title}.", link))


def messages_of(conversation: Conversation) -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .options(selectinload(Message.author))
            .where(Message.conversation_id == conversation.id)
            .order_by(Message.id)
        )
    )


def mark_read(user: User, conversation: Conversation, last_id: int) -> None:
    """Move the member's read position, and clear their notifications of this conversation."""
    path = url_for("forum.conversation", conversation_id=conversation.id)
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.kind == "forum.message",
            Notification.url.startswith(path + "#"),
        )
        .values(read_at=utcnow())
    )
    db.session.execute(
        update(ConversationMember)
        .where(
            ConversationMember.conversation_id == conversation.id,
            ConversationMember.user_id == user.id,
            ConversationMember.last_read_id < last_id,
        )
        .values(last_read_id=last_id)
    )


def inbox(user: User) -> list[tuple[Conversation, bool]]:
    """The user's conversations, latest activity first, each with "has unread messages"."""
    mine = select(ConversationMember.conversation_id).where(ConversationMember.user_id == user.id)
    latest = (
        select(Message.conversation_id, func.max(Message.id).label("last_id"))
        .where(Message.conversation_id.in_(mine))
        .group_by(Message.conversation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Conversation, ConversationMember.last_read_id, latest.c.last_id)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .join(latest, latest.c.conversation_id == Conversation.id)
        .options(selectinload(Conversation.members).joinedload(ConversationMember.user))
        .where(ConversationMember.user_id == user.id)
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .limit(200)
    ).all()
    return [(conversation, last_id > read) for conversation, read, last_id in rows]


# Flags and the review queue


def get_message_for_member(user: User, message_id: int) -> Message:
    """A message of a conversation `user` belongs to; NotFound otherwise."""
    message = get_or_404(Message, message_id, _("There is no such message."))
    is_member = db.session.scalar(
        select(ConversationMember.id).where(
            ConversationMember.conversation_id == message.conversation_id,
            ConversationMember.user_id == user.id,
        )
    )
    if is_member is None:
        raise NotFound(_("There is no such message."))
    return message


def flag(user: User, message: Message, reason: str, note: str) -> MessageFlag:
    if message.author_id == user.id:
        raise ServiceError(_("You cannot flag your own message."))
    if message.status != MessageStatus.VISIBLE:
        raise Conflict(_("A moderator has already hidden this message."))
    existing = db.session.scalar(
        select(MessageFlag).where(
            MessageFlag.message_id == message.id, MessageFlag.flagger_id == user.id
        )
    )
    if existing is not None:
        raise Conflict(_("You have already flagged this message; a moderator will look at it."))
    found = MessageFlag(message_id=message.id, flagger_id=user.id, reason=reason, note=note.strip())
    db.session.add(found)
    review.open_item("message", message.id, f"Private message flagged: {reason}")
    db.session.flush()
    return found


def review_context(message_id: int) -> dict[str, object] | None:
    """What a moderator sees of a flagged message: it, its author and the flags, no more."""
    message = db.session.get(Message, message_id)
    if message is None:
        return None
    flags = list(
        db.session.scalars(
            select(MessageFlag)
            .options(selectinload(MessageFlag.flagger))
            .where(MessageFlag.message_id == message_id)
            .order_by(MessageFlag.id)
        )
    )
    return {"message": message, "flags": flags, "labels": REASON_LABELS}


def hide(moderator: User, message_id: int, reason: str) -> Message:
    policy.can_moderate.require(moderator)
    message = get_or_404(Message, message_id, _("There is no such message."))
    message.status = MessageStatus.HIDDEN
    audit.record(moderator.id, "forum.message.hide", "message", message.id, reason,
                 conversation_id=message.conversation_id)  # fmt: skip
    review.close_item("message", message.id, moderator, "hidden")
    if message.author_id:
        recipient.notify(
            message.author_id, "moderation",
            lambda: _("A moderator hid one of your private messages. Reason: %(reason)s",
                      reason=reason),
            url_for("forum.conversation", conversation_id=message.conversation_id),
        )  # fmt: skip
    db.session.flush()
    return message


def message_authors(message_id: int) -> set[int]:
    """The two-person rule: a moderator does not dismiss flags on their own message."""
    author = db.session.scalar(select(Message.author_id).where(Message.id == message_id))
    return {author} if author is not None else set()


def dismiss(moderator: User, message_id: int, reason: str, confirm_self: bool = False) -> Message:
    policy.can_moderate.require(moderator)
    message = get_or_404(Message, message_id, _("There is no such message."))
    second_person.require_second_person(
        moderator, message_authors(message.id), what="flagged message", target_type="message",
        target_id=message.id, reason=reason, confirm_self=confirm_self,
    )  # fmt: skip
    audit.record(moderator.id, "forum.message.dismiss", "message", message.id, reason,
                 conversation_id=message.conversation_id)  # fmt: skip
    review.close_item("message", message.id, moderator, "dismissed")
    db.session.flush()
    return message


# Blocks


def blocks_of(user: User) -> list[MessageBlock]:
    return list(
        db.session.scalars(
            select(MessageBlock)
            .options(selectinload(MessageBlock.blocked))
            .where(MessageBlock.blocker_id == user.id)
            .order_by(MessageBlock.id)
        )
    )


def block(user: User, handle: str) -> MessageBlock:
    policy.can_read_forum.require(user)
    [blocked] = find_members(handle.split()[0] if handle.split() else "")
    if blocked.id == user.id:
        raise ServiceError(_("You cannot block yourself."))
    existing = db.session.scalar(
        select(MessageBlock).where(
            MessageBlock.blocker_id == user.id, MessageBlock.blocked_id == blocked.id
        )
    )
    if existing is not None:
        return existing
    found = MessageBlock(blocker_id=user.id, blocked_id=blocked.id)
    db.session.add(found)
    db.session.flush()
    return found


def unblock(user: User, block_id: int) -> None:
    removed = db.session.execute(
        delete(MessageBlock)
        .where(MessageBlock.id == block_id, MessageBlock.blocker_id == user.id)
        .returning(MessageBlock.id)
    ).first()
    if removed is None:
        raise NotFound(_("There is no such block."))


def audit_labels(ids: list[int]) -> dict[int, str]:
    """Flagged messages in the audit log, by author (never the text; one query)."""
    rows = db.session.execute(
        select(Message.id, User.display_name)
        .outerjoin(User, User.id == Message.author_id)
        .where(Message.id.in_(ids))
    )
    return {
        row_id: _("private message by %(name)s", name=name)
        if name
        else _("private message by a former member")
        for row_id, name in rows
    }
