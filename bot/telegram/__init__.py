"""The Telegram adapter (python-telegram-bot): the only package that imports `telegram`."""

import os

# Opt in to python-telegram-bot's timedelta time periods (the v23 behaviour): without it,
# reading RetryAfter.retry_after and similar fields warns on every access.
os.environ.setdefault("PTB_TIMEDELTA", "true")
