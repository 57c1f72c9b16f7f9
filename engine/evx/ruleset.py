"""The façade: load rule files once, then extract events from texts, documents and files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from evx import cache
from evx.check import check
from evx.check.result import CheckedRuleSet
from evx.errors import Diagnostic, DocumentError, SourcePos
from evx.lang import ast
from evx.lang.loader import load_rules
from evx.match.compiler import CompiledRuleSet, compile_rules, lemmas_needed
from evx.match.matcher import Annotation, annotate
from evx.parallel import Backend, ordered_map
from evx.records.build import RecordBuilder
from evx.records.events import Event, Fields
from evx.records.jsonschema import records_schema
from evx.records.sinks import Layout, Record, RulePlace
from evx.text.attributes import LEMMAS
from evx.text.document import Document
from evx.text.pieces import MAX_DOCUMENT_CHARS
from evx.text.readers import InputDocument, Payload, ReadOptions, load_documents, read_inputs
from evx.text.readers.base import unreadable
from evx.text.sentences import MAX_SENTENCE_TOKENS
from evx.text.sources import DocumentReader, Source, document_of

PathLike = str | os.PathLike[str]


@attrs.frozen
class RuleExample:
    """An `example` or `counter` clause of a rule, ready to be run as a test."""

    rule: str  # qualified name, file:rule
    label: str
    text: str
    expect: tuple[tuple[str, object], ...]
    counter: bool
    where: str  # file:line:col of the clause
    pos: SourcePos | None = None  # the clause's place, for diagnostics


class RuleSet:
    """A checked, compiled set of rules: the one front door for extraction.

    >>> rules = evx.load("rules/")                             # doctest: +SKIP
    >>> events = rules.extract("Hamas freed two hostages.")    # doctest: +SKIP
    """

    def __init__(self, compiled: CompiledRuleSet) -> None:
        self.compiled = compiled
        self._builder = RecordBuilder(compiled)

    def __reduce__(self) -> tuple[Any, ...]:
        # compiled programs hold closures, which do not pickle: a rule set travels as its
        # checked form (plain data) and the lemmas compiling needs, and compiles again on
        # arrival, without parsing or checking (worker processes, caches, Spark/Dask)
        checked = self.compiled.checked
        return (_restore, (checked, lemmas_needed(checked)))

    # ---------------------------------------------------------------- introspection

    @property
    def event_types(self) -> tuple[str, ...]:
        """Names of the event types the rules produce, in dependency order."""
        return tuple(
            n for n in self.compiled.checked.label_order if self.compiled.schemas[n].is_event
        )

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """What the checker found worth saying that did not stop the rules loading."""
        return self.compiled.checked.warnings

    @property
    def attributes(self) -> dict[str, str]:
        """The `external attribute` columns a document supplies, by name: str, int or bool."""
        return dict(self.compiled.attribute_types)

    @property
    def external_mentions(self) -> tuple[str, ...]:
        """The `external mention` labels whose spans a document supplies (``mentions=``)."""
        return tuple(n for n, s in self.compiled.schemas.items() if s.external)

    @property
    def rule_names(self) -> tuple[str, ...]:
        """Qualified names (`file:rule`) of every rule and mention."""
        return tuple(r.qualified_name for r in self.compiled.rules)

    def layout(
        self,
        *,
        mentions: bool = False,
        meta: bool = False,
        stories: bool = False,
        provenance: bool = False,
    ) -> Layout:
        """The shape of the records a run writes, for table sinks (CSV, Parquet) and the
        page (HTML): the schemas of the event types (and of the mentions, with
        ``mentions``), whether records carry ``meta``, a story's ``mentions`` and
        ``provenance``, and where each rule is written."""
        schemas = self.compiled.schemas
        labels = self.compiled.checked.label_order
        chosen = [schemas[n] for n in labels if schemas[n].is_event or mentions]
        places = tuple(
            RulePlace(r.checked.file, r.checked.rule.name, r.label, r.checked.rule.pos.line)
            for r in self.compiled.rules
        )
        return Layout(
            tuple(chosen), meta=meta, stories=stories, provenance=provenance, rules=places
        )

    def fields_class(self, event_type: str) -> type[Fields]:
        """The attrs class holding the typed fields of one event type."""
        return self._builder.classes[event_type]

    def json_schema(self) -> dict[str, Any]:
        """JSON Schema of the output records, one definition per event type."""
        return records_schema(self.compiled.schemas[name] for name in self.event_types)

    def examples(self) -> list[RuleExample]:
        """Every `example` and `counter` clause, for tests and `evx test`."""
        out: list[RuleExample] = []
        for rule in self.compiled.rules:
            for example in rule.checked.rule.examples:
                expect: list[tuple[str, object]] = []
                for name, value, _pos in example.expect:
                    if isinstance(value, ast.Ref):
                        expect.append((name, value.name))
                    else:
                        literal = value.value
                        expect.append(
                            (name, list(literal) if isinstance(literal, tuple) else literal)
                        )
                out.append(
                    RuleExample(
                        rule=rule.qualified_name,
                        label=rule.label,
                        text=example.text,
                        expect=tuple(expect),
                        counter=example.counter,
                        where=str(example.pos),
                        pos=example.pos,
                    )
                )
        return out

    # ---------------------------------------------------------------- extraction

    @staticmethod
    def document(text_or_document: Source, doc_id: str = "<text>") -> Document:
        """A Document from text, bytes, a Document or a file's path (see ``document_of``)."""
        return document_of(text_or_document, doc_id)

    def annotate(self, text_or_document: Source, doc_id: str = "<text>") -> Annotation:
        """Run the matcher only: every kept match of every label, before records are built."""
        return annotate(self.compiled, self.document(text_or_document, doc_id))

    def records(
        self,
        annotation: Annotation,
        doc_id: str | None = None,
        *,
        stories: bool = False,
        inherit: bool = True,
    ) -> list[Event]:
        """The event records of an annotation made by :meth:`annotate` (see :meth:`extract`)."""
        name = doc_id or annotation.doc.id
        return self._builder.events(annotation, name, stories=stories, inherit=inherit)

    def extract(
        self,
        text_or_document: Source,
        doc_id: str | None = None,
        *,
        mentions: bool = False,
        stories: bool = False,
        inherit: bool = True,
    ) -> list[Event]:
        """The event records of one text, document or file, in document order.

        ``doc_id`` names the document in each record (default: the Document's own id, or
        ``<text>``); ``mentions=True`` adds the mention spans as records too;
        ``stories=True`` gives one record per story of an event type that declares
        `story:` (with the statements in ``Event.mentions``) instead of one per statement;
        ``inherit=False`` keeps each record to what its own statement says (no field taken
        from its story: the convention of statement-level gold such as the seeds').
        """
        doc = self.document(text_or_document, doc_id or "<text>")
        name = doc_id or doc.id
        annotation = annotate(self.compiled, doc)
        events = self._builder.events(annotation, name, stories=stories, inherit=inherit)
        if mentions:
            events = sorted(
                [*events, *self._builder.mentions(annotation, name)],
                key=lambda e: (e.start, e.end, e.type, e.rule),
            )
        return events

    def run(
        self,
        paths: Iterable[PathLike],
        *,
        on_error: Callable[[DocumentError], None] | None = None,
        mentions: bool = False,
        stories: bool = False,
        inherit: bool = True,
        options: ReadOptions | None = None,
        n_process: int = 1,
    ) -> Iterator[Event]:
        """Events of every document under `paths`: text files, directories of them,
        JSON Lines, CSV and Parquet collections, `-` (see :mod:`evx.text.readers`).

        A document that cannot be read or processed raises DocumentError, or, when
        ``on_error`` is given, is reported to it while the other documents go on (one
        left out under ``options.on_decode_error="skip"`` is neither). ``options`` say how
        inputs are found and decoded; ``n_process`` > 1 extracts in worker processes,
        with the same events in the same order; ``mentions``, ``stories`` and ``inherit``
        are those of :meth:`extract`.
        """
        batch = self.outcomes(
            read_inputs(paths, options),
            options=options,
            mentions=mentions,
            stories=stories,
            inherit=inherit,
            n_process=n_process,
        )
        for outcome in batch:
            yield from self._events_of(outcome, on_error)

    def pipe(
        self,
        texts: Iterable[str | bytes | Document],
        *,
        n_process: int = 1,
        batch_size: int = 8,
        mentions: bool = False,
        stories: bool = False,
        inherit: bool = True,
        on_error: Callable[[DocumentError], None] | None = None,
    ) -> Iterator[list[Event]]:
        """The events of each text, bytes or Document, in order: ``extract`` over a stream,
        in ``n_process`` worker processes (spaCy's ``nlp.pipe``).

        Each worker gets the rule set once; ``batch_size`` documents travel together, and
        only a few batches per worker are read ahead of the results. A document that fails
        raises DocumentError in its place, or with ``on_error`` is reported there and
        gives an empty list, so the results stay aligned with the inputs.
        """
        work = (_work_of_text(item) for item in texts)
        state = _BatchState(
            self, mentions, ReadOptions(), MAX_SENTENCE_TOKENS, stories, inherit, provenance=True
        )
        for outcome in ordered_map(
            _process, state, work, processes=n_process, chunk_size=batch_size
        ):
            yield list(self._events_of(outcome, on_error))

    def outcomes(
        self,
        inputs: Iterable[InputDocument],
        *,
        options: ReadOptions | None = None,
        mentions: bool = False,
        stories: bool = False,
        inherit: bool = True,
        provenance: bool = True,
        max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
        max_document_chars: int | None = MAX_DOCUMENT_CHARS,
        n_process: int = 1,
        backend: BackendFactory | None = None,
        batch_size: int = 8,
        read: DocumentReader | None = None,
        texts: bool = False,
    ) -> Iterator[Outcome]:
        """What became of each input document, in order: the driver under ``run``, the
        CLI and Dask. Inputs are read here, lazily; extraction runs in ``n_process``
        worker processes, or on ``backend(func, state)`` (a :class:`~evx.parallel.Backend`
        such as ``evx.integrations.dask.DaskBackend``), each worker given the rules once.
        An outcome's records carry their ``provenance`` unless ``provenance=False``. A
        text longer than ``max_document_chars`` is read in pieces (warning W102); ``read``
        makes the Documents in place of evx's reading, under the same two limits (``evx run
        --spacy``); with ``texts``, each outcome brings its document's text back (a page of
        the run draws its records on it).
        """
        state = _BatchState(
            self,
            mentions,
            options or ReadOptions(),
            max_sentence_tokens,
            stories,
            inherit,
            provenance,
            max_document_chars,
            read,
            texts,
        )
        work = (_work_of_input(item) for item in inputs)
        runner = backend(_process, state) if backend is not None else None
        yield from ordered_map(
            _process, state, work, processes=n_process, backend=runner, chunk_size=batch_size
        )

    def _events_of(
        self, outcome: Outcome, on_error: Callable[[DocumentError], None] | None
    ) -> Iterator[Event]:
        if outcome.skipped:
            return
        error = outcome.error
        if error is not None:
            if on_error is None:
                raise error
            on_error(error)
            return
        for record, merged in zip(outcome.records, outcome.merged, strict=True):
            yield self._event(record, merged)

    def _event(self, record: Record, merged: tuple[str, ...]) -> Event:
        """An Event again from its record (the form records cross processes in)."""
        return Event.from_dict(record, self._builder.classes[record["type"]], merged)


