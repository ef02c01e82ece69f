"""The Telegram adapter (python-telegram-bot): the only module that imports `telegram`."""
