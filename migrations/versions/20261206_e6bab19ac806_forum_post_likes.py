"""forum post likes

Revision ID: e6bab19ac806
Revises: 672aacfd7ecc
Create Date: 2026-12-06 21:25:28.389290
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "e6bab19ac806"
down_revision: str | Sequence[str] | None = "672aacfd7ecc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "forum_post_likes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["forum_posts.id"],
            name=op.f("fk_forum_post_likes_post_id_forum_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_forum_post_likes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_post_likes")),
        sa.UniqueConstraint("post_id", "user_id", name=op.f("uq_forum_post_likes_post_id")),
    )
    with op.batch_alter_table("forum_post_likes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_post_likes_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("forum_posts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("like_count", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("forum_posts", schema=None) as batch_op:
        batch_op.drop_column("like_count")

    with op.batch_alter_table("forum_post_likes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_post_likes_user_id"))

    op.drop_table("forum_post_likes")
