"""Compiled rule sets pickle, and the compile cache skips parsing without changing a result."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

import evx
from evx import cache
from evx.lang import loader

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEEDS = ROOT / "seeds"
SEED = next(SEEDS.glob("*.txt"))


def _records(rules: evx.RuleSet) -> list[str]:
    return [e.to_json() for e in rules.extract(SEED.read_text(encoding="utf-8"), "seed")]


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    """A copy of the shipped packs that a test may edit."""
    return Path(shutil.copytree(RULES, tmp_path / "rules"))


def test_a_rule_set_pickles_and_extracts_the_same_records() -> None:
    """What travels to worker processes (or Dask) gives byte-identical records."""
    rules = evx.load(RULES)
    again = pickle.loads(pickle.dumps(rules))
    assert _records(again) == _records(rules)
    assert again.warnings == rules.warnings


def test_a_cached_load_parses_nothing(
    packs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second load of unchanged files comes from the cache: no file is parsed."""
    first = evx.load(packs, cache_dir=tmp_path / "cache")

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although the cache holds these rules")

    monkeypatch.setattr(loader, "parse_file", no_parsing)
    second = evx.load(packs, cache_dir=tmp_path / "cache")
    assert _records(second) == _records(first)


def test_an_edited_or_added_file_is_read_again(packs: Path, tmp_path: Path) -> None:
    """A changed rule or lexicon file, or a new file in a directory, misses the cache."""
    where = tmp_path / "cache"
    evx.load(packs, cache_dir=where)
    assert cache.fetch([packs], where) is not None
    lexicon = next((packs / "lexicons").iterdir())
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\nnewword\n", encoding="utf-8")
    assert cache.fetch([packs], where) is None
    evx.load(packs, cache_dir=where)
    assert cache.fetch([packs], where) is not None
    (packs / "extra.rules").write_text("event Extra { }\n", encoding="utf-8")
    assert cache.fetch([packs], where) is None
    assert "Extra" in evx.load(packs, cache_dir=where).event_types


def test_a_broken_or_unwritable_cache_is_only_slower(packs: Path, tmp_path: Path) -> None:
    """A corrupt entry is a miss; a cache directory that cannot be made is ignored."""
    where = tmp_path / "cache"
    expected = _records(evx.load(packs, cache_dir=where))
    for entry in where.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert _records(evx.load(packs, cache_dir=where)) == expected
    blocked = tmp_path / "file"
    blocked.write_text("a file where the directory would go", encoding="utf-8")
    assert _records(evx.load(packs, cache_dir=blocked / "cache")) == expected
