"""Profile (stay length, municipality, answer waiting for them), subscriptions, announced events.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("stay", sa.String(8)))
    op.add_column("conversations", sa.Column("municipality", sa.String(64)))
    op.add_column("conversations", sa.Column("pending_intent", sa.String(64)))
    op.create_table(
        "subscriptions",
        sa.Column("user_key", sa.String(64), primary_key=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("municipality", sa.String(64)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_table(
        "announced_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("recipients", sa.Integer, nullable=False, server_default="0"),
        sa.Column(
            "announced_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_table("announced_events")
    op.drop_table("subscriptions")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("pending_intent")
        batch.drop_column("municipality")
        batch.drop_column("stay")
