"""Answers from content/<lang>/<intent>.md: loading, validation, rendering, live reload."""

from bot.content.loader import Answer, Problem, load_file, load_tree
from bot.content.store import ContentStore

__all__ = ["Answer", "ContentStore", "Problem", "load_file", "load_tree"]
