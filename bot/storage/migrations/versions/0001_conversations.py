"""Conversation state: language, last intent, pending question.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("user_key", sa.String(64), primary_key=True),
        sa.Column("language", sa.String(8)),
        sa.Column("language_explicit", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("last_intent", sa.String(64)),
        sa.Column("pending_question", sa.Text),
        sa.Column("misunderstood", sa.Integer, nullable=False, server_default="0"),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_table("conversations")
