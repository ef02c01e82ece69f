"""Processed Telegram updates, so an update delivered twice is handled once.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processed_updates",
        sa.Column("bot_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column(
            "received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("ix_processed_updates_received_at", "processed_updates", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_processed_updates_received_at", table_name="processed_updates")
    op.drop_table("processed_updates")
