"""registry, import runs and incidents

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dataset", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("preset", sa.String(length=40), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_imported", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("rejects_path", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_runs_dataset"), ["dataset"], unique=False)

    op.create_table(
        "zones",
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("name_nl", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=False),
        sa.Column("name_de", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("parent", sa.String(length=40), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("number"),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_run", sa.Integer(), nullable=True),
        sa.Column("incident_id", sa.String(length=100), nullable=False),
        sa.Column("dataset", sa.String(length=100), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_resolution", sa.String(length=10), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("zone", sa.String(length=40), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("offence_type", sa.String(length=60), nullable=True),
        sa.Column("cluster", sa.SmallInteger(), nullable=True),
        sa.Column("source_category", sa.String(length=200), nullable=True),
        sa.Column("priority", sa.SmallInteger(), nullable=True),
        sa.Column("origin", sa.String(length=30), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("en_route_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["import_run"], ["import_runs.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index("ix_incidents_dataset_time", ["dataset", "occurred_at"], unique=False)
        batch_op.create_index("ix_incidents_zone_time", ["zone", "occurred_at"], unique=False)
        batch_op.create_index("uq_incidents_dataset_id", ["dataset", "incident_id"], unique=True)

    op.create_table(
        "municipalities",
        sa.Column("nis", sa.String(length=5), nullable=False),
        sa.Column("name_nl", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=False),
        sa.Column("name_de", sa.String(length=200), nullable=True),
        sa.Column("zone", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["zone"], ["zones.number"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("nis"),
    )
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_municipalities_zone"), ["zone"], unique=False)

    op.create_table(
        "sectors",
        sa.Column("zone", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["zone"], ["zones.number"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("zone", "code"),
    )


def downgrade() -> None:

    op.drop_table("sectors")
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipalities_zone"))

    op.drop_table("municipalities")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("uq_incidents_dataset_id")
        batch_op.drop_index("ix_incidents_zone_time")
        batch_op.drop_index("ix_incidents_dataset_time")

    op.drop_table("incidents")
    op.drop_table("zones")
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_runs_dataset"))

    op.drop_table("import_runs")
