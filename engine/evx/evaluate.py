"""Score extracted events against hand-made gold: precision, recall, F1 and field accuracy.

Gold lives next to the documents it describes, one JSON Lines file per document, named
after the document's stem (``seeds/001_x.txt`` → ``<gold_dir>/001_x.jsonl``)::

    {"type": "HostageRelease", "evidence": "<verbatim substring of the document>",
     "occurrence": 2, "fields": {"count": 2, ...}, "note": "..."}

``occurrence`` (1-based, default 1) says which copy of a repeated evidence string is
meant; ``note`` is for people and ignored here. See ``docs/annotation.md``.

A prediction matches a gold record when the types are equal and the prediction's
evidence span (the sentences holding its first and last character) overlaps the gold
evidence span. Matching is one-to-one; see :func:`match_document` for how pairs are
chosen. Scores are counted per type, micro-averaged over types and per document; field
accuracy is counted over matched pairs only.
"""

from __future__ import annotations

import json
import os
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from evx.document import Document
from evx.errors import DocumentError, EvxError
from evx.events import Event
from evx.ruleset import RuleSet, expand_inputs
from evx.schema import FieldType

__all__ = [
    "KEY_FIELDS",
    "Counts",
    "DocumentScore",
    "ErrorRecord",
    "FieldMismatch",
    "FieldScore",
    "GoldError",
    "GoldEvent",
    "Pair",
    "Report",
    "TypeFields",
    "TypeScore",
    "evaluate",
    "gold_path",
    "load_gold",
    "match_document",
    "normalize_value",
    "prediction_span",
    "values_agree",
]

GOLD_SUFFIX: Final = ".jsonl"

#: Fields reported first in the field-accuracy table: the ones most consumers filter on.
KEY_FIELDS: Final = ("count", "phase", "duration_days", "status")

PathLike = str | os.PathLike[str]


