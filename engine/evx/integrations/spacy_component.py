"""The `evx` spaCy pipeline component: rules run over each Doc, records and spans set on it.

Registered with spaCy through the ``spacy_factories`` entry point, so with evx installed::

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "evx.Tokenizer.v1"}}})
    nlp.add_pipe("evx_sentences")    # evx's tokens and sentences: the records of `evx run`
    nlp.add_pipe("evx", config={"rules": "rules/"})
    doc = nlp("Hamas freed three hostages on Monday, officials said.")
    doc._.events                     # evx Event records (typed fields, provenance)
    doc._.evx_mentions               # the mention records (parties, quantities, ...)
    doc.spans["evx"]                 # a Span per record, labelled with its event type
    doc.spans["evx_args"]            # a Span per argument, labelled with its field

The records name their document ``doc._.evx_doc_id`` (set it on ``nlp.make_doc(text)``
before the pipeline runs), or ``<spacy>``. A leading date header and dateline are read as
evx reads them (their words are not matched; the date resolves relative dates) unless the
component is configured with ``"header": False``.

The records travel with the Doc as bytes in ``doc.user_data`` (pickled evx records, read
back by the ``doc._.events`` getter), so ``Doc.to_bytes`` and ``nlp.pipe(texts,
n_process=2)`` carry them; unpickle only Docs you trust, as with any pickle.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Sequence
from typing import Final

from spacy.language import Language
from spacy.tokens import Doc, Span

from evx.integrations.spacy import from_spacy
from evx.records.events import Arg, Event
from evx.ruleset import RuleSet, load

__all__ = ["RECORDS_KEY", "EvxComponent", "event_arg_spans", "make_evx"]

RECORDS_KEY: Final = "evx_records"
"""The ``doc.user_data`` key holding a Doc's records, pickled."""


@functools.lru_cache(maxsize=256)
def _unpickle(blob: bytes) -> tuple[tuple[Event, ...], tuple[Event, ...]]:
    found: tuple[tuple[Event, ...], tuple[Event, ...]] = pickle.loads(blob)
    return found


def _events(doc: Doc) -> list[Event]:
    blob = doc.user_data.get(RECORDS_KEY)
    return list(_unpickle(blob)[0]) if blob is not None else []


def _mentions(doc: Doc) -> list[Event]:
    blob = doc.user_data.get(RECORDS_KEY)
    return list(_unpickle(blob)[1]) if blob is not None else []


DOC_ID: Final = "evx_doc_id"
"""The ``Doc._`` extension naming the document in its records (default: ``<spacy>``)."""


def _register_extensions() -> None:
    """``Doc._.events``, ``Doc._.evx_mentions`` and ``Doc._.evx_doc_id``; refuse to shadow
    someone else's."""
    for name, getter in (("events", _events), ("evx_mentions", _mentions)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=getter)
        elif Doc.get_extension(name)[2] is not getter:
            raise ValueError(
                f"Doc._.{name} is already registered by another component; evx needs it "
                f"for its records (remove the other one with Doc.remove_extension({name!r}))"
            )
    if not Doc.has_extension(DOC_ID):
        Doc.set_extension(DOC_ID, default=None)


_register_extensions()  # so `doc._.evx_doc_id` can be set before the component exists


class EvxComponent:
    """Runs an evx rule set over each Doc and stores its records and spans on it."""

    def __init__(
        self,
        rules: RuleSet,
        *,
        spans_key: str = "evx",
        columns: Sequence[str] = (),
        stories: bool = False,
        inherit: bool = True,
        header: bool = True,
    ) -> None:
        self.rules = rules
        self.spans_key = spans_key
        self.args_key = f"{spans_key}_args"
        # the columns read from each token: the ones asked for and every attribute the
        # rule files declare (a token extension or attribute of that name)
        self.columns = tuple(dict.fromkeys([*columns, *rules.attributes]))
        self.stories = stories
        self.inherit = inherit
        self.header = header
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        """Extract the Doc's records; set ``doc._.events``, ``doc._.evx_mentions`` and the
        span groups. A document lacking what the rules test raises DocumentError."""
        doc_id = getattr(doc._, DOC_ID) or "<spacy>"
        document = from_spacy(
            doc,
            str(doc_id),
            columns=self.columns,
            exclude_span_keys=(self.spans_key, self.args_key),
            header=self.header,
        )
        records = self.rules.extract(
            document, mentions=True, stories=self.stories, inherit=self.inherit
        )
        schemas = self.rules.compiled.schemas
        events = tuple(r for r in records if schemas[r.type].is_event)
        mentions = tuple(r for r in records if not schemas[r.type].is_event)
        doc.user_data[RECORDS_KEY] = pickle.dumps((events, mentions), pickle.HIGHEST_PROTOCOL)
        spans: list[Span] = []
        arg_spans: list[Span] = []
        for event in events:
            _add_span(doc, spans, event.start, event.end, event.type)
            for name, value in event.args.items():
                for arg in value if isinstance(value, tuple) else (value,):
                    _add_span(doc, arg_spans, arg.start, arg.end, name)
        doc.spans[self.spans_key] = spans
        doc.spans[self.args_key] = arg_spans
        return doc


def _add_span(doc: Doc, out: list[Span], start: int, end: int, label: str) -> None:
    span = doc.char_span(start, end, label=label)
    if span is not None:  # the offsets are spaCy's own tokens': always found
        out.append(span)


@Language.factory(
    "evx",
    default_config={
        "rules": "rules/",
        "spans_key": "evx",
        "columns": [],
        "stories": False,
        "inherit": True,
        "header": True,
        "cache_dir": None,
    },
)
def make_evx(
    nlp: Language,
    name: str,
    rules: str | list[str],
    spans_key: str,
    columns: list[str],
    stories: bool,
    inherit: bool,
    header: bool,
    cache_dir: str | None,
) -> EvxComponent:
    """The factory spaCy calls for ``nlp.add_pipe("evx", config={...})``: ``rules`` is a
    rule file or directory (or a list of them), loaded, checked and compiled once;
    ``header`` reads a leading date header and dateline as evx does."""
    return EvxComponent(
        load(rules, cache_dir=cache_dir),
        spans_key=spans_key,
        columns=columns,
        stories=stories,
        inherit=inherit,
        header=header,
    )


def event_arg_spans(doc: Doc, event: Event) -> dict[str, Span | list[Span]]:
    """The Spans of one record's arguments, by field (a list for list fields)."""

    def span(arg: Arg) -> Span:
        found = doc.char_span(arg.start, arg.end)
        assert found is not None
        return found

    return {
        name: [span(a) for a in value] if isinstance(value, tuple) else span(value)
        for name, value in event.args.items()
    }
