"""Alembic environment: migrations run on the connection the bot hands over."""

from alembic import context

from bot.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `mip db upgrade` (bot.storage.Database.migrate)")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
