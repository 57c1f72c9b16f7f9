"""Rewording a statement keeps its events, and off-topic look-alikes give none.

The tables (tests/data/paraphrases.jsonl, tests/data/negatives/) were written from how
journalists write, by someone who had not read the rules. Cases the packs get wrong today
are listed below as strict expected failures: fixing one makes its test fail until it
leaves the list, so the lists only shrink.
"""

from __future__ import annotations

import collections
import functools
import json
from pathlib import Path
from typing import Any

import pytest

import evx
from evx.evaluation import values_agree

DATA = Path(__file__).resolve().parent / "data"
RULES = Path(__file__).resolve().parent.parent / "rules"
PAIRS = [json.loads(line) for line in (DATA / "paraphrases.jsonl").read_text("utf-8").splitlines()]
NEGATIVES = sorted((DATA / "negatives").glob("n*.txt"))
KEY = ("phase", "duration_days", "status", "count", "mode")

# wordings the packs do not yet treat alike (measured 2026-12-01: 59 of 77 pairs agree;
# after issue 12's rule work: all 77). The 60 pairs q01-q60 were written blind to the rules
# on 2026-12-02: 46 agreed at first contact; 40 of them (ids not divisible by 3) were then
# used to change the rules and 20 kept aside (15 -> 16 agree); 55 of the 60 agree now.
# The 60 pairs s01-s60, also written blind, were kept aside and only scored on 2026-12-02
# (45 agreed), then used to change the rules (58 agree): two still differ.
# The 60 pairs u01-u60, written blind on 2026-12-02 by a helper who had not read the rules,
# were scored before they joined the suite (54 agree, with the rules of that day and with
# those of the day before); they were not used to change the rules.
# The 60 pairs v01-v60, written blind in the evening of 2026-12-02, agreed in 48 at first
# contact; the odd ids were then read to change the rules (24 -> 29 of 30 agree) and the even
# ones kept aside (24 -> 26 of 30).
# Later on 2026-12-02 eleven of the thirteen that differed were mended (follow-ups and relative
# clauses of anonymity, reported "would", "the release by X rebels of", "nothing in return",
# "Under the U.S. plan, a truce would").
DIFFER_TODAY: set[str] = {"v11", "v36"}
# The 60 pairs w01-w60, written blind later on 2026-12-02 (kinds in blocks of six, including
# headline against body, negation scope and apposition), agreed in 44 at first contact; the
# odd ids were read to change the rules (19 -> 29 of 30), the even ones kept aside (25 -> 25).
DIFFER_TODAY |= {"w16", "w36", "w44", "w45", "w48", "w56"}
# look-alikes that still give events (none of n01-n27 since issue 12; of the 23 written
# blind on 2026-12-02, n28-n50, four fired at first contact and none does now)
FIRE_TODAY: set[str] = set()


@functools.cache
def rules() -> evx.RuleSet:
    return evx.load(RULES)


def _signature(text: str) -> collections.Counter[tuple[Any, ...]]:
    """What a reader compares: each record's type and key fields, as a multiset."""
    out: collections.Counter[tuple[Any, ...]] = collections.Counter()
    for event in rules().extract(text):
        fields = event.fields.to_dict()
        out[(event.type, *(fields[k] for k in KEY if k in fields))] += 1
    return out


def _has_gold(text: str, expected: list[dict[str, Any]]) -> bool:
    events = rules().extract(text)
    return all(
        any(
            e.type == want["type"]
            and all(values_agree(v, e.fields.to_dict().get(k)) for k, v in want["fields"].items())
            for e in events
        )
        for want in expected
    )


@pytest.mark.parametrize(
    "pair",
    [
        pytest.param(p, id=p["id"], marks=pytest.mark.xfail(strict=True, reason="differs today"))
        if p["id"] in DIFFER_TODAY
        else pytest.param(p, id=p["id"])
        for p in PAIRS
    ],
)
def test_both_wordings_give_the_same_records(pair: dict[str, Any]) -> None:
    """Voice, nominalization, clause order, number words, attribution, synonyms."""
    assert _signature(pair["a"]) == _signature(pair["b"]), pair["kind"]


def test_the_wordings_give_their_gold_events_at_least_as_often_as_today() -> None:
    """The share of wordings whose expected events (type and the fields given) all come
    out: 0.636 for the first wordings and 0.571 for the second of the first 77 pairs,
    measured 2026-12-01; 0.854 and 0.839 of all 137 on 2026-12-02; 0.934 and 0.929 of
    all 197 later that day. The blind pairs u01-u60 have their own floor, from their first
    scoring: 44 and 43 of 60; so do v01-v60 (47 and 42 at first contact, 47 and 48 after
    the odd ids were read); so do w01-w60 (33 and 34 at first contact, 33 and 38 after)."""
    first, second = _gold_rates([p for p in PAIRS if p["id"][0] not in "uvw"])
    assert first >= 0.93 and second >= 0.92, (first, second)
    first, second = _gold_rates([p for p in PAIRS if p["id"].startswith("u")])
    assert first >= 0.73 and second >= 0.71, (first, second)
    first, second = _gold_rates([p for p in PAIRS if p["id"].startswith("v")])
    assert first >= 0.78 and second >= 0.80, (first, second)
    first, second = _gold_rates([p for p in PAIRS if p["id"].startswith("w")])
    assert first >= 0.55 and second >= 0.63, (first, second)


def _gold_rates(pairs: list[dict[str, Any]]) -> tuple[float, float]:
    """The shares of first and of second wordings that give their expected events."""
    first = sum(_has_gold(p["a"], p["events"]) for p in pairs) / len(pairs)
    second = sum(_has_gold(p["b"], p["events"]) for p in pairs) / len(pairs)
    return first, second


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, id=p.name, marks=pytest.mark.xfail(strict=True, reason="fires today"))
        if p.name in FIRE_TODAY
        else pytest.param(p, id=p.name)
        for p in NEGATIVES
    ],
)
def test_an_off_topic_look_alike_gives_no_event(path: Path) -> None:
    """Trade truces, released films and photos, bail, forecasts, named spokespeople."""
    assert rules().extract(path.read_text(encoding="utf-8")) == []
