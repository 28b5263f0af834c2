"""stored forecasts: forecast runs and their points

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

QUANTILE_COLUMNS = ("q_025", "q_05", "q_10", "q_20", "q_50", "q_80", "q_90", "q_95", "q_975")


def upgrade() -> None:
    op.create_table(
        "forecast_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dataset", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("fallback", sa.String(length=40), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("by_cluster", sa.Boolean(), nullable=False),
        sa.Column("demand", sa.String(length=10), nullable=False),
        sa.Column("reconciliation", sa.String(length=20), nullable=True),
        sa.Column("horizon_hours", sa.Integer(), nullable=False),
        sa.Column("origin", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("series", sa.Integer(), nullable=False),
        sa.Column("backtest_origin", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accuracy", sa.JSON(), nullable=False),
        sa.Column("drivers", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("forecast_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forecast_runs_dataset"), ["dataset"], unique=False)

    op.create_table(
        "forecast_points",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("unique_id", sa.String(length=200), nullable=False),
        sa.Column("ds", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mean", sa.Float(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=False) for name in QUANTILE_COLUMNS),
        sa.ForeignKeyConstraint(["run_id"], ["forecast_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("forecast_points", schema=None) as batch_op:
        batch_op.create_index(
            "ix_forecast_points_run_series", ["run_id", "unique_id", "ds"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("forecast_points", schema=None) as batch_op:
        batch_op.drop_index("ix_forecast_points_run_series")
    op.drop_table("forecast_points")
    with op.batch_alter_table("forecast_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forecast_runs_dataset"))
    op.drop_table("forecast_runs")
