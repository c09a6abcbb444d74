"""forum member profiles

What each member shows other members on their forum profile: organisation type, country,
or nothing but their name (hidden). No row means the defaults.

Revision ID: 672aacfd7ecc
Revises: ed7d9ef0c9b4
Create Date: 2026-12-06 21:15:11.493055
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "672aacfd7ecc"
down_revision: str | Sequence[str] | None = "ed7d9ef0c9b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "forum_member_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("organisation_type", sa.String(length=40), nullable=False),
        sa.Column("show_country", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_forum_member_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_forum_member_profiles")),
    )


def downgrade() -> None:
    op.drop_table("forum_member_profiles")
