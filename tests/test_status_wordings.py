"""Each status of a truce, and each status, count and mode of a release, said in the words
wire copy uses for it.

One sentence per line of tests/data/ceasefire_status_wordings.txt, `status|sentence`: the
sentence's first CeasefirePhase record has that status. One per line of
tests/data/release_wordings.txt, `status|count|mode|sentence` (`-` for null): the
sentence's first HostageRelease record has those values (mode per docs/annotation.md G5
and J10: a condition not handed over is `deal`). The wordings are the common ways of
saying each value (tense, voice, synonyms of hold, collapse, agree, propose, reject,
free, rescue), not sentences from any article; the lists only grow. One per line of
tests/data/source_wordings.txt, `count|sentence`: the sentence's first AnonymousSource
record has that count (`-` for an unspecified plural), or with `0` the sentence has none
(named spokespeople, institutions, a side's public position).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import evx

DATA = Path(__file__).resolve().parent / "data" / "ceasefire_status_wordings.txt"
RULES = Path(__file__).resolve().parent.parent / "rules"
CASES = [line.split("|", 1) for line in DATA.read_text("utf-8").splitlines() if line.strip()]


@functools.cache
def rules() -> evx.RuleSet:
    return evx.load(RULES)


@pytest.mark.parametrize(
    ("status", "text"), CASES, ids=[f"{s}-{i}" for i, (s, _) in enumerate(CASES)]
)
def test_the_first_truce_record_has_the_status_said(status: str, text: str) -> None:
    records = [e for e in rules().extract(text) if e.type == "CeasefirePhase"]
    assert records, text
    got = records[0].fields.status
    assert str(getattr(got, "value", got)) == status, text


def test_every_status_is_covered() -> None:
    assert {s for s, _ in CASES} == {
        "proposed",
        "under_negotiation",
        "agreed",
        "in_effect",
        "ended",
        "rejected",
    }


RELEASES = [
    line.split("|", 3)
    for line in (DATA.parent / "release_wordings.txt").read_text("utf-8").splitlines()
    if line.strip()
]


def _value(value: object) -> str:
    return "-" if value is None else str(getattr(value, "value", value))


@pytest.mark.parametrize(
    ("status", "count", "mode", "text"),
    RELEASES,
    ids=[f"{r[0]}-{i}" for i, r in enumerate(RELEASES)],
)
def test_the_first_release_record_has_the_values_said(
    status: str, count: str, mode: str, text: str
) -> None:
    records = [e for e in rules().extract(text) if e.type == "HostageRelease"]
    assert records, text
    fields = records[0].fields
    assert (_value(fields.status), _value(fields.count), _value(fields.mode)) == (
        status,
        count,
        mode,
    ), text


SOURCES = [
    line.split("|", 1)
    for line in (DATA.parent / "source_wordings.txt").read_text("utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize(
    ("count", "text"), SOURCES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(SOURCES)]
)
def test_the_first_source_record_has_the_count_said(count: str, text: str) -> None:
    records = [e for e in rules().extract(text) if e.type == "AnonymousSource"]
    if count == "0":
        assert not records, text
    else:
        assert records, text
        assert _value(records[0].fields.count) == count, text
