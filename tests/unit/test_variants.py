"""Variant sections and placeholders: what each user sees."""

from __future__ import annotations

from bot.content.variants import MUNICIPALITY, STAY, parse_body

TEXT = """Everyone.

::: stay short
Short.
:::
::: stay mid long
Longer.
:::
::: municipality breda venlo
Breda or Venlo.
:::
::: municipality other
Elsewhere: {{ desks }}
:::
Everyone again, {{ rni_desk }}."""


def test_each_user_sees_the_shared_text_and_their_sections() -> None:
    body, problems = parse_body(TEXT.splitlines(), 8)
    assert problems == []
    assert body.needs == (STAY, MUNICIPALITY)
    assert body.placeholders == {"desks", "rni_desk"}
    fill = {"desks": "DESKS", "rni_desk": "Breda"}.__getitem__
    assert body.select("short", "breda", fill) == (
        "Everyone.\n\nShort.\n\nBreda or Venlo.\n\nEveryone again, Breda."
    )
    assert body.select("long", "tilburg", fill) == (
        "Everyone.\n\nLonger.\n\nElsewhere: DESKS\n\nEveryone again, Breda."
    )
    # Before anything is known (e.g. the crisis path): shared text and the 'other' sections.
    assert (
        body.select(None, None, fill) == "Everyone.\n\nElsewhere: DESKS\n\nEveryone again, Breda."
    )


def test_problems_name_the_line_of_the_section() -> None:
    lines = ["Intro", "::: stay short", "x", ":::", "::: colour red", "y", ":::", ":::"]
    _, problems = parse_body(lines, 10)
    assert (11, "stay sections must cover short, mid and long; missing: mid, long") in problems
    assert any(line == 14 and "unknown section 'colour'" in m for line, m in problems)
    assert (17, "':::' closes a section that was never opened") in problems
