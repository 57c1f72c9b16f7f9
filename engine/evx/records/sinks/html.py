"""HTML: one self-contained page of a run, the documents with their records drawn on them.

The page needs no network and no script: styles are inline, hovering a highlight shows the
record it belongs to (a `title`), each record's fields and their provenance open on a
click (`<details>`). Every piece of text from documents and rules is escaped. A run of
hundreds of documents stays usable: an index at the top lists each document with its
counts and links to its section, and the summary tables say which rules fired how often
and which never did.

The summary comes first but counts every document, so the sink keeps each document's
section in a temporary file as it comes and writes the page when it is closed: memory
holds the counts, not the corpus. It draws what the records say (the output contract,
``provenance`` included when the records carry it) on the text the run hands it with
each document (:class:`~evx.records.sinks.base.DocumentText`); ``evx view`` and ``evx run
--format html`` both write through it, so the two pages are the same.
"""

from __future__ import annotations

import html
import itertools
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from typing import IO, Final

from evx.records.sinks.base import DocumentText, Layout, Record, clean_text

__all__ = ["PALETTE", "HtmlSink"]

PALETTE: Final = (
    "#fde68a",
    "#bfdbfe",
    "#bbf7d0",
    "#fbcfe8",
    "#ddd6fe",
    "#fed7aa",
    "#a5f3fc",
    "#e5e7eb",
)
"""Background colours of the event types, in the order the rules declare them."""

