"""The report's sections: a table (also written as CSV) and a chart, from protected figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel import Locale

from bot.reporting.charts import bars
from bot.reporting.disclosure import ALL, HIDDEN, percent
from bot.reporting.figures import NOT_GIVEN, NOT_UNDERSTOOD, OUT_OF_SCOPE, STAY_LABELS, Figures

TOTAL = "Total"


@dataclass(frozen=True)
class Section:
    slug: str  # CSV file name without .csv, and the HTML anchor
    title: str
    note: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    chart: str | None = None  # base64 PNG
    chart_alt: str = ""


def language_label(code: str) -> str:
    if code == NOT_GIVEN:
        return code
    try:
        return f"{Locale.parse(code).get_display_name('en')} ({code})"
    except (ValueError, TypeError):
        return code


def topic_label(topic: str) -> str:
    return topic if topic.startswith("(") else topic.capitalize()


def sections(f: Figures) -> list[Section]:
    return [
        _overview(f),
        _week_language(f),
        _topic_language(f),
        _week_topic(f),
        _per_language(f),
        _feedback(f),
        _stays(f),
        _municipalities(f),
    ]


def _shown(f: Figures, keys: Sequence[tuple[str, ...]]) -> list[int | None]:
    return [f.d.shown(k) for k in keys]


def _overview(f: Figures) -> Section:
    rows = []
    for week in [*f.weeks, ALL]:
        q, answered = f.q(week), f.q(week, "answered")
        not_understood, out_of_scope, handed = (
            f.q(week, "not understood"),
            f.q(week, "out of scope"),
            f.h(week),
        )
        rows.append(
            [
                "All weeks" if week == ALL else week,
                *(f.d.text(k) for k in (q, answered, not_understood, out_of_scope, handed)),
                f.share(answered, handed),
                percent(f.d.shown(not_understood), f.d.shown(q)),
            ]
        )
    chart = bars(
        f.weeks,
        {
            "answered by the bot": _shown(f, [f.q(w, "answered") for w in f.weeks]),
            "handed to a person": _shown(f, [f.h(w) for w in f.weeks]),
            "not understood": _shown(f, [f.q(w, "not understood") for w in f.weeks]),
        },
        title="Answered by the bot, handed to a person, not understood (per week)",
        unit="number",
        stacked=False,
    )
    return Section(
        "overview",
        "Answered by the bot or handed to a person",
        "Questions to the bot are typed questions and answer buttons pressed. “Share answered "
        "by the bot” is answered ÷ (answered + handed to a person). “Not understood rate” is "
        "not understood ÷ questions to the bot.",
        [
            "Week",
            "Questions to the bot",
            "Answered by the bot",
            "Not understood",
            "Out of scope",
            "Handed to a person",
            "Share answered by the bot",
            "Not understood rate",
        ],
        rows,
        chart,
        "Bar chart per week: answered by the bot, handed to a person, not understood",
    )


def _week_language(f: Figures) -> Section:
    rows = [
        [
            "All weeks" if week == ALL else week,
            *(f.d.text(f.q(week, language=lang)) for lang in [*f.languages, ALL]),
        ]
        for week in [*f.weeks, ALL]
    ]
    chart = bars(
        f.weeks,
        {lang: _shown(f, [f.q(w, language=lang) for w in f.weeks]) for lang in f.languages},
        title="Questions to the bot per week, by language",
        unit="questions",
    )
    return Section(
        "questions_per_week_and_language",
        "Questions per week and language",
        "All questions the bot took (answered, not understood, out of scope).",
        ["Week", *map(language_label, f.languages), TOTAL],
        rows,
        chart,
        "Stacked bar chart of questions per week by language",
    )


def _topic_language(f: Figures) -> Section:
    rows = [
        [
            TOTAL if topic == ALL else topic_label(topic),
            *(f.d.text(f.q(topic=topic, language=lang)) for lang in [*f.languages, ALL]),
        ]
        for topic in [*f.topics, ALL]
    ]
    chart = bars(
        [topic_label(t) for t in f.topics],
        {lang: _shown(f, [f.q(topic=t, language=lang) for t in f.topics]) for lang in f.languages},
        title="Questions per topic, by language (whole period)",
        unit="questions",
        horizontal=True,
    )
    return Section(
        "questions_per_topic_and_language",
        "Questions per topic and language",
        f"Topics are the menu sections of the bot. {NOT_UNDERSTOOD} and {OUT_OF_SCOPE} are "
        "questions the bot could not answer.",
        ["Topic", *map(language_label, f.languages), TOTAL],
        rows,
        chart,
        "Horizontal stacked bar chart of questions per topic by language",
    )


def _week_topic(f: Figures) -> Section:
    rows = [
        [
            "All weeks" if week == ALL else week,
            *(f.d.text(f.q(week, topic=topic)) for topic in [*f.topics, ALL]),
        ]
        for week in [*f.weeks, ALL]
    ]
    return Section(
        "questions_per_week_and_topic",
        "Questions per topic and week",
        "The same questions by topic and week; the file "
        "questions_per_week_topic_language.csv has them per language as well.",
        ["Week", *map(topic_label, f.topics), TOTAL],
        rows,
    )


def cube_rows(f: Figures) -> list[list[str]]:
    """Questions per week, topic and language, one line per combination that has questions."""
    return [
        [week, topic, lang, f.d.text(f.q(week, topic=topic, language=lang))]
        for week in f.weeks
        for topic in f.topics
        for lang in f.languages
        if f.d.values[f.q(week, topic=topic, language=lang)] > 0
    ]


def _per_language(f: Figures) -> Section:
    rows = []
    for lang in [*f.languages, ALL]:
        q, not_understood = f.q(language=lang), f.q(kind="not understood", language=lang)
        median, p90 = f.wait_stats(lang) if lang != ALL else ("", "")
        rows.append(
            [
                TOTAL if lang == ALL else language_label(lang),
                f.d.text(q),
                percent(f.d.shown(not_understood), f.d.shown(q)),
                f.d.text(f.h(language=lang)),
                f.d.text(f.w(lang)),
                median,
                p90,
            ]
        )
    waits = [f.wait_stats(lang) for lang in f.languages]
    chart = bars(
        [language_label(lang) for lang in f.languages],
        {
            "median": [None if m == HIDDEN else float(m) for m, _ in waits],
            "90th percentile": [None if p == HIDDEN else float(p) for _, p in waits],
        },
        title="Waiting time for a person's first answer, per language",
        unit="minutes",
        stacked=False,
    )
    return Section(
        "per_language",
        "Per language, and waiting for a person",
        "Waiting time runs from handing the question to a person to that person's first "
        "answer. Median: half of the people waited less. 90th percentile: 9 in 10 waited "
        "less. Shown only when at least 5 people waited.",
        [
            "Language",
            "Questions to the bot",
            "Not understood rate",
            "Handed to a person",
            "First answers from a person",
            "Median wait (minutes)",
            "90th percentile wait (minutes)",
        ],
        rows,
        chart,
        "Grouped bar chart of median and 90th percentile waiting time per language",
    )


def _feedback(f: Figures) -> Section:
    rows = [
        [
            TOTAL if topic == ALL else topic_label(topic),
            f.d.text(f.f(topic, "helped")),
            f.d.text(f.f(topic, "did not help")),
            f.d.text(f.f(topic)),
            f.share(f.f(topic, "helped"), f.f(topic, "did not help")),
        ]
        for topic in [*f.feedback_topics, ALL]
    ]
    chart = bars(
        [topic_label(t) for t in f.feedback_topics],
        {
            "helped": _shown(f, [f.f(t, "helped") for t in f.feedback_topics]),
            "did not help": _shown(f, [f.f(t, "did not help") for t in f.feedback_topics]),
        },
        title="Did the answer help? (per topic)",
        unit="answers",
        horizontal=True,
    )
    return Section(
        "feedback_per_topic",
        "Feedback per topic",
        "What people answered to “Did this help?” after an answer of the bot or of a person.",
        ["Topic", "Helped", "Did not help", TOTAL, "Share helped"],
        rows,
        chart,
        "Horizontal stacked bar chart of helped and did not help per topic",
    )


def _stays(f: Figures) -> Section:
    rows = [
        [
            TOTAL if stay == ALL else STAY_LABELS[stay],
            f.d.text(f.s(stay)),
            percent(f.d.shown(f.s(stay)), f.d.shown(f.s())) if stay != ALL else "",
        ]
        for stay in [*f.stays, ALL]
    ]
    chart = bars(
        [STAY_LABELS[s] for s in f.stays],
        {"questions": _shown(f, [f.s(s) for s in f.stays])},
        title="Questions by how long people stay in the Netherlands",
        unit="questions",
        horizontal=True,
    )
    return Section(
        "stay_length",
        "How long people stay",
        "The stay length people told the bot, counted over their questions.",
        ["Stay", "Questions", "Share"],
        rows,
        chart,
        "Bar chart of questions by stay length",
    )


def _municipalities(f: Figures) -> Section:
    rows = [
        [
            TOTAL if place == ALL else place,
            f.d.text(f.m(place)),
            percent(f.d.shown(f.m(place)), f.d.shown(f.m())) if place != ALL else "",
        ]
        for place in [*f.municipalities, ALL]
    ]
    top = f.municipalities[:15]
    chart = bars(
        top,
        {"questions": _shown(f, [f.m(p) for p in top])},
        title="Questions by municipality (the 15 most asked about)",
        unit="questions",
        horizontal=True,
    )
    return Section(
        "municipalities",
        "Municipalities asked about",
        "The municipality people told the bot they live or work in, counted over their questions.",
        ["Municipality", "Questions", "Share"],
        rows,
        chart,
        "Bar chart of questions by municipality",
    )