# ------------------------------------------------------------------ batches of documents

_SKIPPABLE = frozenset({"D001", "D002"})  # what --on-decode-error skip leaves out


@attrs.frozen
class Outcome:
    """What became of one document of a batch: its records, or why it has none.

    ``records`` are ``Event.to_dict()`` of its events (``merged`` the rules merged into
    each); ``failure`` is (document, message, code) of its error, and ``skipped`` says it
    was left out under ``on_decode_error="skip"``; ``warnings`` are ready to print;
    ``tokens`` counts its tokens; ``meta`` is its metadata (a collection row's columns);
    ``text`` is the document's text when the batch was asked for texts (else None).
    """

    doc_id: str
    records: tuple[Record, ...] = ()
    merged: tuple[tuple[str, ...], ...] = ()
    failure: tuple[str, str, str] | None = None
    skipped: bool = False
    warnings: tuple[str, ...] = ()
    tokens: int = 0
    meta: Mapping[str, Any] = attrs.field(factory=dict)
    text: str | None = None

    @property
    def error(self) -> DocumentError | None:
        """The document's error, if it failed."""
        if self.failure is None:
            return None
        doc, message, code = self.failure
        return DocumentError(doc, message, code)


@attrs.frozen
class _Work:
    """One document on its way to a worker: what it read as, or why it could not be read."""

    doc_id: str
    payload: Payload | Document | None
    failure: tuple[str, str, str] | None = None
    meta: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class _BatchState:
    """What every worker needs, sent once: the rules and how to read and run."""

    rules: RuleSet
    mentions: bool
    options: ReadOptions
    max_sentence_tokens: int | None
    stories: bool = False
    inherit: bool = True
    provenance: bool = True
    max_document_chars: int | None = MAX_DOCUMENT_CHARS
    read: DocumentReader | None = None
    texts: bool = False  # bring each document's text back in its outcome


