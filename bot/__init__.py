"""The digital desk of a Migratie Informatie Punt: a Telegram chatbot for EU labour migrants."""
