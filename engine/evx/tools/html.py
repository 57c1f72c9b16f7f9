"""A picture of a run: one self-contained HTML page with the documents, their records and a summary.

The page needs no network and no script: styles are inline, hovering a highlight shows the
record it belongs to (a `title`), each record's fields and their provenance open on a
click (`<details>`). Every piece of text from documents and rules is escaped. A run of
hundreds of documents stays usable: an index at the top lists each document with its
counts and links to its section, and the summary tables say which rules fired how often
and which never did.
"""

from __future__ import annotations

import html
import itertools
import json
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from evx.records.events import Event
from evx.ruleset import RuleSet
from evx.text.document import Document

PALETTE = ("#fde68a", "#bfdbfe", "#bbf7d0", "#fbcfe8", "#ddd6fe", "#fed7aa", "#a5f3fc", "#e5e7eb")
"""Background colours of the event types, in the order the rules declare them."""

STYLE = """
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


@attrs.frozen
class DocumentView:
    """One document of the run: its id, text and records (or the error that stopped it)."""

    doc_id: str
    text: str
    events: tuple[Event, ...] = ()
    error: str | None = None


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _arg_spans(event: Event) -> list[tuple[int, int, str]]:
    """(start, end, name) of every argument of a record, lists flattened."""
    out: list[tuple[int, int, str]] = []
    for name, arg in event.to_dict().get("args", {}).items():
        for one in arg if isinstance(arg, list) else [arg]:
            out.append((int(one["start"]), int(one["end"]), name))
    return out


def _label(event: Event, index: int) -> str:
    fields = ", ".join(
        f"{k}={json.dumps(v, ensure_ascii=False)}"
        for k, v in event.fields.to_dict().items()
        if v not in (None, [], ())
    )
    return f"#{index} {event.type} ({event.rule}) {fields}"


def _highlighted(view: DocumentView, colours: dict[str, str], doc: int) -> str:
    """The document text cut at every record and argument boundary, each piece marked
    with what covers it: an argument as a coloured `<mark>`, a record's span underlined."""
    text = view.text
    cuts = {0, len(text)}
    covers: list[tuple[int, int, int, str | None]] = []  # start, end, record, argument
    for i, event in enumerate(view.events):
        covers.append((event.start, event.end, i, None))
        cuts.update((event.start, event.end))
        for start, end, name in _arg_spans(event):
            covers.append((start, end, i, name))
            cuts.update((start, end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[str] = []
    for lo, hi in itertools.pairwise(bounds):
        piece = _e(text[lo:hi])
        inside = [c for c in covers if c[0] <= lo and hi <= c[1]]
        args = [c for c in inside if c[3] is not None]
        if args:
            first = view.events[args[0][2]]
            title = "\n".join(f"{c[3]} of {_label(view.events[c[2]], c[2] + 1)}" for c in args)
            records = " ".join(f"d{doc}-r{c[2] + 1}" for c in args)
            out.append(
                f'<mark class="arg" data-type="{_e(first.type)}" data-records="{records}" '
                f'style="background:{colours[first.type]}" title="{_e(title)}">{piece}</mark>'
            )
        elif inside:
            title = "\n".join(_label(view.events[c[2]], c[2] + 1) for c in inside)
            out.append(f'<span class="ev" title="{_e(title)}">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


def _record(event: Event, index: int, places: dict[str, str], colour: str, doc: int) -> str:
    rows = []
    for name, value in event.fields.to_dict().items():
        source = event.provenance.get(name)
        how = ""
        if source is not None:
            how = f"{source.how}, {source.rule}, chars {source.start}-{source.end}"
        rows.append(
            f"<tr><td>{_e(name)}</td><td><code>{_e(json.dumps(value, ensure_ascii=False))}"
            f"</code></td><td>{_e(how)}</td></tr>"
        )
    place = places.get(event.rule, event.rule)
    return (
        f'<details class="record" id="d{doc}-r{index}" data-type="{_e(event.type)}">'
        f'<summary><span style="background:{colour}">#{index} {_e(event.type)}</span> '
        f"<q>{_e(event.text)}</q> by <code>{_e(place)}</code></summary>"
        "<table><tr><th>field</th><th>value</th><th>provenance</th></tr>"
        + "".join(rows)
        + "</table></details>"
    )


def render_html(rules: RuleSet, views: Sequence[DocumentView], title: str = "evx run") -> str:
    """The whole page for a run of `rules` over `views`."""
    types = rules.event_types
    colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}
    places = {
        r.qualified_name: f"{r.qualified_name.split(':')[0]}:{r.checked.rule.pos.line} ({r.name})"
        for r in rules.compiled.rules
    }
    by_type: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    for view in views:
        for event in view.events:
            by_type[event.type] += 1
            for rule in event.rules:
                by_rule[rule] += 1
    event_rules = [
        r.qualified_name for r in rules.compiled.rules if rules.compiled.schemas[r.label].is_event
    ]
    never = [q for q in event_rules if not by_rule[q]]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>{len(views)} documents, {sum(by_type.values())} records.</p>",
        '<p class="legend">'
        + "".join(f'<span style="background:{colours[t]}">{_e(t)}</span>' for t in types)
        + "</p>",
        '<h2 id="summary">Summary</h2>',
        '<table id="by-type"><tr><th>event type</th><th>records</th></tr>',
        *(f"<tr><td>{_e(t)}</td><td>{by_type[t]}</td></tr>" for t in types),
        "</table>",
        '<table id="by-rule"><tr><th>rule</th><th>where</th><th>records</th></tr>',
        *(
            f"<tr{' class=never' if not by_rule[q] else ''}><td>{_e(q.split(':', 1)[1])}"
            f"</td><td><code>{_e(places[q])}</code></td><td>{by_rule[q]}</td></tr>"
            for q in event_rules
        ),
        "</table>",
        f'<p id="never">Rules that never fired: {_e(", ".join(never) or "none")}</p>',
        '<h2 id="index">Documents</h2><table><tr><th>document</th><th>records</th></tr>',
        *(
            f'<tr><td><a href="#d{i}">{_e(v.doc_id)}</a></td>'
            f"<td>{_e(v.error) if v.error else len(v.events)}</td></tr>"
            for i, v in enumerate(views)
        ),
        "</table>",
    ]
    for i, view in enumerate(views):
        parts.append(f'<section class="doc" id="d{i}"><h2>{_e(view.doc_id)}</h2>')
        if view.error:
            parts.append(f'<p class="error">{_e(view.error)}</p></section>')
            continue
        parts.append(f'<div class="text">{_highlighted(view, colours, i)}</div>')
        parts.extend(
            _record(e, n + 1, places, colours.get(e.type, PALETTE[-1]), i)
            for n, e in enumerate(view.events)
        )
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def views_of(rules: RuleSet, docs: Iterable[Document]) -> list[DocumentView]:
    """Run the rules over documents: the views of a page."""
    return [DocumentView(doc.id, doc.text, tuple(rules.extract(doc, doc.id))) for doc in docs]