BackendFactory = Callable[[Callable[[_BatchState, _Work], Outcome], _BatchState], Backend[Any, Any]]
"""Makes a backend from the worker function and its state (see ``RuleSet.outcomes``)."""


def _work_of_input(item: InputDocument) -> _Work:
    try:
        return _Work(item.id, item.read(), meta=item.meta)
    except DocumentError as exc:
        return _Work(item.id, None, (exc.doc, exc.message, exc.code), item.meta)
    except OSError as exc:
        error = unreadable(item.id, exc)
        return _Work(item.id, None, (error.doc, error.message, error.code), item.meta)


def _work_of_text(item: str | bytes | Document) -> _Work:
    return _Work(item.id if isinstance(item, Document) else "<text>", item)


def _process(state: _BatchState, work: _Work) -> Outcome:
    """One document, start to end; never raises (a bug costs one document, D900)."""
    failure = work.failure
    if failure is None:
        events: list[Event] = []
        warnings: list[str] = []
        tokens = 0
        text: str | None = None
        try:
            payload = work.payload
            assert payload is not None
            read = state.read or load_documents
            pieces = (
                [payload]
                if isinstance(payload, Document)
                else read(
                    payload,
                    work.doc_id,
                    state.options,
                    max_sentence_tokens=state.max_sentence_tokens,
                    max_document_chars=state.max_document_chars,
                )
            )
            for doc in pieces:  # a piece's events all come before the next piece's
                events += state.rules.extract(
                    doc,
                    work.doc_id,
                    mentions=state.mentions,
                    stories=state.stories,
                    inherit=state.inherit,
                )
                warnings += doc.warnings
                tokens += len(doc)
                if state.texts:
                    text = doc.text  # every piece is a Document over the whole text
        except DocumentError as exc:
            failure = (exc.doc, exc.message, exc.code)
        except Exception as exc:
            message = f"internal error ({type(exc).__name__}: {exc}); please report"
            failure = (work.doc_id, message, "D900")
        else:
            return Outcome(
                work.doc_id,
                tuple(e.to_dict(provenance=state.provenance) for e in events),
                tuple(e.merged for e in events),
                warnings=tuple(f"{work.doc_id}: {w}" for w in warnings),
                tokens=tokens,
                meta=work.meta,
                text=text,
            )
    skipped = state.options.on_decode_error == "skip" and failure[2] in _SKIPPABLE
    return Outcome(work.doc_id, failure=failure, skipped=skipped, meta=work.meta)


