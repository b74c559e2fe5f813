"""mock interview pairing

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 22:06:14.956075
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pairing_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("run_key", sa.String(length=32), nullable=False),
        sa.Column("week_monday", sa.Date(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("odd_member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_pairing_rounds_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_rounds")),
        sa.UniqueConstraint(
            "community_id", "run_key", name=op.f("uq_pairing_rounds_community_id_run_key")
        ),
    )
    op.create_table(
        "pairing_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("group_no", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("interviews_first", sa.Boolean(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=True),
        sa.Column("shared_slots", sa.Integer(), nullable=False),
        sa.Column("intro_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checkin", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_pairing_assignments_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["pairing_rounds.id"],
            name=op.f("fk_pairing_assignments_round_id_pairing_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_assignments")),
        sa.UniqueConstraint(
            "round_id", "member_id", name=op.f("uq_pairing_assignments_round_id_member_id")
        ),
    )
    op.create_table(
        "pairing_profiles",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("availability", sa.String(length=300), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("level", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("pause_rounds", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_pairing_profiles_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_pairing_profiles_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_pairing_profiles")),
    )
    with op.batch_alter_table("pairing_profiles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pairing_profiles_community_active", ["community_id", "active"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pairing_profiles", schema=None) as batch_op:
        batch_op.drop_index("ix_pairing_profiles_community_active")

    op.drop_table("pairing_profiles")
    op.drop_table("pairing_assignments")
    op.drop_table("pairing_rounds")
