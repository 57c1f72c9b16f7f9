"""Shared fixtures: compile rule text written in a test, locate the repository's data."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

import evx

# the CLI keeps compiled rule sets in a cache directory by default: during the tests, one
# of their own (subprocesses inherit it), not the user's
os.environ.setdefault("EVX_CACHE_DIR", tempfile.mkdtemp(prefix="evx-test-cache-"))

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def compile_rules(tmp_path: Path) -> Callable[..., evx.RuleSet]:
    """Write rule text (and any extra files) into a fresh directory and load it."""

    def _compile(
        text: str, name: str = "test.rules", files: dict[str, str] | None = None
    ) -> evx.RuleSet:
        (tmp_path / name).write_text(text, encoding="utf-8")
        for filename, content in (files or {}).items():
            target = tmp_path / filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        return evx.load(tmp_path / name)

    return _compile
