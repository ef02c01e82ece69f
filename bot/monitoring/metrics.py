"""The bot's Prometheus metrics that count as things happen (process-wide, in
prometheus-client's default registry). Gauges read from the database at scrape time are in
bot.monitoring.gauges. No label ever holds a user, a text or a ticket code."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Histogram

# Telegram answers within 2 s is the promise; the buckets resolve it finely below that.
REPLY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
ENGINE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.2, 2.0)

UPDATES = Counter(
    "mip_updates_handled",
    "Telegram updates handled, by kind (message, button, other); redelivered ones included.",
    ["kind"],
)
REPLY_SECONDS = Histogram(
    "mip_reply_seconds",
    "From a private chat's update received to its last reply accepted by Telegram.",
    buckets=REPLY_BUCKETS,
)
ENGINE_SECONDS = Histogram(
    "mip_engine_seconds",
    "Engine /model/parse calls that got an answer, in seconds.",
    buckets=ENGINE_BUCKETS,
)
ENGINE_ERRORS = Counter(
    "mip_engine_errors",
    "Engine calls that failed: unavailable (down, slow, refused) or bad_response.",
    ["reason"],
)
CRISIS_ANSWERS = Counter(
    "mip_crisis_answers",
    "Crisis answers given, by group of content/crisis.yml.",
    ["group"],
)
DEAD_LETTERS = Counter(
    "mip_outbox_dead_letters",
    "Outbox messages given up undelivered (user blocked the bot, refused, retries spent).",
)

# Series that exist from the start, at 0, so that rate() and alerts see them before the
# first event.
for _kind in ("message", "button", "other"):
    UPDATES.labels(_kind)
for _reason in ("unavailable", "bad_response"):
    ENGINE_ERRORS.labels(_reason)


def known_crisis_groups(names: Iterable[str]) -> None:
    """Show every crisis group of the content at 0 until it is first answered."""
    for name in names:
        CRISIS_ANSWERS.labels(name)
