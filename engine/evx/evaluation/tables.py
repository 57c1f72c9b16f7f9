"""The evaluation report rendered for people: aligned plain-text tables and error listings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evx.evaluation.report import Counts, Report


def render_table(report: Report) -> str:
    """The report for people: P/R/F1 per type with a micro total, field accuracy per
    type with the number of matched pairs, then one row per document."""
    n_docs = len(report.documents)
    lines = [
        f"evx eval: {n_docs} document{'s' if n_docs != 1 else ''} scored against "
        f"{report.gold_dir}, {len(report.skipped)} skipped (no gold file)",
        "",
    ]
    counts_head = ["gold", "pred", "TP", "FP", "FN", "precision", "recall", "F1"]
    lines += table(
        ["type", *counts_head],
        [[t.type, *_count_cells(t.counts)] for t in report.types],
        [["all (micro)", *_count_cells(report.micro)]],
    )
    lines += ["", "field accuracy over matched pairs"]
    field_rows: list[list[str]] = []
    agree_all = n_all = 0
    for entry in report.fields:
        for i, score in enumerate(entry.fields):
            label = f"{entry.type} (n={entry.matched})" if i == 0 else ""
            field_rows.append(
                [label, score.field, str(score.agree), str(score.n), f"{score.accuracy:.3f}"]
            )
            agree_all += score.agree
            n_all += score.n
    overall = agree_all / n_all if n_all else 0.0
    lines += table(
        ["type", "field", "agree", "n", "accuracy"],
        field_rows,
        [["all fields", "", str(agree_all), str(n_all), f"{overall:.3f}"]],
    )
    lines += ["", "documents"]
    lines += table(
        ["document", *counts_head],
        [[d.doc, *_count_cells(d.counts)] for d in report.documents],
        [],
    )
    for doc in report.skipped:
        lines.append(f"skipped (no gold file): {doc}")
    return "\n".join(lines) + "\n"


def render_errors(report: Report) -> str:
    """False positives, false negatives and field disagreements, one block each, in
    document order (for `evx eval --errors`)."""
    lines: list[str] = []
    for e in report.errors:
        if e.kind == "false_negative":
            lines.append(f"FN {e.type} {e.doc}:{e.start}-{e.end} (gold line {e.gold_line})")
            lines.append(f"    evidence: {clip(e.text, 300)}")
            lines.append(f"    gold: {_fields_text(e.fields)}")
        else:
            lines.append(f"FP {e.type} {e.doc}:{e.start}-{e.end} ({e.rule})")
            lines.append(f"    matched: {e.matched_text}")
            lines.append(f"    sentence: {clip(e.text, 300)}")
            lines.append(f"    fields: {_fields_text(e.fields)}")
    for m in report.mismatches:
        lines.append(f"FIELDS {m.type} {m.doc} (gold line {m.gold_line}, {m.rule})")
        lines.append(f"    evidence: {clip(m.evidence, 300)}")
        for name, (g, p) in m.differences.items():
            lines.append(f"    {name}: gold {_json(g)}, predicted {_json(p)}")
    n_fp = sum(1 for e in report.errors if e.kind == "false_positive")
    n_fn = len(report.errors) - n_fp
    lines.append(
        f"{n_fp} false positive{'s' if n_fp != 1 else ''}, "
        f"{n_fn} false negative{'s' if n_fn != 1 else ''}, "
        f"{len(report.mismatches)} matched with differing fields"
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


def table(head: list[str], rows: list[list[str]], totals: list[list[str]]) -> list[str]:
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


def clip(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
