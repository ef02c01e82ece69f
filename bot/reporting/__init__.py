"""Anonymous reporting for the municipality, and the unanswered-question review loop.

Public API:
    Analytics(db): answered, misunderstood, out_of_scope, handoff_opened, first_answer,
        handoff_closed, feedback; every method takes an optional `session=` to join a
        transaction.
    QuestionCollector(db, enabled=..., pseudonyms=...): unanswered, out_of_scope,
        handoff_question, suggested_answer, purge(older_than_days), items(), forget (the
        privacy part); export_yaml(items, exported=...); Pseudonyms.
    ReportingInsight(analytics, questions): the conversation core's hook.
    HandoffReporting(analytics, questions): the handoff's domain events, after commit.
    purge_review_items: the review loop's part of privacy (retention).
"""

from bot.reporting.insight import HandoffReporting, ReportingInsight
from bot.reporting.recorder import Analytics, EventKind
from bot.reporting.review import (
    Pseudonyms,
    QuestionCollector,
    ReviewItem,
    Source,
    export_yaml,
    purge_review_items,
)

__all__ = [
    "Analytics",
    "EventKind",
    "HandoffReporting",
    "Pseudonyms",
    "QuestionCollector",
    "ReportingInsight",
    "ReviewItem",
    "Source",
    "export_yaml",
    "purge_review_items",
]
