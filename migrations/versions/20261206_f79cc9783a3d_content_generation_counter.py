"""content generation counter

Revision ID: f79cc9783a3d
Revises: b274f21fb418
Create Date: 2026-12-06 21:10:16.796951
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f79cc9783a3d"
down_revision: str | Sequence[str] | None = "b274f21fb418"
branch_labels: str | Sequence[str] | None = ("generation",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "content_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("content_generation")
