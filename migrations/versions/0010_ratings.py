"""question and member ratings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "question_ratings",
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("rating", sa.Float(), nullable=False),
        sa.Column("games", sa.Integer(), nullable=False),
        sa.Column("credit", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("question_id", name=op.f("pk_question_ratings")),
        comment="How hard each question plays (Elo, bot.domain.ratings), from every community's "
        "graded answers; credit is the sum of their credit fractions.",
    )
    op.create_table(
        "member_ratings",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Float(), nullable=False),
        sa.Column("games", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_ratings_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_ratings")),
        comment="Each member's Elo rating against the questions they answered "
        "(bot.domain.ratings).",
    )


def downgrade() -> None:
    op.drop_table("member_ratings")
    op.drop_table("question_ratings")
