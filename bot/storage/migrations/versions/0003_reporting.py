"""Reporting: anonymous analytics events and masked questions for review.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("intent", sa.String(64)),
        sa.Column("municipality", sa.String(64)),
        sa.Column("stay", sa.String(8)),
        sa.Column("value", sa.Float),
        sa.Column("helped", sa.Boolean),
    )
    op.create_index("ix_analytics_events_day_kind", "analytics_events", ["day", "kind"])
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("intent", sa.String(64)),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_review_items_day", "review_items", ["day"])


def downgrade() -> None:
    op.drop_index("ix_review_items_day", "review_items")
    op.drop_table("review_items")
    op.drop_index("ix_analytics_events_day_kind", "analytics_events")
    op.drop_table("analytics_events")
