"""Regression diffs between two runs' records: what was added, lost, and changed field by field.

Records of the two runs are paired per document and event type: first those with the same
span, then, among the rest, those whose spans overlap most (a rule that now takes one more
word still makes "the same" record). A pair whose fields, rule or span differ is a change,
listed by what differs; records left unpaired were added or lost. Each entry names the
rule that made the record, so a regression can be traced to the rule that caused it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from evx.errors import EvxError

Record = dict[str, Any]


class DiffInputError(EvxError):
    """A records file of `evx diff` cannot be read or holds a line that is no record."""

    code = "X002"


@attrs.frozen
class Change:
    """One difference between the runs: a record added, lost, or changed (its old and new)."""

    kind: str  # "added", "lost", "changed"
    old: Record | None
    new: Record | None
    fields: tuple[tuple[str, object, object], ...] = ()  # (field, old value, new value)

    @property
    def record(self) -> Record:
        found = self.new if self.new is not None else self.old
        assert found is not None
        return found

    def to_dict(self) -> dict[str, Any]:
        """The change as one JSON object (`evx diff --format json`)."""
        rec = self.record
        out: dict[str, Any] = {
            "change": self.kind,
            "doc": rec.get("doc"),
            "type": rec.get("type"),
            "old": _brief(self.old),
            "new": _brief(self.new),
        }
        if self.kind == "changed":
            out["fields"] = {name: {"old": a, "new": b} for name, a, b in self.fields}
        return out

    def render(self) -> list[str]:
        """The change as lines for people."""
        mark = {"added": "+", "lost": "-", "changed": "~"}[self.kind]
        rec = self.record
        head = f"  {mark} {self.kind} {rec.get('type')} {_where(rec)}"
        lines = [head]
        for name, a, b in self.fields:
            lines.append(f"      {name}: {_show(a)} -> {_show(b)}")
        return lines


def _brief(rec: Record | None) -> dict[str, Any] | None:
    if rec is None:
        return None
    return {k: rec.get(k) for k in ("rule", "start", "end", "text", "fields")}


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _where(rec: Record) -> str:
    return f"{rec.get('start')}-{rec.get('end')} {_show(rec.get('text'))} ({rec.get('rule')})"


def read_records(path: str | Path) -> list[Record]:
    """The records of a JSON Lines file written by `evx run` (blank lines skipped)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DiffInputError(f"{path}: cannot read: {exc}") from None
    out: list[Record] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DiffInputError(f"{path}:{lineno}: not JSON: {exc.msg}") from None
        if not isinstance(rec, dict) or "type" not in rec:
            raise DiffInputError(f"{path}:{lineno}: not an evx record (no `type`)")
        out.append(rec)
    return out


def _span(rec: Record) -> tuple[int, int]:
    start, end = rec.get("start"), rec.get("end")
    return (start if isinstance(start, int) else -1, end if isinstance(end, int) else -1)


def _overlap(a: Record, b: Record) -> int:
    (s1, e1), (s2, e2) = _span(a), _span(b)
    return max(0, min(e1, e2) - max(s1, s2))


def _differences(old: Record, new: Record) -> tuple[tuple[str, object, object], ...]:
    out: list[tuple[str, object, object]] = []
    if old.get("rule") != new.get("rule"):
        out.append(("rule", old.get("rule"), new.get("rule")))
    if _span(old) != _span(new):
        out.append(("span", f"{_span(old)[0]}-{_span(old)[1]}", f"{_span(new)[0]}-{_span(new)[1]}"))
    a, b = old.get("fields") or {}, new.get("fields") or {}
    for name in [*a, *(n for n in b if n not in a)]:
        if a.get(name) != b.get(name):
            out.append((name, a.get(name), b.get(name)))
    return tuple(out)


def _group(records: Iterable[Record]) -> dict[tuple[str, str], list[Record]]:
    groups: dict[tuple[str, str], list[Record]] = {}
    for rec in records:
        groups.setdefault((str(rec.get("doc")), str(rec.get("type"))), []).append(rec)
    return groups


def _pair(olds: list[Record], news: list[Record]) -> Iterator[Change]:
    """The changes within one document and type."""
    left = list(olds)
    right = list(news)
    pairs: list[tuple[Record, Record]] = []
    for rec in list(right):  # same span first
        twin = next((o for o in left if _span(o) == _span(rec)), None)
        if twin is not None:
            pairs.append((twin, rec))
            left.remove(twin)
            right.remove(rec)
    for rec in list(right):  # then the old record it overlaps most
        best = max(left, key=lambda o: _overlap(o, rec), default=None)
        if best is not None and _overlap(best, rec) > 0:
            pairs.append((best, rec))
            left.remove(best)
            right.remove(rec)
    for old, new in pairs:
        fields = _differences(old, new)
        if fields:
            yield Change("changed", old, new, fields)
    yield from (Change("lost", rec, None) for rec in left)
    yield from (Change("added", None, rec) for rec in right)


def diff_records(old: Sequence[Record], new: Sequence[Record]) -> list[Change]:
    """Every change from `old` to `new`, by document, then position in the document."""
    olds, news = _group(old), _group(new)
    changes: list[Change] = []
    for key in sorted(set(olds) | set(news)):
        changes.extend(_pair(olds.get(key, []), news.get(key, [])))
    changes.sort(
        key=lambda c: (str(c.record.get("doc")), _span(c.record), str(c.record.get("type")))
    )
    return changes


def render(changes: Sequence[Change], n_old: int, n_new: int) -> str:
    """The changes as text, grouped by document, with a closing summary line."""
    lines: list[str] = []
    doc = None
    for change in changes:
        here = str(change.record.get("doc"))
        if here != doc:
            lines.append(here)
            doc = here
        lines.extend(change.render())
    counts = {
        kind: sum(1 for c in changes if c.kind == kind) for kind in ("added", "lost", "changed")
    }
    lines.append(
        f"{counts['added']} added, {counts['lost']} lost, {counts['changed']} changed "
        f"({n_old} records before, {n_new} after)"
    )
    return "\n".join(lines)
