"""The `mip` command line: thin entry points over the product (main.py parses, the rest act)."""

from bot.cli.main import main

__all__ = ["main"]
