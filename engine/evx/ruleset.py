"""The façade: load rule files once, then extract events from texts, documents and files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from evx import cache
from evx.check import check
from evx.check.result import CheckedRuleSet
from evx.errors import Diagnostic, DocumentError
from evx.lang import ast
from evx.lang.loader import load_rules
from evx.match.compiler import CompiledRuleSet, compile_rules, lemmas_needed
from evx.match.matcher import Annotation, annotate
from evx.records.build import RecordBuilder
from evx.records.events import Event, Fields
from evx.records.jsonschema import records_schema
from evx.records.sinks import Layout
from evx.text.attributes import LEMMAS
from evx.text.document import Document
from evx.text.readers import ReadOptions, load_document, read_inputs

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
    def rule_names(self) -> tuple[str, ...]:
        """Qualified names (`file:rule`) of every rule and mention."""
        return tuple(r.qualified_name for r in self.compiled.rules)

    def layout(self, *, mentions: bool = False, meta: bool = False) -> Layout:
        """The shape of the records a run writes, for table sinks (CSV, Parquet): the
        schemas of the event types (and of the mentions, with ``mentions``), and whether
        records carry ``meta``."""
        schemas = self.compiled.schemas
        labels = self.compiled.checked.label_order
        chosen = [schemas[n] for n in labels if schemas[n].is_event or mentions]
        return Layout(tuple(chosen), meta=meta)

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
                    )
                )
        return out

    # ---------------------------------------------------------------- extraction

    @staticmethod
    def document(text_or_document: str | bytes | Document, doc_id: str = "<text>") -> Document:
        """A Document from text, bytes or a Document (returned as is)."""
        if isinstance(text_or_document, Document):
            return text_or_document
        if isinstance(text_or_document, bytes):
            return Document.from_bytes(text_or_document, doc_id)
        return Document.from_text(text_or_document, doc_id)

    def annotate(
        self, text_or_document: str | bytes | Document, doc_id: str = "<text>"
    ) -> Annotation:
        """Run the matcher only: every kept match of every label, before records are built."""
        return annotate(self.compiled, self.document(text_or_document, doc_id))

    def extract(
        self,
        text_or_document: str | bytes | Document,
        doc_id: str | None = None,
        *,
        mentions: bool = False,
    ) -> list[Event]:
        """The event records of one text or document, in document order.

        ``doc_id`` names the document in each record (default: the Document's own id, or
        ``<text>``); ``mentions=True`` adds the mention spans as records too.
        """
        doc = self.document(text_or_document, doc_id or "<text>")
        name = doc_id or doc.id
        annotation = annotate(self.compiled, doc)
        events = self._builder.events(annotation, name)
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
        options: ReadOptions | None = None,
    ) -> Iterator[Event]:
        """Events of every document under `paths`: text files, directories of them,
        JSON Lines, CSV and Parquet collections, `-` (see :mod:`evx.text.readers`).

        A document that cannot be read or processed raises DocumentError, or, when
        ``on_error`` is given, is reported to it while the other documents go on.
        """
        for item in read_inputs(paths, options):
            try:
                try:
                    data = item.read()
                except OSError as exc:
                    raise DocumentError(
                        item.id, f"cannot read: {exc.strerror or exc}", "D004"
                    ) from None
                doc = load_document(data, item.id, options)
                events = self.extract(doc, item.id, mentions=mentions)
            except DocumentError as exc:
                if on_error is None:
                    raise
                on_error(exc)
                continue
            yield from events


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
