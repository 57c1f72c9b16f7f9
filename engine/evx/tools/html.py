"""A picture of a run: one self-contained HTML page with the documents, their records and a summary.

The page itself is drawn by the HTML sink (:mod:`evx.records.sinks.html`), which ``evx run
--format html`` writes through too; this module feeds it events, as ``evx view`` and the
Python API have them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import IO

import attrs

from evx.records.events import Event
from evx.records.sinks import DocumentText, HtmlSink
from evx.ruleset import RuleSet
from evx.text.document import Document

__all__ = ["DocumentView", "page_sink", "render_html", "views_of", "write_view"]


@attrs.frozen
class DocumentView:
    """One document of the run: its id, text and records (or the error that stopped it)."""

    doc_id: str
    text: str
    events: tuple[Event, ...] = ()
    error: str | None = None


def page_sink(rules: RuleSet, stream: IO[str], title: str = "evx run") -> HtmlSink:
    """The sink drawing the page of a run of `rules` on `stream` (written when closed)."""
    return HtmlSink(stream, rules.layout(provenance=True), title=title)


def write_view(sink: HtmlSink, view: DocumentView) -> None:
    """Draw one document's events: their records (provenance included) on its text."""
    records = [e.to_dict(provenance=True) for e in view.events]
    merged = tuple(e.merged for e in view.events)
    sink.write(records, DocumentText(view.doc_id, view.text, view.error, merged))


def render_html(rules: RuleSet, views: Sequence[DocumentView], title: str = "evx run") -> str:
    """The whole page for a run of `rules` over `views`."""
    out = io.StringIO()
    sink = page_sink(rules, out, title)
    for view in views:
        write_view(sink, view)
    sink.close()
    return out.getvalue()


def views_of(rules: RuleSet, docs: Iterable[Document]) -> list[DocumentView]:
    """Run the rules over documents: the views of a page."""
    return [DocumentView(doc.id, doc.text, tuple(rules.extract(doc, doc.id))) for doc in docs]
