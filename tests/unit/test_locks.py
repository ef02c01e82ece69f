"""The locks match what they lock: every dependency of pyproject.toml pinned within its range,
the image's lock a subset of the development lock, every pin with hashes (pip's
--require-hashes refuses a file where one is missing, so a stale lock fails here first)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)(?: ;[^\\]*)? \\$")


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    found: dict[str, tuple[str, int]] = {}
    name = None
    for line in lock.read_text().splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match.group(1))
            found[name] = (match.group(2), 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
        elif line and not line.startswith(" "):
            assert line.startswith("#"), f"{lock.name}: not a hashed pin: {line!r}"
    return found


def test_every_dependency_of_the_bot_is_pinned_with_hashes_within_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["dev"],
        *project["build-system"]["requires"],
    ]
    locked = pins(ROOT / "requirements.lock")
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in requirements.lock: run `make lock`"
        version, _hashes = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements.lock has {name}=={version}, pyproject.toml wants {requirement}: "
            "run `make lock`"
        )
    assert all(hashes for _version, hashes in locked.values())


def test_the_images_lock_is_the_development_lock_without_the_tools() -> None:
    full = pins(ROOT / "requirements.lock")
    runtime = pins(ROOT / "requirements-runtime.lock")
    assert runtime.items() <= full.items()
    assert {"pytest", "mypy", "ruff", "pip-audit", "uv"}.isdisjoint(runtime)
    assert {"python-telegram-bot", "sqlalchemy", "prometheus-client", "setuptools"} <= set(runtime)


def test_the_engines_lock_keeps_its_pins_and_has_hashes() -> None:
    locked = pins(ROOT / "intents" / "requirements.lock")
    for line in (ROOT / "intents" / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            requirement = Requirement(line)
            version, _ = locked[canonicalize_name(requirement.name)]
            assert requirement.specifier.contains(version)
    assert locked["rasa"][0] == "3.6.21" and locked["tensorflow"][0] == "2.12.0"
    assert all(hashes for _version, hashes in locked.values())
