"""Batches: ordered_map keeps order and reads ahead only a bounded window; pipe and run give the same events in worker processes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evx
from evx.parallel import ordered_map
from evx.text.readers import ReadOptions

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEEDS = ROOT / "seeds"


def _square(offset: int, item: int) -> int:
    return item * item + offset


@pytest.fixture(scope="module")
def rules() -> evx.RuleSet:
    """The shipped rule packs."""
    return evx.load(RULES)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-1000, 1000), max_size=60), st.integers(1, 7), st.integers(1, 5))
def test_ordered_map_inline_keeps_order(items: list[int], chunk: int, window: int) -> None:
    """In-process, the results are func(state, item) in input order, whatever the sizes."""
    assert list(ordered_map(_square, 3, items, chunk_size=chunk, window=window)) == [
        i * i + 3 for i in items
    ]


@pytest.mark.slow
def test_ordered_map_in_processes_keeps_order_and_reads_ahead_a_bounded_window() -> None:
    """Two workers: results in input order; the source is never more than
    window × chunk_size items ahead of what was consumed."""
    pulled = 0

    def source() -> Iterator[int]:
        nonlocal pulled
        for i in range(200):
            pulled += 1
            yield i

    results = []
    ahead = 0
    for result in ordered_map(_square, 1, source(), processes=2, chunk_size=4, window=3):
        results.append(result)
        ahead = max(ahead, pulled - len(results))
    assert results == [i * i + 1 for i in range(200)]
    assert ahead <= 3 * 4


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def test_pipe_gives_what_extract_gives(rules: evx.RuleSet) -> None:
    """pipe() in this process: one list of events per text, equal to extract()."""
    texts = _texts()
    assert list(rules.pipe(texts, mentions=True)) == [
        rules.extract(t, mentions=True) for t in texts
    ]


@pytest.mark.slow
def test_pipe_in_two_processes_gives_the_same_events(rules: evx.RuleSet) -> None:
    """n_process=2: the same Events (fields classes and merged rules included), in order;
    a bad document raises in its place, or is reported and gives []."""
    texts: list[str | bytes] = [*_texts(), b"\xff bad bytes", "Hamas freed two hostages."]
    reported: list[str] = []
    got = list(
        rules.pipe(texts, n_process=2, batch_size=2, on_error=lambda e: reported.append(e.code))
    )
    want = [rules.extract(t) if isinstance(t, str) else [] for t in texts]
    assert got == want
    assert [e.merged for events in got for e in events] == [
        e.merged for events in want for e in events
    ]
    assert reported == ["D001"]
    with pytest.raises(evx.DocumentError):
        list(rules.pipe(texts, n_process=2))


@pytest.mark.slow
def test_run_reads_a_collection_and_jobs_do_not_change_it(
    rules: evx.RuleSet, tmp_path: Path
) -> None:
    """RuleSet.run over a JSON Lines collection: the same events as extracting each row,
    with one or two processes."""
    rows = [
        {"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))
    ]
    path = tmp_path / "seeds.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    want = [e for r in rows for e in rules.extract(r["text"], r["id"])]
    assert list(rules.run([path])) == want
    assert list(rules.run([path], n_process=2)) == want


def test_run_skips_undecodable_documents_when_asked(rules: evx.RuleSet, tmp_path: Path) -> None:
    """on_decode_error=skip: an undecodable file is neither an error nor events."""
    (tmp_path / "a.txt").write_bytes(b"Hamas freed two hostages \xff.")
    (tmp_path / "b.txt").write_text("Hamas freed two hostages.", encoding="utf-8")
    errors: list[evx.DocumentError] = []
    events = list(rules.run([tmp_path], on_error=errors.append))
    assert [e.code for e in errors] == ["D001"] and events
    skipped = list(
        rules.run([tmp_path], on_error=errors.append, options=ReadOptions(on_decode_error="skip"))
    )
    assert skipped == events and len(errors) == 1
