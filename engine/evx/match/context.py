"""What every program run over one document shares: the document, the label tables found so
far, one run per sentence, and the window-condition answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from evx.match.vm import Run

if TYPE_CHECKING:
    from evx.text.document import Document


@attrs.define
class LabelTable:
    """The spans one label (mention or event type) has in a document, indexed both ways."""

    by_start: dict[int, list[int]] = attrs.field(factory=dict)
    by_end: dict[int, list[int]] = attrs.field(factory=dict)
    values: dict[tuple[int, int], object] = attrs.field(factory=dict)
    _starts: list[int] | None = None  # the starts, sorted: made on first use
    _inside: bytearray | None = None  # per token, 1 inside some span: made on first use

    def starts(self) -> list[int]:
        """Every start of a span, ascending (for windows: bisect instead of a scan)."""
        if self._starts is None:
            self._starts = sorted(self.by_start)
        return self._starts

    def cover(self) -> list[tuple[int, int]]:
        """The token ranges the spans cover, overlapping spans merged, in order: one pass
        over the starts, however many spans nest at a token."""
        merged: list[tuple[int, int]] = []
        for start in self.starts():
            end = self.by_start[start][0]  # longest first
            if merged and start <= merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return merged

    def inside(self, n: int) -> bytearray:
        """For each of the document's `n` tokens, 1 when it lies inside a span, else 0."""
        found = self._inside
        if found is None or len(found) != n:
            found = bytearray(n)
            for start, end in self.cover():
                found[start:end] = b"\x01" * (end - start)
            self._inside = found
        return found

    def add(self, start: int, end: int, value: object = None) -> None:
        self._starts = None
        self._inside = None
        if value is not None:
            self.values.setdefault((start, end), value)
        ends = self.by_start.setdefault(start, [])
        if end not in ends:
            ends.append(end)
            ends.sort(reverse=True)
        starts = self.by_end.setdefault(end, [])
        if start not in starts:
            starts.append(start)
            starts.sort()

    @classmethod
    def build(cls, spans: list[tuple[int, int, object]]) -> LabelTable:
        """The table of these (start, end, value) spans, as `add` in turn would make it,
        sorted once instead of per span."""
        table = cls()
        values = table.values
        by_start: dict[int, set[int]] = {}
        by_end: dict[int, set[int]] = {}
        for start, end, value in spans:
            if value is not None and (start, end) not in values:
                values[start, end] = value
            by_start.setdefault(start, set()).add(end)
            by_end.setdefault(end, set()).add(start)
        table.by_start = {s: sorted(ends, reverse=True) for s, ends in by_start.items()}
        table.by_end = {e: sorted(starts) for e, starts in by_end.items()}
        return table


class DocContext:
    """Per-document state shared by every program run: the document and the label tables."""

    __slots__ = ("complete", "conditions", "doc", "labels", "runs")

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.labels: dict[str, LabelTable] = {}
        self.runs: dict[tuple[int, int], Run] = {}  # sentence bounds -> its run
        self.conditions: Any = None  # the window-condition index (evx.match.conditions)
        self.complete = False  # every label table is final (the matcher has finished)

    def sentence_run(self, lo: int, hi: int) -> Run:
        """The run over one whole sentence, made once per document: its memos serve every
        rule, lookaround and window condition asked there."""
        run = self.runs.get((lo, hi))
        if run is None:
            run = self.runs[lo, hi] = Run(self, lo, hi, lo, hi)
        return run

    def label_ends(self, label: str, pos: int, limit: int) -> Sequence[int]:
        table = self.labels.get(label)
        if table is None:
            return ()
        ends = table.by_start.get(pos)
        if not ends:
            return ()
        return [e for e in ends if e <= limit]

    def inside(self, label: str) -> Sequence[int]:
        """Per token, 1 when it lies inside a span of the label found so far (`[@X]`)."""
        table = self.labels.get(label)
        if table is None:
            return bytes(len(self.doc))
        return table.inside(len(self.doc))

    def label_starts(self, label: str, pos: int, limit: int) -> Sequence[int]:
        table = self.labels.get(label)
        if table is None:
            return ()
        starts = table.by_end.get(pos)
        if not starts:
            return ()
        return [s for s in starts if s >= limit]
