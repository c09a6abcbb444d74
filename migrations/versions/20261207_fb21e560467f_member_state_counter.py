"""member state counter

Revision ID: fb21e560467f
Revises: f79cc9783a3d
Create Date: 2026-12-07 03:39:31.037102
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "fb21e560467f"
down_revision: str | Sequence[str] | None = "f79cc9783a3d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_states",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_member_states_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_member_states")),
    )


def downgrade() -> None:
    op.drop_table("member_states")
