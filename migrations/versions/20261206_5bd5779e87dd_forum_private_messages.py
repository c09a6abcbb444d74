"""forum private messages

Revision ID: 5bd5779e87dd
Revises: e6bab19ac806
Create Date: 2026-12-06 21:28:11.323583
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "5bd5779e87dd"
down_revision: str | Sequence[str] | None = "e6bab19ac806"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "forum_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_forum_conversations_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_conversations")),
    )
    op.create_table(
        "forum_message_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("blocker_id", sa.Integer(), nullable=False),
        sa.Column("blocked_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blocked_id"],
            ["users.id"],
            name=op.f("fk_forum_message_blocks_blocked_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"],
            ["users.id"],
            name=op.f("fk_forum_message_blocks_blocker_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_message_blocks")),
        sa.UniqueConstraint(
            "blocker_id", "blocked_id", name=op.f("uq_forum_message_blocks_blocker_id")
        ),
    )
    op.create_table(
        "forum_conversation_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last_read_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["forum_conversations.id"],
            name=op.f("fk_forum_conversation_members_conversation_id_forum_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_forum_conversation_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_conversation_members")),
        sa.UniqueConstraint(
            "conversation_id", "user_id", name=op.f("uq_forum_conversation_members_conversation_id")
        ),
    )
    with op.batch_alter_table("forum_conversation_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forum_conversation_members_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "forum_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_forum_messages_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["forum_conversations.id"],
            name=op.f("fk_forum_messages_conversation_id_forum_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_messages")),
    )
    with op.batch_alter_table("forum_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_forum_messages_conversation", ["conversation_id", "id"], unique=False
        )

    op.create_table(
        "forum_message_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("flagger_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flagger_id"],
            ["users.id"],
            name=op.f("fk_forum_message_flags_flagger_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["forum_messages.id"],
            name=op.f("fk_forum_message_flags_message_id_forum_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_message_flags")),
        sa.UniqueConstraint(
            "message_id", "flagger_id", name=op.f("uq_forum_message_flags_message_id")
        ),
    )
    with op.batch_alter_table("forum_message_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forum_message_flags_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("forum_message_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_message_flags_message_id"))

    op.drop_table("forum_message_flags")
    with op.batch_alter_table("forum_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_forum_messages_conversation")

    op.drop_table("forum_messages")
    with op.batch_alter_table("forum_conversation_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_conversation_members_user_id"))

    op.drop_table("forum_conversation_members")
    op.drop_table("forum_message_blocks")
    op.drop_table("forum_conversations")
