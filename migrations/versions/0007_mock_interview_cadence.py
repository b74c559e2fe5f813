"""mock interview cadence

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 22:22:59.825523
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pair_day", sa.String(length=3), server_default="mon", nullable=False)
        )
        batch_op.add_column(
            sa.Column("pair_time", sa.String(length=5), server_default="09:00", nullable=False)
        )
        batch_op.add_column(
            sa.Column("checkin_days", sa.Integer(), server_default="2", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_column("checkin_days")
        batch_op.drop_column("pair_time")
        batch_op.drop_column("pair_day")
