"""The handoff keeps its promises (issue 15): tickets without a promised time, the time of a
ticket's latest message (either side, and the key person's), edited messages marked.

Only columns are added: on SQLite a changed column would rebuild the table, and dropping
the old `tickets` with foreign keys on would cascade into its messages.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column(
        "tickets", sa.Column("promised", sa.Boolean, nullable=False, server_default=sa.true())
    )
    op.add_column("tickets", sa.Column("last_message_at", TS))
    op.add_column("tickets", sa.Column("last_answer_at", TS))
    op.add_column(
        "ticket_messages",
        sa.Column("correction", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("ticket_messages", "correction")
    for column in ("last_answer_at", "last_message_at", "promised"):
        op.drop_column("tickets", column)
