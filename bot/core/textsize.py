"""Text lengths as Telegram counts them: UTF-16 code units.

A message may hold 4096 of them. Python counts code points, so an emoji or another character
outside the Basic Multilingual Plane is one Python character but two units; a text of 4096
Python characters with emoji in it is too long for Telegram.
"""

from __future__ import annotations

# Where a long text is best broken, most natural first.
BREAKS = ("\n\n", "\n", " ")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cut_utf16(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` units (a character is never split)."""
    if utf16_len(text) <= limit:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def split_utf16(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` units, joined they give `text` back; broken
    between paragraphs, else lines, else words (in the second half of a piece), else
    anywhere."""
    if limit < 2:
        raise ValueError("a piece must hold at least one character")
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        head = cut_utf16(rest, limit)
        for mark in BREAKS:
            at = head.rfind(mark)
            if at >= len(head) // 2:  # a break that leaves a piece worth a message
                head = head[: at + len(mark)]
                break
        pieces.append(head)
        rest = rest[len(head) :]
    if rest or not pieces:
        pieces.append(rest)
    return pieces
