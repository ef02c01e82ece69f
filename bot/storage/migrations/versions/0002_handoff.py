"""The handoff queue (and recent messages kept for it): key persons, invites, tickets, their messages, and the outbox.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("recent", sa.Text, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("answered", sa.String(400), nullable=False, server_default=""))
    op.create_table(
        "key_persons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(80), nullable=False, server_default=""),
        sa.Column("languages", sa.String(40), nullable=False),
        sa.Column("ui_language", sa.String(8), nullable=False),
        sa.Column("available", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("active_ticket_id", sa.Integer),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "keyperson_invites",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, server_default=""),
        sa.Column("languages", sa.String(40), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(8), nullable=False, unique=True),
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(64)),
        sa.Column("answered", sa.String(400), nullable=False, server_default=""),
        sa.Column("stay", sa.String(8)),
        sa.Column("municipality", sa.String(64)),
        sa.Column("claimed_by", sa.Integer, sa.ForeignKey("key_persons.id", ondelete="SET NULL")),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("queued_at", TS, nullable=False),
        sa.Column("promised_by", TS, nullable=False),
        sa.Column("claimed_at", TS),
        sa.Column("first_answer_at", TS),
        sa.Column("closed_at", TS),
        sa.Column("reminded", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("widened", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("late_notice_sent", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("helped", sa.Boolean),
    )
    op.create_index("ix_tickets_status_queued", "tickets", ["status", "queued_at"])
    # One open (or claimed) ticket per user, enforced by the database itself.
    op.create_index(
        "ux_tickets_one_active_per_user",
        "tickets",
        ["user_key"],
        unique=True,
        sqlite_where=sa.text("status IN ('open', 'claimed')"),
        postgresql_where=sa.text("status IN ('open', 'claimed')"),
    )
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("author", sa.String(10), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recipient", sa.String(64), nullable=False, index=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("not_before", TS, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(200)),
    )
    op.create_index("ix_outbox_due", "outbox", ["not_before", "id"])


def downgrade() -> None:
    for table in ("outbox", "ticket_messages", "tickets", "keyperson_invites", "key_persons"):
        op.drop_table(table)
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("answered")
        batch.drop_column("recent")
