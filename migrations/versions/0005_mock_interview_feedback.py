"""mock interview feedback

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 22:16:55.944031
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mock_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["pairing_assignments.id"],
            name=op.f("fk_mock_feedback_assignment_id_pairing_assignments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mock_feedback")),
        sa.UniqueConstraint("assignment_id", name=op.f("uq_mock_feedback_assignment_id")),
    )


def downgrade() -> None:
    op.drop_table("mock_feedback")
