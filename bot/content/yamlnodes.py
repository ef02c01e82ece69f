"""Read a YAML data file as nodes, so every problem can name the line it is on.

Scalars are taken as the text that was written ("10:00" stays "10:00"; YAML 1.1 would read
it as 600), which is what municipality staff expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content.loader import Problem


@dataclass
class Reader:
    path: Path
    problems: list[Problem] = field(default_factory=list)

    def problem(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(str(self.path), line, message))

    def root(self) -> yaml.Node | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problems.append(Problem(str(self.path), 0, "missing: this file is needed"))
            return None
        except UnicodeDecodeError as e:
            self.problems.append(Problem(str(self.path), 1, f"not UTF-8 text ({e.reason})"))
            return None
        try:
            node = yaml.compose(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
            reason = getattr(e, "problem", None) or str(e)
            line = mark.line + 1 if mark is not None else 1
            self.problems.append(Problem(str(self.path), line, f"not valid YAML: {reason}"))
            return None
        return node

    def mapping(self, node: yaml.Node | None, what: str) -> dict[str, yaml.Node]:
        """The keys of a mapping with their value nodes; duplicates are reported."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a set of 'key: value' lines")
            return {}
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
            if name in out:
                self.problem(key, f"{name!r} appears twice in {what}")
            out[name] = value
        return out

    def keys(
        self,
        node: yaml.Node | None,
        what: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> dict[str, yaml.Node]:
        fields = self.mapping(node, what)
        if not isinstance(node, yaml.MappingNode):
            return {}
        for key in required:
            if key not in fields:
                self.problem(node, f"{what} misses '{key}'")
        allowed = required + optional
        for key, _value in node.value:
            name = str(getattr(key, "value", ""))
            if name not in allowed:
                self.problem(key, f"unknown key {name!r} in {what}; allowed: {', '.join(allowed)}")
        return {k: v for k, v in fields.items() if k in allowed}

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        """The items of a list; an absent or empty value is an empty list."""
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list (lines starting with '- ')")
            return []
        return list(node.value)

    def text(self, node: yaml.Node | None, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.problem(node, f"{what} must be a text")
            return None
        return str(node.value).strip()
