"""Anonymous reporting for the municipality, and the unanswered-question review loop.

Public API (what the handoff code calls):
    Analytics(db): answered, misunderstood, out_of_scope, handoff_opened, first_answer,
        handoff_closed, feedback; every method takes an optional `session=` to join a
        transaction.
    QuestionCollector(db, enabled=...): unanswered, out_of_scope, handoff_question,
        suggested_answer, purge(older_than_days), items(); export_yaml(items, exported=...).
    ReportingInsight(analytics, questions): the conversation core's hook.
"""

from bot.reporting.insight import ReportingInsight
from bot.reporting.recorder import Analytics, EventKind
from bot.reporting.review import QuestionCollector, ReviewItem, Source, export_yaml

__all__ = [
    "Analytics",
    "EventKind",
    "QuestionCollector",
    "ReportingInsight",
    "ReviewItem",
    "Source",
    "export_yaml",
]
