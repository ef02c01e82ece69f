"""Persistence through SQLAlchemy 2 (async): SQLite by default, PostgreSQL in production."""

from bot.storage.db import Database

__all__ = ["Database"]
