"""Build the records of an annotated document: fields from captures and `set:`, `resolve:`
antecedents, `merge:` of records about one source, stories, and the provenance of each.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence

import attrs

from evx.check.schema import FieldType, Schema
from evx.match.compiler import CompiledRuleSet, FieldPlan
from evx.match.expressions import Defaulted, as_int
from evx.match.matcher import Annotation, Hit
from evx.match.scope import MatchScope
from evx.records.events import Arg, ArgValue, Event, Fields, FieldSource, make_fields_class
from evx.records.stories import collapse, fill, group
from evx.text.document import Document


def _coerce(value: object, ftype: FieldType) -> object:
    """Fit a computed value to its field type; what cannot fit becomes null."""
    if ftype.kind == "list":
        items = value if isinstance(value, list | tuple) else ([] if value is None else [value])
        assert ftype.elem is not None
        coerced = [_coerce(v, ftype.elem) for v in items]
        out: list[object] = []
        for item in coerced:
            if item is not None and item not in out:
                out.append(item)
        return tuple(out)
    if value is None:
        return None
    if ftype.kind == "str":
        return value if isinstance(value, str) else str(value)
    if ftype.kind == "int":
        return as_int(value)
    if ftype.kind == "bool":
        return value if isinstance(value, bool) else None
    if ftype.kind == "enum":
        return value if isinstance(value, str) and value in ftype.members else None
    return value


def field_value(
    plan: FieldPlan, scope: MatchScope
) -> tuple[object, str | None, tuple[int, int] | None]:
    """A field's value: its capture when that matched, else the first `set:` that applies;
    with how it got it (``stated``, ``defaulted``, None when it has none) and the token span
    of the capture that gave it (None: the record's own span)."""
    if plan.capture is not None:
        spans = scope.spans(plan.capture)
        if spans:
            if plan.type.kind == "list":
                value = _coerce(scope.values(plan.capture), plan.type)
            else:
                value = _coerce(scope.value(plan.capture), plan.type)
            if value is not None and value != ():
                return _plain(value), "stated", (spans[0][0], spans[-1][1])
            return value, None, None
    for cond, evaluate in plan.assignments:
        if cond is not None and not cond(scope):
            continue
        value = _coerce(evaluate(scope), plan.type)
        if value is not None and value != ():
            how = "defaulted" if isinstance(value, Defaulted) else "stated"
            return _plain(value), how, None
    return (() if plan.type.kind == "list" else None), None, None


def _plain(value: object) -> object:
    """The value without its `Defaulted` mark (records hold plain values)."""
    if isinstance(value, Defaulted):
        return str.__str__(value)
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


class FieldClasses(dict[str, type[Fields]]):
    """The attrs field class of each label, made the first time it is asked for: making
    a class costs milliseconds, and a rule set has one per mention too."""

    def __init__(self, schemas: Mapping[str, Schema]) -> None:
        super().__init__()
        self.schemas = schemas

    def __missing__(self, label: str) -> type[Fields]:
        cls = self[label] = make_fields_class(self.schemas[label])
        return cls


class RecordBuilder:
    """Builds the event records of documents for one compiled rule set."""

    def __init__(self, compiled: CompiledRuleSet) -> None:
        self.compiled = compiled
        self.classes = FieldClasses(compiled.schemas)

    def events(
        self, annotation: Annotation, doc_id: str, *, stories: bool = False, inherit: bool = True
    ) -> list[Event]:
        """Every event record of one annotated document, merged, filled from its story
        (unless ``inherit`` is false) and in document order; with ``stories``, one record
        per story instead."""
        out: list[Event] = []
        for label in self.compiled.checked.label_order:
            schema = self.compiled.schemas[label]
            if not schema.is_event:
                continue
            records: list[Event] = []
            for hit in annotation.hits.get(label, ()):
                records.extend(self._records(annotation, hit, schema, doc_id))
            if schema.merge is not None:
                records = _merge(records, schema.merge, annotation, self.classes[label])
            if schema.story is not None and records:
                records.sort(key=_order)
                groups = group(records, schema.story)
                if inherit:
                    fill(records, groups, schema.inherit)
                if stories:
                    records = [
                        collapse(
                            [records[i] for i in members],
                            self.classes[label],
                            lambda g: (g[0].start, g[0].end, g[0].text, g[0].sentence),
                            story=True,
                        )
                        for members in groups
                    ]
            out.extend(records)
        out.sort(key=_order)
        return out

    def mentions(self, annotation: Annotation, doc_id: str) -> list[Event]:
        """The mention spans of a document as records (type = mention name, one `value`)."""
        out: list[Event] = []
        for label, hits in annotation.hits.items():
            schema = self.compiled.schemas[label]
            if schema.is_event:
                continue
            cls = self.classes[label]
            ftype = schema.fields[0][1]
            for hit in hits:
                fields = cls(**{"value": _coerce(hit.value, ftype)})
                out.append(self._record(annotation, hit, label, fields, {}, doc_id, []))
        out.sort(key=lambda e: (e.start, e.end, e.type, e.rule))
        return out

    def _records(
        self, annotation: Annotation, hit: Hit, schema: Schema, doc_id: str
    ) -> Iterable[Event]:
        doc = annotation.doc
        sentence = doc.sentences[hit.sentence]
        base = MatchScope(annotation.ctx, hit.rule, hit.match, sentence)
        for overrides in _resolutions(annotation, hit, base):
            scope = MatchScope(annotation.ctx, hit.rule, hit.match, sentence, overrides)
            values: dict[str, object] = {}
            stated: dict[str, tuple[str, tuple[int, int] | None]] = {}
            for plan in hit.rule.fields:
                value, how, span = field_value(plan, scope)
                values[plan.name] = value
                if how is not None:
                    stated[plan.name] = (how, span)
            fields = self.classes[schema.name](**values)
            args: dict[str, ArgValue] = {}
            extra: list[tuple[int, int]] = []
            for name in hit.rule.captures:
                spans = scope.spans(name)
                if not spans:
                    continue
                as_args = tuple(_arg(annotation, s, e) for s, e in spans)
                ftype = schema.field(name)
                args[name] = as_args if ftype is not None and ftype.kind == "list" else as_args[-1]
                extra.extend(spans)
            record = self._record(annotation, hit, schema.name, fields, args, doc_id, extra)
            rule = record.rule
            provenance = {
                name: FieldSource(
                    how, rule, *(doc.char_span(*span) if span else (record.start, record.end))
                )
                for name, (how, span) in stated.items()
            }
            yield attrs.evolve(record, provenance=provenance)

    def _record(
        self,
        annotation: Annotation,
        hit: Hit,
        type_name: str,
        fields: Fields,
        args: dict[str, ArgValue],
        doc_id: str,
        spans: list[tuple[int, int]],
    ) -> Event:
        doc = annotation.doc
        token_start = min([hit.start, *(s for s, _ in spans)])
        token_end = max([hit.end, *(e for _, e in spans)])
        start, end = doc.char_span(token_start, token_end)
        first = doc.sentence_of[token_start]
        last = doc.sentence_of[token_end - 1]
        sent_start = doc.sentence_char_span(first)[0]
        sent_end = doc.sentence_char_span(last)[1]
        return Event(
            type=type_name,
            doc=doc_id,
            rule=hit.rule.qualified_name,
            start=start,
            end=end,
            text=annotation.text(start, end),
            sentence=annotation.text(sent_start, sent_end),
            fields=fields,
            args=args,
        )


def _arg(annotation: Annotation, start: int, end: int) -> Arg:
    doc = annotation.doc
    cstart, cend = doc.char_span(start, end)
    return Arg(cstart, cend, annotation.text(cstart, cend))


def _resolutions(
    annotation: Annotation, hit: Hit, scope: MatchScope
) -> list[dict[str, list[tuple[int, int]]]]:
    """One override set per record: a `resolve:` with N antecedents gives N records."""
    results: list[dict[str, list[tuple[int, int]]]] = [{}]
    for resolve in hit.rule.resolves:
        spans = scope.spans(resolve.capture)
        if not spans:
            continue
        found = nearest_spans(annotation, resolve.label, spans[0][0], resolve.sentences)
        found = found[: resolve.count]
        if not found:
            return []  # an anaphor with nothing to refer to says nothing about whom
        results = [{**r, resolve.capture: [span]} for r in results for span in found]
    return results


def nearest_spans(
    annotation: Annotation, label: str, before: int, sentences: int
) -> list[tuple[int, int]]:
    """Spans of `label` ending at or before token `before`, nearest first, within the
    current sentence and the `sentences` sentences before it."""
    table = annotation.ctx.labels.get(label)
    if table is None:
        return []
    doc = annotation.doc
    current = doc.sentence_of[before] if before < len(doc) else len(doc.sentences) - 1
    floor = doc.sentences[max(0, current - sentences)][0]
    found: list[tuple[int, int]] = []
    for end in range(before, floor, -1):
        for start in table.by_end.get(end, ()):
            if start >= floor:
                found.append((start, end))
    return found


def _order(event: Event) -> tuple[int, int, str, str]:
    return (event.start, event.end, event.type, event.rule)


def _merge(
    records: list[Event], key_field: str, annotation: Annotation, cls: type[Fields]
) -> list[Event]:
    """Merge records whose `key_field` argument is the same span (the same source, say):
    a story whose key is that span, made one record covering all of them."""
    groups: dict[tuple[int, int], list[Event]] = {}
    out: list[Event] = []
    for record in records:
        arg = record.args.get(key_field)
        if isinstance(arg, Arg):
            groups.setdefault((arg.start, arg.end), []).append(record)
        else:
            out.append(record)
    doc = annotation.doc

    def covering(group: Sequence[Event]) -> tuple[int, int, str, str]:
        start = min(e.start for e in group)
        end = max(e.end for e in group)
        first = min(doc.sentence_char_span(_sentence_at(doc, e.start))[0] for e in group)
        last = max(doc.sentence_char_span(_sentence_at(doc, e.end - 1))[1] for e in group)
        return start, end, annotation.text(start, end), annotation.text(first, last)

    for members in groups.values():
        if len(members) == 1:
            out.append(members[0])
            continue
        members.sort(key=lambda e: (e.start, e.end))
        out.append(collapse(members, cls, covering, story=False))
    return out


def _sentence_at(doc: Document, char: int) -> int:
    """The sentence holding a character offset (by its token)."""
    token = max(0, bisect_right(doc.starts, char) - 1)
    return int(doc.sentence_of[token])
