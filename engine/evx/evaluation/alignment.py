"""Pairing predictions with gold records, and deciding whether their field values agree.

A prediction matches a gold record when the types are equal and the prediction's
evidence span (the sentences holding its first and last character) overlaps the gold
evidence span. Matching is one-to-one; see :func:`match_document` for how pairs are chosen.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from evx.check.schema import FieldType
from evx.evaluation.gold import GoldEvent
from evx.records.events import Event
from evx.text.document import Document

_QUOTE_FOLD: Final = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _normalize_string(value: str) -> str:
    # curly and straight quotes are folded because the rule language itself treats them
    # alike ("won't" matches "won’t"); a prediction copied from the text must not lose
    # a point for the typography the annotator happened to type
    text = " ".join(value.translate(_QUOTE_FOLD).casefold().split())
    start, end = 0, len(text)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def normalize_value(value: object) -> object:
    """A comparable form of a field value.

    Strings are case-folded, whitespace collapsed, curly quotes folded to straight ones and
    surrounding punctuation stripped; lists become frozensets of normalized items; ints,
    bools and null are kept, tagged with their type so that ``1``, ``True`` and ``"1"``
    stay different.
    """
    if isinstance(value, str):
        return ("str", _normalize_string(value))
    if isinstance(value, list | tuple):
        return ("list", frozenset(normalize_value(item) for item in value))
    return (type(value).__name__, value)


def values_agree(gold: object, predicted: object, kind: str | None = None) -> bool:
    """Whether a predicted field value equals the gold one.

    ``kind`` is the field's declared kind (``"enum"``, ``"int"``, ...) when known: enum
    values are compared exactly; everything else through :func:`normalize_value`.
    """
    if kind == "enum":
        return type(gold) is type(predicted) and gold == predicted
    return normalize_value(gold) == normalize_value(predicted)


_ABSENT: Final = object()  # a field one side does not have: agrees with nothing


def _agreement(
    gold: Mapping[str, object],
    predicted: Mapping[str, object],
    names: Sequence[str],
    kinds: Mapping[str, FieldType],
) -> list[bool]:
    out: list[bool] = []
    for name in names:
        g = gold.get(name, _ABSENT)
        p = predicted.get(name, _ABSENT)
        if g is _ABSENT or p is _ABSENT:
            out.append(False)
            continue
        kind = kinds.get(name)
        out.append(values_agree(g, p, kind.kind if kind is not None else None))
    return out


def _sentence_at(doc: Document, char: int) -> int:
    """The sentence holding a character offset (the sentence of the token starting at or
    before it, so a gap between sentences belongs to the one before)."""
    token = max(0, bisect_right(doc.starts, char) - 1)
    return doc.sentence_of[token]


def prediction_span(doc: Document, event: Event) -> tuple[int, int]:
    """The evidence span of a prediction: the sentences holding its first and last character.

    A rule's match is usually a few words; the gold evidence is whole sentences. Widening
    the prediction to its sentences makes "rests on the same sentence" the test.
    """
    if not doc.sentences:
        return event.start, event.end
    first = _sentence_at(doc, event.start)
    last = _sentence_at(doc, max(event.start, event.end - 1))
    return doc.sentence_char_span(first)[0], doc.sentence_char_span(last)[1]


@attrs.frozen
class Pair:
    """A gold record and the prediction matched to it, with the per-field verdicts."""

    gold: GoldEvent
    predicted: Event
    agree: Mapping[str, bool]  # field name -> whether the values agree


def match_document(
    doc: Document,
    gold: Sequence[GoldEvent],
    predicted: Sequence[Event],
    field_order: Mapping[str, Sequence[str]],
    kinds: Mapping[str, Mapping[str, FieldType]],
) -> tuple[list[Pair], list[GoldEvent], list[Event]]:
    """Pair one document's predictions with its gold records: (pairs, missed gold, extra).

    A pair is possible when the types are equal and :func:`prediction_span` overlaps the
    gold evidence by at least one character. Each record is in at most one pair. Pairs are
    chosen greedily, best first: more agreeing fields (over ``field_order[type]``), then
    more characters of overlap, then document order (gold, then prediction). The greedy
    result is then grown with augmenting paths (Kuhn's algorithm, gold in file order)
    until the number of pairs is the largest possible, so a gold record whose evidence
    spans several sentences cannot take the only prediction another gold record could
    have had. The result depends only on the inputs' order, never on hashing.
    """
    spans = [prediction_span(doc, event) for event in predicted]
    pred_fields = [event.fields.to_dict() for event in predicted]
    candidates: list[tuple[tuple[int, int, int, int, int, int], int, int]] = []
    for gi, g in enumerate(gold):
        names = field_order.get(g.type, ())
        for pi, event in enumerate(predicted):
            if event.type != g.type:
                continue
            overlap = min(g.end, spans[pi][1]) - max(g.start, spans[pi][0])
            if overlap <= 0:
                continue
            agree = sum(_agreement(g.fields, pred_fields[pi], names, kinds.get(g.type, {})))
            candidates.append(((-agree, -overlap, g.start, gi, event.start, pi), gi, pi))
    candidates.sort()

    gold_to_pred: dict[int, int] = {}
    pred_to_gold: dict[int, int] = {}
    options: dict[int, list[int]] = {}  # gold -> predictions, best first
    for _, gi, pi in candidates:
        options.setdefault(gi, []).append(pi)
        if gi not in gold_to_pred and pi not in pred_to_gold:
            gold_to_pred[gi] = pi
            pred_to_gold[pi] = gi

    def augment(gi: int, seen: set[int]) -> bool:
        for pi in options.get(gi, ()):
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in pred_to_gold or augment(pred_to_gold[pi], seen):
                gold_to_pred[gi] = pi
                pred_to_gold[pi] = gi
                return True
        return False

    for gi in range(len(gold)):
        if gi not in gold_to_pred:
            augment(gi, set())

    pairs: list[Pair] = []
    for gi in sorted(gold_to_pred):
        pi = gold_to_pred[gi]
        g = gold[gi]
        names = field_order.get(g.type, ())
        verdicts = _agreement(g.fields, pred_fields[pi], names, kinds.get(g.type, {}))
        pairs.append(Pair(g, predicted[pi], dict(zip(names, verdicts, strict=True))))
    missed = [g for gi, g in enumerate(gold) if gi not in gold_to_pred]
    extra = [e for pi, e in enumerate(predicted) if pi not in pred_to_gold]
    return pairs, missed, extra
