"""complaints: every case gets a version, bumped by each save (optimistic concurrency)

Revision ID: 0006
Revises: 0005

A save writes a case only over the version it read (UPDATE ... WHERE version = :read) and
bumps it in the same statement; a writer that read an older version is refused and retries
on a fresh read (storage/complaints/repository.py). Existing cases start at version 0.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("complaint_cases", schema=None) as batch_op:
        batch_op.drop_column("version")
