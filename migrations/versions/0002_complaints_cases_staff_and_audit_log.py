"""complaints: cases, identifiers, messages, notes, attachments, history, staff, attempts, audit log

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_complaint_attempts_subject", ["kind", "subject", "at"], unique=False
        )

    op.create_table(
        "complaint_audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_audit_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_audit_log_reference"), ["reference"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaint_audit_log_unit"), ["unit"], unique=False)

    op.create_table(
        "complaint_cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("offence_type", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("status_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("competent_unit", sa.String(length=16), nullable=False),
        sa.Column("routing_reason", sa.String(length=500), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("occurred_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("occurred_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("place_postal_code", sa.String(length=4), nullable=True),
        sa.Column("place_nis", sa.String(length=5), nullable=True),
        sa.Column("loss_eur", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("bias_motive", sa.String(length=30), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_to", sa.String(length=40), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("merged_into", sa.String(length=20), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receipt_hash", sa.String(length=200), nullable=False),
        sa.Column("personal_enc", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("complaint_cases", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_cases_closed_at", ["closed_at"], unique=False)
        batch_op.create_index(
            "ix_complaint_cases_unit_status", ["competent_unit", "status"], unique=False
        )

    op.create_table(
        "complaint_sequences",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "staff_accounts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("totp_secret_enc", sa.LargeBinary(), nullable=False),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "complaint_attachments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=60), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=80), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filename_enc", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["complaint_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_attachments_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "complaint_identifiers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("blind_index", sa.String(length=64), nullable=False),
        sa.Column("value_enc", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["complaint_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_identifiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_identifiers_blind_index"), ["blind_index"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaint_identifiers_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "complaint_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=10), nullable=False),
        sa.Column("staff", sa.String(length=40), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body_enc", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["complaint_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_messages_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "complaint_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body_enc", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["complaint_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_notes_case_id"), ["case_id"], unique=False)

    op.create_table(
        "complaint_status_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("reason_enc", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["complaint_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_status_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_status_history_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    # Dropping a table drops its indexes; children before the cases they point to.
    op.drop_table("complaint_status_history")
    op.drop_table("complaint_notes")
    op.drop_table("complaint_messages")
    op.drop_table("complaint_identifiers")
    op.drop_table("complaint_attachments")
    op.drop_table("staff_accounts")
    op.drop_table("complaint_sequences")
    op.drop_table("complaint_cases")
    op.drop_table("complaint_audit_log")
    op.drop_table("complaint_attempts")
