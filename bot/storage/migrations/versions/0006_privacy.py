"""Privacy (issue 16): outbox rows say whom they are about, review items carry a keyed hash of
their author, and published report periods are recorded.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("about", sa.String(64)))
        batch.create_index("ix_outbox_about", ["about"])
    with op.batch_alter_table("review_items") as batch:
        batch.add_column(sa.Column("subject", sa.String(32)))
        batch.create_index("ix_review_items_subject", ["subject"])
    op.create_table(
        "published_reports",
        sa.Column("period", sa.String(10), primary_key=True),
        sa.Column("since", sa.Date, nullable=False),
        sa.Column("until", sa.Date, nullable=False),
        sa.Column("cells", sa.Text, nullable=False),
        sa.Column("published_at", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("published_reports")
    with op.batch_alter_table("review_items") as batch:
        batch.drop_index("ix_review_items_subject")
        batch.drop_column("subject")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_about")
        batch.drop_column("about")
