"""The handoff keeps its promises (issue 15): tickets without a promised time, the time of a
ticket's latest message (either side, and the key person's), edited messages marked; the
outbox's kind, priority, ticket code, digest line, failure notice and delivered parts; dead
letters, with the user each is about (erased with them by /forget).

Only columns are added: on SQLite a changed column would rebuild the table, and dropping
the old `tickets` with foreign keys on would cascade into its messages.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
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
    for column in (
        sa.Column("kind", sa.String(12), nullable=False, server_default="notice"),
        sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
        sa.Column("ticket_code", sa.String(8)),
        sa.Column("summary", sa.String(300)),
        sa.Column("on_failure", sa.Text),
        sa.Column("parts_sent", sa.Integer, nullable=False, server_default="0"),
    ):
        op.add_column("outbox", column)
    op.create_index("ix_outbox_recipient_order", "outbox", ["recipient", "priority", "id"])
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recipient", sa.String(64), nullable=False, index=True),
        sa.Column("sender", sa.String(64), index=True),
        sa.Column("about", sa.String(64), index=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("ticket_code", sa.String(8)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("error", sa.String(200), nullable=False),
        sa.Column("sender_told", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", TS, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("dead_letters")
    op.drop_index("ix_outbox_recipient_order", table_name="outbox")
    for name in ("parts_sent", "on_failure", "summary", "ticket_code", "priority", "kind"):
        op.drop_column("outbox", name)
    op.drop_column("ticket_messages", "correction")
    for column in ("last_answer_at", "last_message_at", "promised"):
        op.drop_column("tickets", column)