STYLE: Final = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #111; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
td, th { border: 1px solid #ccc; padding: .2em .6em; text-align: left; vertical-align: top; }
.text { white-space: pre-wrap; border-left: 3px solid #ddd; padding-left: 1em; }
.ev { border-bottom: 2px solid #888; }
mark.arg { padding: 0 .1em; border-radius: .2em; outline: 1px solid #666; }
.never { color: #a00; }
details { margin: .2em 0; } summary { cursor: pointer; }
code { font-size: .95em; }
.legend span { padding: .1em .5em; margin-right: .5em; border-radius: .2em; }
"""


def _e(text: object) -> str:
    """Text escaped for HTML, a lone surrogate (API text can hold one) as U+FFFD."""
    return html.escape(clean_text(str(text)), quote=True)


def _arg_spans(record: Record) -> list[tuple[int, int, str]]:
    """(start, end, name) of every argument of a record, lists flattened."""
    out: list[tuple[int, int, str]] = []
    for name, arg in record.get("args", {}).items():
        for one in arg if isinstance(arg, list) else [arg]:
            out.append((int(one["start"]), int(one["end"]), name))
    return out


def _label(record: Record, index: int) -> str:
    fields = ", ".join(
        f"{k}={json.dumps(v, ensure_ascii=False)}"
        for k, v in record["fields"].items()
        if v not in (None, [], ())
    )
    return f"#{index} {record['type']} ({record['rule']}) {fields}"


def _highlighted(text: str, records: Sequence[Record], colours: dict[str, str], doc: int) -> str:
    """The document text cut at every record and argument boundary, each piece marked
    with what covers it: an argument as a coloured `<mark>`, a record's span underlined."""
    cuts = {0, len(text)}
    covers: list[tuple[int, int, int, str | None]] = []  # start, end, record, argument
    for i, record in enumerate(records):
        covers.append((record["start"], record["end"], i, None))
        cuts.update((record["start"], record["end"]))
        for start, end, name in _arg_spans(record):
            covers.append((start, end, i, name))
            cuts.update((start, end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[str] = []
    for lo, hi in itertools.pairwise(bounds):
        piece = _e(text[lo:hi])
        inside = [c for c in covers if c[0] <= lo and hi <= c[1]]
        args = [c for c in inside if c[3] is not None]
        if args:
            first = records[args[0][2]]["type"]
            title = "\n".join(f"{c[3]} of {_label(records[c[2]], c[2] + 1)}" for c in args)
            marked = " ".join(f"d{doc}-r{c[2] + 1}" for c in args)
            colour = colours.get(first, PALETTE[-1])
            out.append(
                f'<mark class="arg" data-type="{_e(first)}" data-records="{marked}" '
                f'style="background:{colour}" title="{_e(title)}">{piece}</mark>'
            )
        elif inside:
            title = "\n".join(_label(records[c[2]], c[2] + 1) for c in inside)
            out.append(f'<span class="ev" title="{_e(title)}">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


def _record(record: Record, index: int, place: str, colour: str, doc: int) -> str:
    rows = []
    provenance = record.get("provenance", {})
    for name, value in record["fields"].items():
        source = provenance.get(name)
        how = ""
        if source is not None:
            how = f"{source['how']}, {source['rule']}, chars {source['start']}-{source['end']}"
        rows.append(
            f"<tr><td>{_e(name)}</td><td><code>{_e(json.dumps(value, ensure_ascii=False))}"
            f"</code></td><td>{_e(how)}</td></tr>"
        )
    kind = record["type"]
    return (
        f'<details class="record" id="d{doc}-r{index}" data-type="{_e(kind)}">'
        f'<summary><span style="background:{colour}">#{index} {_e(kind)}</span> '
        f"<q>{_e(record['text'])}</q> by <code>{_e(place)}</code></summary>"
        "<table><tr><th>field</th><th>value</th><th>provenance</th></tr>"
        + "".join(rows)
        + "</table></details>"
    )


class HtmlSink:
    """The page of a run: each document's section drawn as it comes, the page written
    (summary, index, sections) when the sink is closed."""

    def __init__(
        self,
        stream: IO[str],
        layout: Layout | None = None,
        *,
        append: bool = False,
        title: str = "evx run",
    ) -> None:
        if append:
            raise ValueError("an HTML page cannot be continued (its summary counts every document)")
        self.stream = stream
        self.title = title
        layout = layout or Layout()
        events = [s.name for s in layout.schemas if s.is_event]
        self.events = events
        self.mentions = [s.name for s in layout.schemas if not s.is_event]  # --mentions
        types = [*events, *self.mentions]
        self.colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}
        self.places = {r.qualified_name: f"{r.file}:{r.line} ({r.name})" for r in layout.rules}
        self.event_rules = [r.qualified_name for r in layout.rules if r.label in events]
        self.by_type: Counter[str] = Counter()
        self.by_rule: Counter[str] = Counter()
        self.index: list[tuple[str, str | None, int]] = []  # id, error, records
        # held open for the sink's life, read back and closed by close()
        self._sections: IO[str] = tempfile.TemporaryFile(  # noqa: SIM115
            "w+", encoding="utf-8", prefix="evx-page-"
        )
        self._closed = False

    def write(self, records: Sequence[Record], document: DocumentText | None = None) -> None:
        """Draw one document's section; ``document`` gives its id and text (without it,
        the records are listed under their `doc` with no text to draw them on)."""
        if document is None:
            doc_id = records[0]["doc"] if records else ""
            document = DocumentText(doc_id, "")
        i = len(self.index)
        self.index.append((document.doc_id, document.error, len(records)))
        merged = document.merged or ((),) * len(records)
        for record, also in zip(records, merged, strict=True):
            self.by_type[record["type"]] += 1
            for name in dict.fromkeys((record["rule"], *also)):
                self.by_rule[name] += 1
        parts = [f'<section class="doc" id="d{i}"><h2>{_e(document.doc_id)}</h2>']
        if document.error:
            parts.append(f'<p class="error">{_e(document.error)}</p></section>')
        else:
            parts.append(
                f'<div class="text">{_highlighted(document.text, records, self.colours, i)}</div>'
            )
            for n, record in enumerate(records):
                rule: str = record["rule"]
                place = self.places.get(rule, rule)
                colour = self.colours.get(record["type"], PALETTE[-1])
                parts.append(_record(record, n + 1, place, colour, i))
            parts.append("</section>")
        self._sections.write("\n".join(parts) + "\n")

    def _head(self) -> str:
        by_type, by_rule = self.by_type, self.by_rule
        # every event type; a mention label (with --mentions) when it has records
        shown = [*self.events, *(m for m in self.mentions if by_type[m])]
        never = [q for q in self.event_rules if not by_rule[q]]
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{_e(self.title)}</title><style>{STYLE}</style></head><body>",
            f"<h1>{_e(self.title)}</h1>",
            f"<p>{len(self.index)} documents, {sum(by_type.values())} records.</p>",
            '<p class="legend">'
            + "".join(f'<span style="background:{self.colours[t]}">{_e(t)}</span>' for t in shown)
            + "</p>",
            '<h2 id="summary">Summary</h2>',
            '<table id="by-type"><tr><th>event type</th><th>records</th></tr>',
            *(f"<tr><td>{_e(t)}</td><td>{by_type[t]}</td></tr>" for t in shown),
            "</table>",
            '<table id="by-rule"><tr><th>rule</th><th>where</th><th>records</th></tr>',
            *(
                f"<tr{' class=never' if not by_rule[q] else ''}><td>{_e(q.split(':', 1)[1])}"
                f"</td><td><code>{_e(self.places[q])}</code></td><td>{by_rule[q]}</td></tr>"
                for q in self.event_rules
            ),
            "</table>",
            f'<p id="never">Rules that never fired: {_e(", ".join(never) or "none")}</p>',
            '<h2 id="index">Documents</h2><table><tr><th>document</th><th>records</th></tr>',
            *(
                f'<tr><td><a href="#d{i}">{_e(doc_id)}</a></td>'
                f"<td>{_e(error) if error else n}</td></tr>"
                for i, (doc_id, error, n) in enumerate(self.index)
            ),
            "</table>",
        ]
        return "\n".join(parts) + "\n"

    def close(self) -> None:
        """Write the page: the summary and index, then every section, then its end."""
        if self._closed:
            return
        self._closed = True
        self.stream.write(self._head())
        self._sections.seek(0)
        shutil.copyfileobj(self._sections, self.stream)
        self._sections.close()
        self.stream.write("</body></html>\n")
        self.stream.flush()
