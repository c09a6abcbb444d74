"""search outbox

Revision ID: 3f99cc9aea6b
Revises: b274f21fb418
Create Date: 2026-11-23 11:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f99cc9aea6b"
down_revision: str | Sequence[str] | None = "b274f21fb418"
branch_labels: str | Sequence[str] | None = ("search",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("index_name", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_outbox")),
    )
    op.create_index(
        "ix_search_outbox_index_name_id", "search_outbox", ["index_name", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_search_outbox_index_name_id", table_name="search_outbox")
    op.drop_table("search_outbox")
