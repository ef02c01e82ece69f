"""Render the Markdown subset of content files for a transport.

Two targets: Telegram's HTML parse mode (only <b>, <i>, <a>, <code>; everything else escaped,
so text can never become markup) and plain text for the terminal. Raw HTML in a file is shown
as text, never interpreted.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image", "table"], True)
_SAFE_SCHEMES = ("http://", "https://", "tel:", "mailto:")


# Answers come from a few hundred files and their variants, and parsing Markdown costs more
# than a millisecond for a long one: the same text is rendered once.
@lru_cache(maxsize=2048)
def render_telegram_html(markdown: str) -> str:
    return _render(markdown, _HtmlInline())


@lru_cache(maxsize=2048)
def render_plain(markdown: str) -> str:
    return _render(markdown, _PlainInline())


def escape_html(text: str) -> str:
    """Plain text for Telegram's HTML mode: every <, > and & shown as itself."""
    return html.escape(text, quote=False)


class _HtmlInline:
    def text(self, s: str) -> str:
        return html.escape(s, quote=False)

    def open(self, tok: Token) -> str:
        if tok.type == "strong_open":
            return "<b>"
        if tok.type == "em_open":
            return "<i>"
        if tok.type == "link_open":
            href = str(tok.attrs.get("href", ""))
            return f'<a href="{html.escape(href)}">' if href.startswith(_SAFE_SCHEMES) else ""
        return ""

    def close(self, tok: Token, opened: str) -> str:
        return {"<b>": "</b>", "<i>": "</i>"}.get(
            opened, "</a>" if opened.startswith("<a ") else ""
        )

    def code(self, s: str) -> str:
        return f"<code>{html.escape(s, quote=False)}</code>"

    def bold_line(self, s: str) -> str:
        return f"<b>{s}</b>"


class _PlainInline:
    def __init__(self) -> None:
        self._hrefs: list[str] = []

    def text(self, s: str) -> str:
        return s

    def open(self, tok: Token) -> str:
        if tok.type == "link_open":
            self._hrefs.append(str(tok.attrs.get("href", "")))
            return "\x00link"
        return ""

    def close(self, tok: Token, opened: str) -> str:
        if opened == "\x00link":
            href = self._hrefs.pop() if self._hrefs else ""
            return f" ({href})" if href and not href.startswith("tel:") else ""
        return ""

    def code(self, s: str) -> str:
        return s

    def bold_line(self, s: str) -> str:
        return s


def _inline(children: Sequence[Token], fmt: _HtmlInline | _PlainInline) -> str:
    out: list[str] = []
    stack: list[str] = []
    for tok in children:
        if tok.type == "text":
            out.append(fmt.text(tok.content))
        elif tok.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif tok.type == "code_inline":
            out.append(fmt.code(tok.content))
        elif tok.type.endswith("_open"):
            opened = fmt.open(tok)
            stack.append(opened)
            out.append("" if opened == "\x00link" else opened)
        elif tok.type.endswith("_close"):
            out.append(fmt.close(tok, stack.pop() if stack else ""))
        else:
            out.append(fmt.text(tok.content))
    return "".join(out)


def _render(markdown: str, fmt: _HtmlInline | _PlainInline) -> str:
    # Each block is (text, id of the list it belongs to or 0); items of one list stay on
    # consecutive lines, other blocks are separated by a blank line.
    blocks: list[tuple[str, int]] = []
    lists: list[list[int]] = []  # per open list: [list id, is ordered, next number]
    list_ids = 0
    pending_prefix = ""
    heading = False
    for tok in _MD.parse(markdown):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_ids += 1
            start = int(tok.attrs.get("start", 1) or 1)
            lists.append([list_ids, tok.type == "ordered_list_open", start])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "list_item_open" and lists:
            _, ordered, number = lists[-1]
            indent = "  " * (len(lists) - 1)
            pending_prefix = f"{indent}{number}. " if ordered else f"{indent}• "
            lists[-1][2] = number + 1
        elif tok.type == "heading_open":
            heading = True
        elif tok.type == "inline":
            text = _inline(tok.children or [], fmt).strip()
            if heading:
                text, heading = fmt.bold_line(text), False
            list_id = lists[-1][0] if lists else 0
            if pending_prefix:
                blocks.append((pending_prefix + text, list_id))
            elif list_id and blocks and blocks[-1][1] == list_id:
                # A second paragraph inside one list item.
                blocks.append(("  " + text, list_id))
            else:
                blocks.append((text, list_id))
            pending_prefix = ""
        elif tok.type in ("fence", "code_block"):
            blocks.append((fmt.code(tok.content.rstrip("\n")), 0))
        elif tok.type == "hr":
            blocks.append(("—", 0))
    out = ""
    previous = -1
    for text, list_id in blocks:
        if out:
            out += "\n" if list_id and list_id == previous else "\n\n"
        out += text
        previous = list_id
    return out.strip()