class GoldError(EvxError):
    """A gold file cannot be read, has a malformed line, or quotes evidence not in the text.

    Codes: ``G001`` unreadable gold directory or file, ``G002`` a line that is not a gold
    record, ``G003`` evidence not found in the document (or fewer copies than
    ``occurrence`` asks for).
    """

    code = "G001"

    def __init__(
        self, path: str, message: str, code: str = "G001", line: int | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.code = code
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {code} {message}")


# ---------------------------------------------------------------- gold


@attrs.frozen
class GoldEvent:
    """One gold record, located in its document: ``text[start:end] == evidence``."""

    type: str
    start: int
    end: int
    fields: dict[str, Any]
    line: int  # 1-based line in the gold file
    evidence: str
    file: str  # the gold file, for messages


def gold_path(gold_dir: PathLike, doc_id: str) -> Path:
    """The gold file of a document: ``<gold_dir>/<stem of doc_id>.jsonl``."""
    return Path(gold_dir) / (Path(doc_id).stem + GOLD_SUFFIX)


def load_gold(gold_dir: PathLike, doc_id: str, text: str) -> list[GoldEvent]:
    """The gold records of one document, located in its decoded ``text``, in file order.

    Blank lines are skipped. Raises :class:`GoldError` (naming the file and line) when
    the file cannot be read, a line is not a record with a string ``type``, a non-empty
    string ``evidence`` and an object ``fields``, or the evidence is not in ``text``.
    """
    path = gold_path(gold_dir, doc_id)
    name = path.as_posix()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldError(name, f"cannot read gold file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise GoldError(name, f"gold file is not UTF-8: {exc.reason} at byte {exc.start}") from None
    out: list[GoldEvent] = []
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            out.append(_gold_record(raw, name, number, doc_id, text))
    return out


def _gold_record(raw: str, name: str, number: int, doc_id: str, text: str) -> GoldEvent:
    def bad(message: str) -> GoldError:
        return GoldError(name, message, "G002", number)

    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise bad(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(record, dict):
        raise bad("a gold line must be a JSON object with type, evidence and fields")
    type_name = record.get("type")
    evidence = record.get("evidence")
    fields = record.get("fields")
    occurrence = record.get("occurrence", 1)
    if not isinstance(type_name, str) or not type_name:
        raise bad('"type" must be an event type name, e.g. "HostageRelease"')
    if not isinstance(evidence, str) or not evidence:
        raise bad('"evidence" must be a non-empty string copied from the document')
    if not isinstance(fields, dict):
        raise bad('"fields" must be an object holding every field of the type')
    # bool is an int in Python; `"occurrence": true` is a mistake, not "1"
    if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
        raise bad('"occurrence" must be a positive integer (1 = the first copy)')
    start = _nth_occurrence(text, evidence, occurrence)
    if start < 0:
        found = text.count(evidence)
        shown = _clip(evidence, 80)
        if found == 0:
            message = (
                f"evidence not found in {doc_id}: “{shown}” "
                "(copy it verbatim, curly quotes and dashes included)"
            )
        else:
            message = (
                f"evidence occurs {found} time{'s' if found != 1 else ''} in {doc_id} "
                f"but occurrence is {occurrence}: “{shown}”"
            )
        raise GoldError(name, message, "G003", number)
    return GoldEvent(
        type=type_name,
        start=start,
        end=start + len(evidence),
        fields=fields,
        line=number,
        evidence=evidence,
        file=name,
    )


def _nth_occurrence(text: str, sub: str, n: int) -> int:
    """Offset of the n-th (1-based) copy of ``sub`` in ``text``, copies may overlap; -1 if none."""
    pos = text.find(sub)
    while pos >= 0 and n > 1:
        pos = text.find(sub, pos + 1)
        n -= 1
    return pos


# ---------------------------------------------------------------- comparing field values


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


# ---------------------------------------------------------------- matching


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


# ---------------------------------------------------------------- scores


def _ratio(num: int, den: int) -> float:
    """num/den, with 0/0 defined as 0 (the counts next to it show why)."""
    return num / den if den else 0.0


@attrs.frozen
class Counts:
    """True positives, false positives and false negatives, with the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def gold(self) -> int:
        """Gold records: matched plus missed."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        """Predictions: matched plus extra."""
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 0 when nothing was predicted."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 0 when there is no gold."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0 when both are 0, 1 only when both are 1."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, Any]:
        """Counts and scores (rounded to 4 places) as JSON-ready values."""
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@attrs.frozen
class TypeScore:
    """The counts of one event type over all scored documents."""

    type: str
    counts: Counts

    def to_dict(self) -> dict[str, Any]:
        """``{"type": ..., "gold": ..., "tp": ..., "precision": ...}``."""
        return {"type": self.type, **self.counts.to_dict()}


@attrs.frozen
class DocumentScore:
    """The counts of one scored document, over all types."""

    doc: str
    gold_file: str
    counts: Counts

    def to_dict(self) -> dict[str, Any]:
        """``{"doc": ..., "gold_file": ..., "gold": ..., "tp": ..., ...}``."""
        return {"doc": self.doc, "gold_file": self.gold_file, **self.counts.to_dict()}


@attrs.frozen
class FieldScore:
    """How many matched pairs agree on one field."""

    field: str
    agree: int
    n: int

    @property
    def accuracy(self) -> float:
        """agree / n; 0 when nothing was matched (n shows it)."""
        return _ratio(self.agree, self.n)

    def to_dict(self) -> dict[str, Any]:
        """``{"field": ..., "agree": ..., "n": ..., "accuracy": ...}``."""
        return {
            "field": self.field,
            "agree": self.agree,
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
        }


@attrs.frozen
class TypeFields:
    """Field accuracy of one event type over its matched pairs, key fields first."""

    type: str
    matched: int
    fields: tuple[FieldScore, ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"type": ..., "matched": n, "fields": [...]}``."""
        return {
            "type": self.type,
            "matched": self.matched,
            "fields": [f.to_dict() for f in self.fields],
        }


@attrs.frozen
class ErrorRecord:
    """A false positive (a prediction no gold record took) or a false negative (a missed
    gold record), with what a rule author needs to look at it."""

    kind: str  # "false_positive" | "false_negative"
    type: str
    doc: str
    start: int  # FP: the words the rule matched; FN: the gold evidence
    end: int
    text: str  # FP: the prediction's sentence(s); FN: the gold evidence
    fields: Mapping[str, Any]
    rule: str | None = None  # FP: the rule that fired
    matched_text: str | None = None  # FP: the words the rule matched
    gold_line: int | None = None  # FN: the line in the gold file

    def to_dict(self) -> dict[str, Any]:
        """The record with every key present (null where it does not apply)."""
        return {
            "kind": self.kind,
            "type": self.type,
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "fields": dict(self.fields),
            "rule": self.rule,
            "matched_text": self.matched_text,
            "gold_line": self.gold_line,
        }


@attrs.frozen
class FieldMismatch:
    """A matched pair whose fields disagree somewhere: field -> (gold, predicted)."""

    type: str
    doc: str
    gold_line: int
    rule: str
    evidence: str
    differences: Mapping[str, tuple[Any, Any]]

    def to_dict(self) -> dict[str, Any]:
        """The pair's place and ``differences`` as ``{field: {"gold": g, "predicted": p}}``."""
        return {
            "type": self.type,
            "doc": self.doc,
            "gold_line": self.gold_line,
            "rule": self.rule,
            "evidence": self.evidence,
            "differences": {
                name: {"gold": g, "predicted": p} for name, (g, p) in self.differences.items()
            },
        }


@attrs.frozen
class Report:
    """Everything `evx eval` knows: scores per type, micro totals, field accuracy,
    per-document rows, skipped documents, and the errors behind the numbers."""

    gold_dir: str
    types: tuple[TypeScore, ...]
    micro: Counts
    fields: tuple[TypeFields, ...]
    documents: tuple[DocumentScore, ...]
    skipped: tuple[str, ...]  # documents with no gold file: not scored at all
    errors: tuple[ErrorRecord, ...]  # false positives and false negatives, document order
    mismatches: tuple[FieldMismatch, ...]  # matched pairs that disagree on some field

    def type_score(self, name: str) -> Counts:
        """The counts of one event type (all zero for a type the report does not know)."""
        for score in self.types:
            if score.type == name:
                return score.counts
        return Counts()

    def field_score(self, type_name: str, field: str) -> FieldScore:
        """The accuracy of one field of one type (n = 0 if unknown)."""
        for entry in self.fields:
            if entry.type == type_name:
                for score in entry.fields:
                    if score.field == field:
                        return score
        return FieldScore(field, 0, 0)

    def to_dict(self, *, errors: bool = False) -> dict[str, Any]:
        """The report as JSON-ready data; ``errors=True`` adds ``errors`` and ``mismatches``."""
        out: dict[str, Any] = {
            "gold_dir": self.gold_dir,
            "micro": self.micro.to_dict(),
            "types": [t.to_dict() for t in self.types],
            "fields": [f.to_dict() for f in self.fields],
            "documents": [d.to_dict() for d in self.documents],
            "skipped": list(self.skipped),
        }
        if errors:
            out["errors"] = [e.to_dict() for e in self.errors]
            out["mismatches"] = [m.to_dict() for m in self.mismatches]
        return out

    def render_table(self) -> str:
        """The report for people: P/R/F1 per type with a micro total, field accuracy per
        type with the number of matched pairs, then one row per document."""
        n_docs = len(self.documents)
        lines = [
            f"evx eval: {n_docs} document{'s' if n_docs != 1 else ''} scored against "
            f"{self.gold_dir}, {len(self.skipped)} skipped (no gold file)",
            "",
        ]
        counts_head = ["gold", "pred", "TP", "FP", "FN", "precision", "recall", "F1"]
        lines += _table(
            ["type", *counts_head],
            [[t.type, *_count_cells(t.counts)] for t in self.types],
            [["all (micro)", *_count_cells(self.micro)]],
        )
        lines += ["", "field accuracy over matched pairs"]
        field_rows: list[list[str]] = []
        agree_all = n_all = 0
        for entry in self.fields:
            for i, score in enumerate(entry.fields):
                label = f"{entry.type} (n={entry.matched})" if i == 0 else ""
                field_rows.append(
                    [label, score.field, str(score.agree), str(score.n), f"{score.accuracy:.3f}"]
                )
                agree_all += score.agree
                n_all += score.n
        lines += _table(
            ["type", "field", "agree", "n", "accuracy"],
            field_rows,
            [["all fields", "", str(agree_all), str(n_all), f"{_ratio(agree_all, n_all):.3f}"]],
        )
        lines += ["", "documents"]
        lines += _table(
            ["document", *counts_head],
            [[d.doc, *_count_cells(d.counts)] for d in self.documents],
            [],
        )
        for doc in self.skipped:
            lines.append(f"skipped (no gold file): {doc}")
        return "\n".join(lines) + "\n"

    def render_errors(self) -> str:
        """False positives, false negatives and field disagreements, one block each, in
        document order (for `evx eval --errors`)."""
        lines: list[str] = []
        for e in self.errors:
            if e.kind == "false_negative":
                lines.append(f"FN {e.type} {e.doc}:{e.start}-{e.end} (gold line {e.gold_line})")
                lines.append(f"    evidence: {_clip(e.text, 300)}")
                lines.append(f"    gold: {_fields_text(e.fields)}")
            else:
                lines.append(f"FP {e.type} {e.doc}:{e.start}-{e.end} ({e.rule})")
                lines.append(f"    matched: {e.matched_text}")
                lines.append(f"    sentence: {_clip(e.text, 300)}")
                lines.append(f"    fields: {_fields_text(e.fields)}")
        for m in self.mismatches:
            lines.append(f"FIELDS {m.type} {m.doc} (gold line {m.gold_line}, {m.rule})")
            lines.append(f"    evidence: {_clip(m.evidence, 300)}")
            for name, (g, p) in m.differences.items():
                lines.append(f"    {name}: gold {_json(g)}, predicted {_json(p)}")
        n_fp = sum(1 for e in self.errors if e.kind == "false_positive")
        n_fn = len(self.errors) - n_fp
        lines.append(
            f"{n_fp} false positive{'s' if n_fp != 1 else ''}, "
            f"{n_fn} false negative{'s' if n_fn != 1 else ''}, "
            f"{len(self.mismatches)} matched with differing fields"
        )
        return "\n".join(lines) + "\n"


def _count_cells(c: Counts) -> list[str]:
    return [
        str(c.gold),
        str(c.predicted),
        str(c.tp),
        str(c.fp),
        str(c.fn),
        f"{c.precision:.3f}",
        f"{c.recall:.3f}",
        f"{c.f1:.3f}",
    ]


def _table(head: list[str], rows: list[list[str]], totals: list[list[str]]) -> list[str]:
    """Aligned plain-text table: the first column(s) of text left, numbers right."""
    every = [head, *rows, *totals]
    widths = [max(len(r[i]) for r in every) for i in range(len(head))]
    # a column is numeric when every body cell is a number (or empty): right-align it
    numeric = [
        all(not r[i] or r[i].replace(".", "", 1).isdigit() for r in [*rows, *totals])
        for i in range(len(head))
    ]

    def fmt(row: list[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [fmt(head), rule, *(fmt(r) for r in rows)]
    if totals:
        out += [rule, *(fmt(r) for r in totals)]
    return out


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _fields_text(fields: Mapping[str, Any]) -> str:
    return " ".join(f"{name}={_json(value)}" for name, value in fields.items())


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- evaluate


def _field_order(declared: Sequence[str], gold: Iterable[GoldEvent]) -> list[str]:
    """The fields of a type: declared order plus any the gold adds, key fields first."""
    names = list(declared)
    for g in gold:
        names.extend(n for n in g.fields if n not in names)
    return [n for n in KEY_FIELDS if n in names] + [n for n in names if n not in KEY_FIELDS]


@attrs.define
class _Tally:
    """What scoring gathers, document by document, before it is frozen into a Report."""

    counts: dict[str, Counts] = attrs.Factory(dict)
    matched: dict[str, int] = attrs.Factory(dict)
    agree: dict[str, dict[str, int]] = attrs.Factory(dict)
    documents: list[DocumentScore] = attrs.Factory(list)
    errors: list[ErrorRecord] = attrs.Factory(list)
    mismatches: list[FieldMismatch] = attrs.Factory(list)

    def _count(self, type_name: str, counts: Counts) -> None:
        self.counts[type_name] = self.counts.get(type_name, Counts()) + counts

    def add_document(
        self,
        doc: Document,
        gold_file: str,
        result: tuple[list[Pair], list[GoldEvent], list[Event]],
    ) -> None:
        """Count one document's pairs, misses and extras, and keep the errors behind them."""
        pairs, missed, extra = result
        self.documents.append(
            DocumentScore(doc.id, gold_file, Counts(len(pairs), len(extra), len(missed)))
        )
        for pair in pairs:
            self._add_pair(doc.id, pair)
        for g in missed:
            self._count(g.type, Counts(fn=1))
            self.errors.append(
                ErrorRecord(
                    kind="false_negative",
                    type=g.type,
                    doc=doc.id,
                    start=g.start,
                    end=g.end,
                    text=g.evidence,
                    fields=g.fields,
                    gold_line=g.line,
                )
            )
        for event in extra:
            self._count(event.type, Counts(fp=1))
            first, last = prediction_span(doc, event)
            self.errors.append(
                ErrorRecord(
                    kind="false_positive",
                    type=event.type,
                    doc=doc.id,
                    start=event.start,
                    end=event.end,
                    text=doc.text[first:last],
                    fields=event.fields.to_dict(),
                    rule=event.rule,
                    matched_text=event.text,
                )
            )

    def _add_pair(self, doc_id: str, pair: Pair) -> None:
        name = pair.gold.type
        self._count(name, Counts(tp=1))
        self.matched[name] = self.matched.get(name, 0) + 1
        per_field = self.agree.setdefault(name, {})
        for field, ok in pair.agree.items():
            per_field[field] = per_field.get(field, 0) + ok
        if all(pair.agree.values()):
            return
        predicted = pair.predicted.fields.to_dict()
        self.mismatches.append(
            FieldMismatch(
                type=name,
                doc=doc_id,
                gold_line=pair.gold.line,
                rule=pair.predicted.rule,
                evidence=pair.gold.evidence,
                differences={
                    field: (pair.gold.fields.get(field), predicted.get(field))
                    for field, ok in pair.agree.items()
                    if not ok
                },
            )
        )

    def report(
        self,
        gold_dir: str,
        type_names: Sequence[str],
        field_order: Mapping[str, Sequence[str]],
        skipped: Sequence[str],
    ) -> Report:
        """Freeze the tally: types in the order given, errors in document order."""
        rank = {d.doc: i for i, d in enumerate(self.documents)}
        errors = sorted(self.errors, key=lambda e: (rank[e.doc], e.start, e.end, e.kind, e.type))
        types = tuple(TypeScore(name, self.counts.get(name, Counts())) for name in type_names)
        fields = []
        for name in type_names:
            n = self.matched.get(name, 0)
            agree = self.agree.get(name, {})
            scores = tuple(FieldScore(f, agree.get(f, 0), n) for f in field_order.get(name, ()))
            fields.append(TypeFields(name, n, scores))
        return Report(
            gold_dir=gold_dir,
            types=types,
            micro=sum((t.counts for t in types), Counts()),
            fields=tuple(fields),
            documents=tuple(self.documents),
            skipped=tuple(skipped),
            errors=tuple(errors),
            mismatches=tuple(self.mismatches),
        )


def evaluate(ruleset: RuleSet, inputs: Iterable[PathLike], gold_dir: PathLike) -> Report:
    """Run ``ruleset`` over ``inputs`` (files, directories of .txt) and score it against
    the gold files in ``gold_dir``.

    A document without a gold file is skipped (listed in ``Report.skipped``, not counted);
    an empty gold file means the document has no events, so every prediction on it is a
    false positive. Raises :class:`GoldError` when the gold directory or a gold file cannot
    be used and :class:`~evx.errors.DocumentError` when a document cannot be read: scores
    over a silently partial set would mislead.
    """
    gold_root = Path(gold_dir)
    if not gold_root.is_dir():
        raise GoldError(gold_root.as_posix(), "gold directory not found")
    # every gold file is read before anything is scored, so a bad one fails fast and the
    # field lists below can include fields only the gold has
    scored: list[tuple[Document, list[GoldEvent], list[Event]]] = []
    skipped: list[str] = []
    for item in expand_inputs(inputs):
        if not gold_path(gold_root, item.id).is_file():
            skipped.append(item.id)
            continue
        try:
            data = item.read()
        except OSError as exc:
            raise DocumentError(item.id, f"cannot read: {exc.strerror or exc}", "D004") from None
        doc = Document.from_bytes(data, item.id)
        gold = load_gold(gold_root, item.id, doc.text)
        scored.append((doc, gold, ruleset.extract(doc, item.id)))

    schemas = ruleset.compiled.schemas
    kinds = {name: dict(schemas[name].fields) for name in ruleset.event_types}
    all_gold = [g for _, gold, _ in scored for g in gold]
    # the rules' event types and any type only the gold knows (its rows show all FN),
    # sorted by name so that rows keep their place while the rules change
    type_names = sorted(set(ruleset.event_types) | {g.type for g in all_gold})
    field_order = {
        name: _field_order(
            schemas[name].field_names if name in kinds else (),
            (g for g in all_gold if g.type == name),
        )
        for name in type_names
    }
    tally = _Tally()
    for doc, gold, predicted in scored:
        result = match_document(doc, gold, predicted, field_order, kinds)
        tally.add_document(doc, gold_path(gold_root, doc.id).as_posix(), result)
    return tally.report(gold_root.as_posix(), type_names, field_order, skipped)
