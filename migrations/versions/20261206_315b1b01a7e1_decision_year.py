"""decision year

Illustrative cases keep only the year of their decision (an exact date made a composite look like
a citable judgment): add `case_digests.decision_year`, fill it from every existing date, then
clear the date of the illustrative cases. Real cases keep their date. The downgrade drops the
column; the cleared dates are not invented back.

Revision ID: 315b1b01a7e1
Revises: 3442b111da21
Create Date: 2026-12-06 19:09:18.745523
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "315b1b01a7e1"
down_revision: str | Sequence[str] | None = "3442b111da21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

cases = sa.table(
    "case_digests",
    sa.column("id", sa.Integer()),
    sa.column("decision_date", sa.Date()),
    sa.column("decision_year", sa.Integer()),
    sa.column("illustrative", sa.Boolean()),
)


def upgrade() -> None:
    with op.batch_alter_table("case_digests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_year", sa.Integer(), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(cases.c.id, cases.c.decision_date, cases.c.illustrative).where(
            cases.c.decision_date.is_not(None)
        )
    ).all()
    for case_id, decided, illustrative in rows:
        connection.execute(
            sa.update(cases)
            .where(cases.c.id == case_id)
            .values(decision_year=decided.year, decision_date=None if illustrative else decided)
        )


def downgrade() -> None:
    with op.batch_alter_table("case_digests", schema=None) as batch_op:
        batch_op.drop_column("decision_year")
