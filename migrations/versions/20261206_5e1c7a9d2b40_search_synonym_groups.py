"""search synonym groups, seeded from app/search/synonyms.yaml

Revision ID: 5e1c7a9d2b40
Revises: 3f99cc9aea6b
Create Date: 2026-12-06 19:20:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op

revision: str = "5e1c7a9d2b40"
down_revision: str | Sequence[str] | None = "3f99cc9aea6b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The seed as the repository holds it when the table is created; later additions to the file
# are added by `flask search synonyms --load`, and moderators' edits live in the table.
SEED = Path(__file__).resolve().parents[2] / "app" / "search" / "synonyms.yaml"


def upgrade() -> None:
    table = op.create_table(
        "search_synonym_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonym_groups")),
    )
    groups = yaml.safe_load(SEED.read_text(encoding="utf-8")) if SEED.is_file() else []
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [{"terms": [str(term) for term in terms], "created_at": now} for terms in groups or []]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("search_synonym_groups")
