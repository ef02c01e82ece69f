"""Read and write Rasa NLU files (`nlu:` blocks of `- intent:` with examples).

Both forms Rasa accepts are read: `examples: |` with one `- text` line each, and a list of
`- text: ...` items.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class NluExample:
    intent: str
    text: str


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
            found += [NluExample(intent, str(item["text"]).strip()) for item in examples if item]
    return found
