"""search documents table for PostgreSQL search (tsvector, GIN; PostgreSQL only)

Revision ID: c5a1e0f3b7d2
Revises: 5e1c7a9d2b40
Create Date: 2026-12-06 22:00:00.000000

On PostgreSQL: the `unaccent` and `pg_trgm` extensions when the server offers them (creating
an extension needs a superuser or a trusted extension; without them the search still works,
without accent folding or spelling suggestions, and says so in the log), and the
`search_documents` table of SEARCH_BACKEND=postgres. On SQLite nothing is done: the embedded
deployment searches with Whoosh.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5a1e0f3b7d2"
down_revision: str | Sequence[str] | None = "5e1c7a9d2b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXTENSIONS = ("unaccent", "pg_trgm")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    available = set(
        bind.execute(
            sa.text("SELECT name FROM pg_available_extensions WHERE name = ANY(:names)"),
            {"names": list(EXTENSIONS)},
        ).scalars()
    )
    for name in EXTENSIONS:
        if name in available:
            op.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
        else:
            print(f"PostgreSQL has no {name} extension: search works without it.")
    op.execute(
        """CREATE TABLE IF NOT EXISTS search_documents (
        index_name varchar(40) NOT NULL,
        key varchar(200) NOT NULL,
        stored jsonb NOT NULL DEFAULT '{}',
        terms jsonb NOT NULL DEFAULT '{}',
        document tsvector NOT NULL,
        spell tsvector NOT NULL,
        updated_at timestamp NOT NULL DEFAULT (now() at time zone 'utc'),
        CONSTRAINT pk_search_documents PRIMARY KEY (index_name, key))"""
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_search_documents_document"
        " ON search_documents USING gin (document)"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_search_documents_terms"
        " ON search_documents USING gin (terms jsonb_path_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_documents")
