"""MIP_LOG_FORMAT=json: one JSON object per line, for a log collector (Loki, Elastic, journald).

Fields: time (UTC, ISO 8601), level, logger, message, and exc (the traceback) when there is
one; values passed with `extra=` are added when they are plain (str, number, bool, None).
The message is the log line as in text format: it holds no user's message text unless
MIP_LOG_MESSAGE_TEXT=1 asked for it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

# What every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and _plain(value):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)