def load(
    paths: PathLike | Iterable[PathLike],
    *,
    cache_dir: PathLike | None = None,
    allow_outside: Iterable[PathLike] = (),
) -> RuleSet:
    """Load, check and compile rule files and directories (recursed for `.rules`).

    Imports and lexicon files must lie under the directories given (or the directories of
    the files given), or under one of ``allow_outside``. With ``cache_dir``, a rule set
    checked before from the same, unchanged files is taken from there instead of parsed and
    checked again (see :mod:`evx.cache`); a fresh one is stored. Raises RuleSyntaxError at
    the first syntax error, RuleCheckError with every semantic problem found.
    """
    paths = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    outside = list(allow_outside)
    key = [*paths, *(f"--allow-outside={os.fspath(o)}" for o in outside)]
    if cache_dir is not None:
        found = cache.fetch(key, Path(cache_dir), paths)
        if found is not None:
            return _restore(*found)
    loaded = load_rules(paths, outside)
    checked = check(loaded)
    if cache_dir is not None:
        cache.store(key, loaded, checked, Path(cache_dir), paths)
    return RuleSet(compile_rules(checked))


def _restore(checked: CheckedRuleSet, lemmas: dict[str, str]) -> RuleSet:
    """A rule set compiled again from its checked form (unpickling, the compile cache)."""
    LEMMAS.update(lemmas)  # words the lemmatizer already answered: no dictionary to load
    return RuleSet(compile_rules(checked))
