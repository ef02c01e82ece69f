"""Read and write Rasa NLU files (`nlu:` blocks of `- intent:` with examples).

Both forms Rasa accepts are read: `examples: |` with one `- text` line each, and a list of
`- text: ...` items with optional `metadata:` (used for the held-out split's style tags).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class NluExample:
    intent: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def styles(self) -> tuple[str, ...]:
        return tuple(self.metadata.get("style") or ())


def read_examples(path: Path) -> list[NluExample]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: list[NluExample] = []
    for block in data.get("nlu") or []:
        intent = str(block["intent"])
        examples = block.get("examples") or ""
        if isinstance(examples, str):
            found += [
                NluExample(intent, line.strip()[2:].strip())
                for line in examples.splitlines()
                if line.strip().startswith("- ")
            ]
        else:
            found += [
                NluExample(intent, str(item["text"]).strip(), dict(item.get("metadata") or {}))
                for item in examples
                if item
            ]
    return found


def _scalar(text: str) -> str:
    """`text` as a YAML scalar on one line, quoted only when YAML needs it."""
    dumped = yaml.safe_dump({"text": text}, allow_unicode=True, width=1 << 20)
    return dumped.removeprefix("text: ").rstrip("\n")


def render(examples: Iterable[NluExample]) -> str:
    """An NLU file in the list form, blocks in first-seen intent order, metadata in flow style."""
    blocks: dict[str, list[NluExample]] = {}
    for example in examples:
        blocks.setdefault(example.intent, []).append(example)
    lines = ['version: "3.1"', "nlu:"]
    for intent, items in blocks.items():
        lines += [f"- intent: {intent}", "  examples:"]
        for item in items:
            lines.append(f"  - text: {_scalar(item.text)}")
            if item.metadata:
                flow = yaml.safe_dump(
                    item.metadata, default_flow_style=True, allow_unicode=True, width=1 << 20
                )
                lines.append(f"    metadata: {flow.strip()}")
    return "\n".join(lines) + "\n"


def retag(path: Path, tagger: Callable[[str], list[str]]) -> int:
    """Rewrite `path` with `metadata.style` recomputed by `tagger`; returns the examples seen."""
    examples = [
        NluExample(e.intent, e.text, {**e.metadata, "style": tagger(e.text)})
        for e in read_examples(path)
    ]
    for e in examples:
        if not e.metadata["style"]:
            del e.metadata["style"]
    path.write_text(render(examples), encoding="utf-8")
    return len(examples)
