"""Each status of a truce said in the words wire copy uses for it.

One sentence per line of tests/data/ceasefire_status_wordings.txt, `status|sentence`: the
sentence's first CeasefirePhase record has that status. The wordings are the common ways
of saying each status (tense, voice, synonyms of hold, collapse, agree, propose, reject),
not sentences from any article; the list only grows.
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
