"""Private messages between forum members: conversations (one-to-one or a small group), their
members and messages, members' blocks, and flags on messages (read by moderators only through
the review queue)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.db import Base
from app.core.time import utcnow


class MessageStatus(StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"  # by a moderator after a flag: its participants see that it was hidden


class Conversation(Base):
    """Messages between two to MAX_PARTICIPANTS members, under a subject."""

    __tablename__ = "forum_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[ConversationMember]] = relationship(
        back_populates="conversation", order_by="ConversationMember.id"
    )


class ConversationMember(Base):
    """A participant; `last_read_id` is the last message they have seen (0: none)."""

    __tablename__ = "forum_conversation_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("forum_conversations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_read_id: Mapped[int] = mapped_column(default=0)

    conversation: Mapped[Conversation] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),)


class Message(Base):
    __tablename__ = "forum_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("forum_conversations.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=MessageStatus.VISIBLE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_forum_messages_conversation", "conversation_id", "id"),)


class MessageBlock(Base):
    """`blocker` receives no private messages from `blocked`."""

    __tablename__ = "forum_message_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id])

    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)


class MessageFlag(Base):
    """A participant's report of a message; it opens a "message" item in the review queue."""

    __tablename__ = "forum_message_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("forum_messages.id", ondelete="CASCADE"), index=True
    )
    flagger_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    flagger: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("message_id", "flagger_id"),)
