"""complaints: every child row gets its position in its case's list, unique per case

Revision ID: 0004
Revises: 0003

A child row's (case, position) is the identity its ciphertext is bound to from now on
(storage/complaints/children.py). Existing rows get the position they had when read, their
order by id within the case. Their ciphertexts are not re-encrypted here (that would need the
data key wherever the store is opened): the application still reads the old associated data
and rewrites such rows in the new format the next time their case is saved.

Downgrading drops the positions; rows written in the new format since cannot then be read by
the code of revision 0003.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEW_COLUMN = ("complaint_identifiers", "complaint_messages", "complaint_notes",
              "complaint_attachments")  # fmt: skip
ALL_CHILDREN = (*NEW_COLUMN, "complaint_status_history")


def upgrade() -> None:
    for table in NEW_COLUMN:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("position", sa.Integer(), nullable=True))
        op.execute(_number_by_id(table))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("position", existing_type=sa.Integer(), nullable=False)
    for table in ALL_CHILDREN:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(f"uq_{table}_position", ["case_id", "position"])


def downgrade() -> None:
    for table in ALL_CHILDREN:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"uq_{table}_position", type_="unique")
    for table in NEW_COLUMN:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("position")


def _number_by_id(name: str) -> sa.Update:
    """position = how many rows of the same case come before this one (0, 1, 2, ...)."""
    rows = sa.table(name, sa.column("id"), sa.column("case_id"), sa.column("position"))
    earlier = rows.alias("earlier")
    before = (
        sa.select(sa.func.count())
        .select_from(earlier)
        .where(earlier.c.case_id == rows.c.case_id, earlier.c.id < rows.c.id)
        .scalar_subquery()
    )
    return rows.update().values(position=before)
