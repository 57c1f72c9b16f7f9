"""Gold records: one JSON Lines file per document, each record located in the document text.

Gold lives next to the documents it describes, one JSON Lines file per document, named
after the document's stem (``seeds/001_x.txt`` → ``<gold_dir>/001_x.jsonl``)::

    {"type": "HostageRelease", "evidence": "<verbatim substring of the document>",
     "occurrence": 2, "fields": {"count": 2, ...}, "note": "..."}

``occurrence`` (1-based, default 1) says which copy of a repeated evidence string is
meant; ``note`` is for people and ignored here. See ``docs/annotation.md``.

Event-level gold (``devset/``, see ``devset/CONVENTIONS.md``) has one record per event,
``"anchors": [...]`` instead of ``"evidence"``: a short phrase, found once in the text,
from each sentence that states the event, the first where a reader first meets it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Final

import attrs

from evx.errors import EvxError
from evx.evaluation.tables import clip

GOLD_SUFFIX: Final = ".jsonl"

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
    anchors: tuple[tuple[int, int], ...] = ()  # event-level gold: where each mention is


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
    if "anchors" in record:
        if not isinstance(fields, dict):
            raise bad('"fields" must be an object holding every field of the type')
        return _anchored(record["anchors"], type_name, fields, name, number, doc_id, text)
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
        shown = clip(evidence, 80)
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


def _anchored(
    anchors: object,
    type_name: str,
    fields: dict[str, Any],
    name: str,
    number: int,
    doc_id: str,
    text: str,
) -> GoldEvent:
    """An event-level record: each anchor must occur exactly once in the text."""
    if (
        not isinstance(anchors, list)
        or not anchors
        or not all(isinstance(a, str) and a for a in anchors)
    ):
        raise GoldError(name, '"anchors" must be a non-empty list of phrases', "G002", number)
    spans: list[tuple[int, int]] = []
    for anchor in anchors:
        found = text.count(anchor)
        if found != 1:
            where = "not found" if found == 0 else f"found {found} times"
            raise GoldError(
                name,
                f"anchor {where} in {doc_id} (it must occur once): “{clip(anchor, 80)}”",
                "G003",
                number,
            )
        at = text.index(anchor)
        spans.append((at, at + len(anchor)))
    start, end = spans[0]
    return GoldEvent(
        type=type_name,
        start=start,
        end=end,
        fields=fields,
        line=number,
        evidence=text[start:end],
        file=name,
        anchors=tuple(spans),
    )


def _nth_occurrence(text: str, sub: str, n: int) -> int:
    """Offset of the n-th (1-based) copy of ``sub`` in ``text``, copies may overlap; -1 if none."""
    pos = text.find(sub)
    while pos >= 0 and n > 1:
        pos = text.find(sub, pos + 1)
        n -= 1
    return pos
