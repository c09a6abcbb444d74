"""topic status

A topic gets its own status (visible, pending, hidden, deleted), which replaces the `deleted`
flag. Existing topics keep what today's rule made of them (a topic was shown only while it was
not deleted and its first post was visible): deleted → deleted; first post visible → visible,
awaiting approval → pending, hidden → hidden (nothing a moderator took down comes back by
itself), rejected or deleted → deleted. The categories' counters are then counted again from
the new rule: visible topics, and the visible posts of visible topics.

Revision ID: ed7d9ef0c9b4
Revises: 475d8cc71f7a
Create Date: 2026-12-06 18:59:32.274822
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ed7d9ef0c9b4"
down_revision: str | Sequence[str] | None = "475d8cc71f7a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_FROM_TODAYS_RULE = """
UPDATE forum_topics SET status = CASE
    WHEN deleted THEN 'deleted'
    ELSE COALESCE((
        SELECT CASE forum_posts.status
            WHEN 'visible' THEN 'visible'
            WHEN 'pending' THEN 'pending'
            WHEN 'hidden' THEN 'hidden'
            ELSE 'deleted'
        END
        FROM forum_posts
        WHERE forum_posts.topic_id = forum_topics.id AND forum_posts.number = 1
    ), 'deleted')
END
"""

RECOUNT_CATEGORIES = """
UPDATE forum_categories SET
    topic_count = (
        SELECT COUNT(*) FROM forum_topics
        WHERE forum_topics.category_id = forum_categories.id AND forum_topics.status = 'visible'
    ),
    post_count = (
        SELECT COALESCE(SUM(forum_topics.post_count), 0) FROM forum_topics
        WHERE forum_topics.category_id = forum_categories.id AND forum_topics.status = 'visible'
    )
"""


def upgrade() -> None:
    with op.batch_alter_table("forum_topics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), nullable=True))
    op.execute(STATUS_FROM_TODAYS_RULE)
    op.execute(RECOUNT_CATEGORIES)
    with op.batch_alter_table("forum_topics", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_column("deleted")


def downgrade() -> None:
    # The old flag knows only "deleted"; the counters stay as the new rule counted them.
    with op.batch_alter_table("forum_topics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted", sa.Boolean(), nullable=True))
    op.execute("UPDATE forum_topics SET deleted = (status = 'deleted')")
    with op.batch_alter_table("forum_topics", schema=None) as batch_op:
        batch_op.alter_column("deleted", existing_type=sa.Boolean(), nullable=False)
        batch_op.drop_column("status")
