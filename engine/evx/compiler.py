"""Compile a checked rule set into programs, prefilter keys and field plans the matcher runs.

Patterns become automata (``automaton``); token tests become predicates over the
document's columns; lexicons become tries; every rule gets the literal keys any match must
contain (its prefilter) and the keys a match can start with; `set:` expressions, classifiers
and windows become small closures evaluated against a match (see ``Scope``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import attrs

from evx import ast
from evx.automaton import Builder, Guard, Program, SpanContext, TokenPredicate
from evx.checker import (
    BASE_ATTRS,
    CheckedRule,
    CheckedRuleSet,
    nullable,
    regex_flags,
    value_sources,
)
from evx.lemmas import LEMMAS, LOWER
from evx.normalize import NORMALIZERS
from evx.schema import FieldType, Schema
from evx.tokenizer import tokenize

if TYPE_CHECKING:
    from evx.document import Document

Key = tuple[str, str]
"""A prefilter key: ("w", lower form), ("l", lemma) or ("@", label)."""

BOS = Guard("bos")
EOS = Guard("eos")


_CLITIC = re.compile(r"^['’][^\W\d_]+$")


def words_of(text: str) -> list[str]:
    """Split rule-file text into tokens exactly as documents are split.

    A clitic written on its own ("'s", "’re") is the token it is in a document, where it
    follows a word; tokenized alone it would come apart.
    """
    words: list[str] = []
    for chunk in text.split():
        if _CLITIC.match(chunk):
            words.append(chunk)
        else:
            words.extend(chunk[s:e] for s, e in tokenize(chunk))
    return words


# ---------------------------------------------------------------- lexicons


class _Trie:
    __slots__ = ("by_lemma", "by_lower", "terminal", "value")

    def __init__(self) -> None:
        self.by_lower: dict[str, _Trie] = {}
        self.by_lemma: dict[str, _Trie] = {}
        self.terminal = False
        self.value: str | None = None

    def child(self, lemma: bool, key: str) -> _Trie:
        table = self.by_lemma if lemma else self.by_lower
        node = table.get(key)
        if node is None:
            node = table[key] = _Trie()
        return node


@attrs.frozen
class LexWordKey:
    """How one word of an entry is matched: by lemma (and lower form) or by lower form only."""

    lower: str
    lemma: str | None


def entry_keys(entry: ast.LexEntry) -> list[LexWordKey]:
    """The per-token match keys of a lexicon entry (quoted words may be several tokens)."""
    keys: list[LexWordKey] = []
    for word in entry.words:
        if word.exact:
            keys.extend(LexWordKey(LOWER[w], None) for w in words_of(word.text))
        else:
            lower = LOWER[word.text]
            keys.append(LexWordKey(lower, LEMMAS[lower]))
    return keys


class CompiledLexicon:
    """A lexicon as tries (forward and backward) for phrase matching, and sets for token tests."""

    def __init__(self, name: str, entries: Sequence[ast.LexEntry]) -> None:
        self.name = name
        self.forward = _Trie()
        self.backward = _Trie()
        self.entries = tuple(entries)
        self.single_word = True
        self.has_values = any(e.value is not None for e in entries)
        self.first_keys: set[Key] = set()
        for entry in entries:
            keys = entry_keys(entry)
            if not keys:
                continue
            if len(keys) > 1:
                self.single_word = False
            for trie, seq in ((self.forward, keys), (self.backward, keys[::-1])):
                node = trie
                for key in seq:
                    if key.lemma is not None:
                        child = node.child(True, key.lemma)
                        # a bare word also matches its own lower form ("left" lemmatises oddly)
                        node.by_lower.setdefault(key.lower, child)
                        node = child
                    else:
                        node = node.child(False, key.lower)
                if not node.terminal:
                    node.terminal = True
                    node.value = entry.value
            first = keys[0]
            self.first_keys.add(("w", first.lower))
            if first.lemma is not None:
                self.first_keys.add(("l", first.lemma))

    def _walk(self, doc: Document, trie: _Trie, pos: int, step: int, limit: int) -> list[int]:
        lower, lemma = doc.lower, doc.lemma
        found: list[int] = []
        frontier = [trie]
        i = pos
        while frontier:
            j = i if step > 0 else i - 1
            if (step > 0 and j >= limit) or (step < 0 and j < limit):
                break
            nxt: list[_Trie] = []
            for node in frontier:
                by_lower = node.by_lower.get(lower[j])
                if by_lower is not None:
                    nxt.append(by_lower)
                by_lemma = node.by_lemma.get(lemma[j])
                if by_lemma is not None and by_lemma is not by_lower:
                    nxt.append(by_lemma)
            i += step
            if any(n.terminal for n in nxt):
                found.append(i)
            frontier = nxt
        found.reverse()  # longest first
        return found

    def ends(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        doc, root = ctx.doc, self.forward
        # most tokens start no entry: answer those without walking the trie
        if pos >= limit or (
            doc.lower[pos] not in root.by_lower and doc.lemma[pos] not in root.by_lemma
        ):
            return ()
        return self._walk(doc, root, pos, 1, limit)

    def starts(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        doc, root = ctx.doc, self.backward
        if pos <= limit or (
            doc.lower[pos - 1] not in root.by_lower and doc.lemma[pos - 1] not in root.by_lemma
        ):
            return ()
        return self._walk(doc, root, pos, -1, limit)

    def value_at(self, doc: Document, start: int, end: int) -> str | None:
        """The canonical value of the entry matching exactly tokens [start, end), if any."""
        lower, lemma = doc.lower, doc.lemma
        frontier = [self.forward]
        for j in range(start, end):
            nxt: list[_Trie] = []
            for node in frontier:
                for child in (node.by_lower.get(lower[j]), node.by_lemma.get(lemma[j])):
                    if child is not None and child not in nxt:
                        nxt.append(child)
            frontier = nxt
        for node in frontier:
            if node.terminal and node.value is not None:
                return node.value
        return None

    def word_set(self, attr: str) -> frozenset[str]:
        """The single-word entries as values of one token attribute, for `[attr in lexicon]`."""
        out: set[str] = set()
        for entry in self.entries:
            for word in entry.words:
                if attr == "lemma" and not word.exact:
                    lower = LOWER[word.text]
                    out.add(LEMMAS[lower])
                elif attr in ("lower", "lemma"):
                    out.add(LOWER[word.text])
                else:
                    out.add(word.text)
        return frozenset(out)


class LabelSource:
    """The spans of one label (`@Name`), read from the document's label tables."""

    def __init__(self, label: str) -> None:
        self.label = label

    def ends(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        return ctx.label_ends(self.label, pos, limit)

    def starts(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        return ctx.label_starts(self.label, pos, limit)


# ---------------------------------------------------------------- token tests


def _column_getter(attr: str) -> Callable[[Document], Sequence[str]]:
    if attr == "text":
        return lambda d: d.words
    if attr == "lower":
        return lambda d: d.lower
    if attr == "lemma":
        return lambda d: d.lemma
    if attr == "shape":
        return lambda d: d.shape
    return lambda d: d.column(attr)  # type: ignore[return-value]


def _eq_values(attr: str, value: str) -> frozenset[str]:
    if attr == "lower":
        return frozenset({LOWER[value]})
    if attr == "lemma":
        lower = LOWER[value]
        return frozenset({lower, LEMMAS[lower]})
    return frozenset({value})


def compile_test(test: ast.TokenTest, lexicons: dict[str, CompiledLexicon]) -> TokenPredicate:
    """A predicate `(doc, i) -> bool` for one token test."""
    if isinstance(test, ast.TokEq):
        values = _eq_values(test.attr, test.value)
        pred = _in_predicate(test.attr, values)
        return _negated(pred) if test.negate else pred
    if isinstance(test, ast.TokRegex):
        rx = re.compile(test.pattern, regex_flags(test.flags))
        get = _column_getter(test.attr)
        search = rx.search

        # a regex gives the same answer for the same word: remember it (bounded, as the
        # vocabulary of a long run is open)
        seen: dict[str, bool] = {}

        def regex_pred(d: Document, i: int) -> bool:
            word = get(d)[i]
            found = seen.get(word)
            if found is None:
                if len(seen) > 100_000:
                    seen.clear()
                found = seen[word] = search(word) is not None
            return found

        return _negated(regex_pred) if test.negate else regex_pred
    if isinstance(test, ast.TokIn):
        return _in_predicate(test.attr, _in_values(test, lexicons))
    if isinstance(test, ast.TokFlag):
        flag = test.name
        return lambda d, i: bool(d.column(flag)[i])
    if isinstance(test, ast.TokNot):
        return _negated(compile_test(test.operand, lexicons))
    parts = [compile_test(t, lexicons) for t in test.operands]
    if isinstance(test, ast.TokAnd):
        return lambda d, i: all(p(d, i) for p in parts)
    return lambda d, i: any(p(d, i) for p in parts)


def _in_values(test: ast.TokIn, lexicons: dict[str, CompiledLexicon]) -> frozenset[str]:
    """The values `[attr in lexicon]` (or an inline set) accepts for its attribute."""
    if test.lexicon is not None:
        return lexicons[test.lexicon].word_set(test.attr)
    return CompiledLexicon("<inline>", test.entries).word_set(test.attr)


def _negated(pred: TokenPredicate) -> TokenPredicate:
    return lambda d, i: not pred(d, i)


def _in_predicate(attr: str, values: frozenset[str]) -> TokenPredicate:
    # the common attributes get their own closures: no column dispatch in the hot path
    if len(values) == 1:
        (only,) = values
        if attr == "lower":
            return lambda d, i: d.lower[i] == only
        if attr == "text":
            return lambda d, i: d.words[i] == only
    if attr == "lower":
        return lambda d, i: d.lower[i] in values
    if attr == "lemma":
        return lambda d, i: d.lemma[i] in values or d.lower[i] in values
    if attr == "text":
        return lambda d, i: d.words[i] in values
    if attr == "shape":
        return lambda d, i: d.shape[i] in values
    return lambda d, i: d.column(attr)[i] in values


def test_keys(test: ast.TokenTest | None, lexicons: dict[str, CompiledLexicon]) -> set[Key] | None:
    """Keys one of which every token passing the test has; None when the test has no such keys."""
    if test is None:
        return None
    if isinstance(test, ast.TokEq) and not test.negate:
        return _attr_keys(test.attr, _eq_values(test.attr, test.value))
    if isinstance(test, ast.TokIn):
        return _attr_keys(test.attr, _in_values(test, lexicons))
    if isinstance(test, ast.TokAnd):
        options = [k for k in (test_keys(t, lexicons) for t in test.operands) if k is not None]
        return min(options, key=len) if options else None
    if isinstance(test, ast.TokOr):
        union: set[Key] = set()
        for operand in test.operands:
            keys = test_keys(operand, lexicons)
            if keys is None:
                return None
            union |= keys
        return union
    return None


def _attr_keys(attr: str, values: frozenset[str]) -> set[Key] | None:
    if attr == "lower":
        return {("w", v) for v in values}
    if attr == "lemma":
        return {("l", v) for v in values} | {("w", v) for v in values}
    if attr == "text":
        return {("w", LOWER[v]) for v in values}
    return None


# ---------------------------------------------------------------- patterns


class PatternCompiler:
    """Turns pattern ASTs into programs, sharing compiled lexicons and label sources."""

    def __init__(
        self, lexicons: dict[str, CompiledLexicon], sources: dict[str, str] | None = None
    ) -> None:
        self.lexicons = lexicons
        self.labels: dict[str, LabelSource] = {}
        self.inline: dict[int, CompiledLexicon] = {}
        self.sources = sources or {}

    def _snippet(self, node: ast.TokenPat | ast.InlineLexicon) -> str:
        """The text a node was written as, for explanations."""
        pos = node.pos
        lines = self.sources.get(pos.file, "").splitlines()
        if pos.line == pos.end_line and 0 < pos.line <= len(lines):
            return lines[pos.line - 1][pos.column - 1 : pos.end_column - 1]
        return "[...]" if isinstance(node, ast.TokenPat) else "{...}"

    def lexicon_for(self, node: ast.LexiconRef | ast.InlineLexicon) -> CompiledLexicon:
        if isinstance(node, ast.LexiconRef):
            return self.lexicons[node.name]
        found = self.inline.get(id(node))
        if found is None:
            found = self.inline[id(node)] = CompiledLexicon("<inline>", node.entries)
        return found

    def label(self, name: str) -> LabelSource:
        source = self.labels.get(name)
        if source is None:
            source = self.labels[name] = LabelSource(name)
        return source

    def program(self, pattern: ast.Pattern, forward: bool = True) -> Program:
        builder = Builder()
        start = self._build(builder, pattern, builder.accept, forward)
        return builder.finish(start, forward=forward)

    def _build(self, b: Builder, p: ast.Pattern, cont: int, fwd: bool) -> int:
        if isinstance(p, ast.Literal):
            words = [LOWER[w] for w in words_of(p.text)]
            for word in words if not fwd else reversed(words):
                cont = b.test(_in_predicate("lower", frozenset({word})), cont, f'"{word}"')
            return cont
        if isinstance(p, ast.TokenPat):
            pred = compile_test(p.test, self.lexicons) if p.test is not None else None
            return b.test(pred, cont, self._snippet(p) if p.test is not None else "[]")
        if isinstance(p, ast.MentionRef):
            return b.span(self.label(p.name), cont, f"@{p.name}")
        if isinstance(p, ast.LexiconRef | ast.InlineLexicon):
            lexicon = self.lexicon_for(p)
            note = p.name if isinstance(p, ast.LexiconRef) else self._snippet(p)
            if lexicon.single_word:
                return b.test(_lexicon_token_predicate(lexicon), cont, note)
            return b.span(lexicon, cont, note)
        if isinstance(p, ast.Seq):
            items = reversed(p.items) if fwd else iter(p.items)
            for item in items:
                cont = self._build(b, item, cont, fwd)
            return cont
        if isinstance(p, ast.Alt):
            return b.split([self._build(b, o, cont, fwd) for o in p.options])
        if isinstance(p, ast.Repeat):
            return self._repeat(b, p, cont, fwd)
        if isinstance(p, ast.Capture):
            index = b.capture_index(p.name)
            closing = b.tag(index, True, cont) if fwd else b.tag(index, False, cont)
            body = self._build(b, p.body, closing, fwd)
            return b.tag(index, False, body) if fwd else b.tag(index, True, body)
        if isinstance(p, ast.Look):
            sub = self.program(p.body, forward=p.ahead)
            return b.guard(Guard("look", prog=sub, negate=p.negate), cont)
        assert isinstance(p, ast.Anchor)
        return b.guard(BOS if p.start else EOS, cont)

    def _repeat(self, b: Builder, p: ast.Repeat, cont: int, fwd: bool) -> int:
        after = cont
        if p.max is None:
            loop = b.placeholder()
            body = self._build(b, p.body, loop, fwd)
            b.set_outs(loop, [cont, body] if p.lazy else [body, cont])
            after = loop
        else:
            for _ in range(p.max - p.min):
                body = self._build(b, p.body, after, fwd)
                after = b.split([cont, body] if p.lazy else [body, cont])
        for _ in range(p.min):
            after = self._build(b, p.body, after, fwd)
        return after

    # ---------------------------------------------------------------- keys

    def required_keys(self, p: ast.Pattern) -> set[Key] | None:
        """Keys one of which must occur in any text the pattern matches (None: no such set)."""
        if isinstance(p, ast.Literal):
            words = [LOWER[w] for w in words_of(p.text)]
            best = max(words, key=len)
            return {("w", best)}
        if isinstance(p, ast.TokenPat):
            return test_keys(p.test, self.lexicons)
        if isinstance(p, ast.MentionRef):
            return {("@", p.name)}
        if isinstance(p, ast.LexiconRef | ast.InlineLexicon):
            return set(self.lexicon_for(p).first_keys) or None
        if isinstance(p, ast.Seq):
            options = [k for k in (self.required_keys(i) for i in p.items) if k is not None]
            if not options:
                return None
            return min(options, key=_selectivity)
        if isinstance(p, ast.Alt):
            union: set[Key] = set()
            for option in p.options:
                keys = self.required_keys(option)
                if keys is None:
                    return None
                union |= keys
            return union
        if isinstance(p, ast.Repeat):
            return self.required_keys(p.body) if p.min > 0 else None
        if isinstance(p, ast.Capture):
            return self.required_keys(p.body)
        return None

    def first_keys(self, p: ast.Pattern) -> set[Key] | None:
        """Keys one of which the first token of any match has (None: could be any token)."""
        if isinstance(p, ast.Literal):
            return {("w", LOWER[words_of(p.text)[0]])}
        if isinstance(p, ast.Seq):
            union: set[Key] = set()
            for item in p.items:
                if isinstance(item, ast.Look | ast.Anchor):
                    continue
                keys = self.first_keys(item)
                if keys is None:
                    return None
                union |= keys
                if not nullable(item):
                    return union
            return None
        if isinstance(p, ast.Alt):
            union = set()
            for option in p.options:
                keys = self.first_keys(option)
                if keys is None:
                    return None
                union |= keys
            return union
        if isinstance(p, ast.Repeat | ast.Capture):
            return self.first_keys(p.body)
        if isinstance(p, ast.Look | ast.Anchor):
            return None
        return self.required_keys(p)


def _selectivity(keys: set[Key]) -> tuple[int, int]:
    # labels are sparse; then fewer keys, then longer words, select fewer sentences
    labels = sum(1 for kind, _ in keys if kind == "@")
    return (0 if labels == len(keys) else 1, len(keys) * 100 - min(len(v) for _, v in keys))


def _lexicon_token_predicate(lexicon: CompiledLexicon) -> TokenPredicate:
    by_lower = frozenset(lexicon.forward.by_lower)
    by_lemma = frozenset(lexicon.forward.by_lemma)
    return lambda d, i: d.lower[i] in by_lower or d.lemma[i] in by_lemma


# ---------------------------------------------------------------- rules


class Scope(Protocol):
    """What compiled expressions may ask of a match (implemented by ``events``)."""

    def spans(self, capture: str) -> list[tuple[int, int]]: ...

    def value(self, capture: str) -> object: ...

    def values(self, capture: str) -> list[object]: ...

    def text(self, capture: str) -> str | None: ...

    def windows(self, kind: str, capture: str, size: int) -> list[tuple[int, int]]: ...

    def has(self, prog: Program, window: tuple[int, int]) -> bool: ...

    def label_values(self, label: str, window: tuple[int, int]) -> list[object]: ...

    def doc_date(self) -> datetime.date | None: ...


Evaluator = Callable[[Scope], object]
Condition = Callable[[Scope], bool]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_as_text(v) for v in value)
    return str(value)


@attrs.frozen(eq=False)
class FieldPlan:
    """How one field gets its value: its capture first, then the first `set:` that applies."""

    name: str
    type: FieldType
    capture: str | None
    assignments: tuple[tuple[Condition | None, Evaluator], ...]


@attrs.frozen(eq=False)
class CaptureValuer:
    """How a capture's spans turn into values: the value of a mention with exactly that span,
    else a lexicon entry's canonical value, else the text."""

    labels: tuple[str, ...] = ()
    lexicons: tuple[CompiledLexicon, ...] = ()


@attrs.frozen(eq=False)
class CompiledRule:
    """One rule ready to run: its program, its prefilter and how its record is filled."""

    checked: CheckedRule
    label: str
    program: Program
    required: frozenset[Key] | None
    first: frozenset[Key] | None
    valuers: dict[str, CaptureValuer]
    fields: tuple[FieldPlan, ...]
    value: Evaluator | None  # mentions: their value
    resolves: tuple[ast.Resolve, ...]
    where: Condition | None = None  # a match is kept only when this holds
    qualified_name: str = ""  # file:rule, computed once (records and counts use it a lot)

    @property
    def name(self) -> str:
        return self.checked.rule.name


@attrs.frozen(eq=False)
class CompiledRuleSet:
    """Everything the matcher needs: rules by stage, the prefilter index and the schemas."""

    checked: CheckedRuleSet
    rules: tuple[CompiledRule, ...]
    stages: tuple[tuple[str, tuple[int, ...]], ...]  # (label, indexes of its rules)
    key_index: dict[Key, tuple[int, ...]]
    unkeyed: frozenset[int]
    schemas: dict[str, Schema]
    needed_attrs: dict[str, tuple[str, ...]]  # optional attribute -> rules that use it


def compile_rules(checked: CheckedRuleSet) -> CompiledRuleSet:
    """Compile every checked rule and build the prefilter index."""
    lexicons = {name: CompiledLexicon(name, lex.entries) for name, lex in checked.lexicons.items()}
    patterns = PatternCompiler(lexicons, checked.sources)
    exprs = _ExprCompiler(patterns, checked)
    rules: list[CompiledRule] = []
    for crule in checked.rules:
        rules.append(_compile_rule(crule, checked, patterns, exprs))
    by_label: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        by_label.setdefault(rule.label, []).append(i)
    stages = tuple(
        (label, tuple(by_label[label])) for label in checked.label_order if label in by_label
    )
    key_index: dict[Key, list[int]] = {}
    unkeyed: set[int] = set()
    for i, rule in enumerate(rules):
        if rule.required is None:
            unkeyed.add(i)
            continue
        for key in rule.required:
            key_index.setdefault(key, []).append(i)
    needed: dict[str, list[str]] = {}
    for rule in rules:
        for attr in _attrs_used(rule.checked.rule):
            if attr not in BASE_ATTRS:
                needed.setdefault(attr, []).append(rule.qualified_name)
    return CompiledRuleSet(
        checked=checked,
        rules=tuple(rules),
        stages=stages,
        key_index={k: tuple(v) for k, v in key_index.items()},
        unkeyed=frozenset(unkeyed),
        schemas=checked.schemas,
        needed_attrs={k: tuple(v) for k, v in needed.items()},
    )


def _attrs_used(rule: ast.RuleDef) -> set[str]:
    used: set[str] = set()
    if rule.match is None:
        return used
    for node in ast.walk_pattern(rule.match):
        if isinstance(node, ast.TokenPat) and node.test is not None:
            for test in ast.walk_tests(node.test):
                if isinstance(test, ast.TokEq | ast.TokRegex | ast.TokIn):
                    used.add(test.attr)
    return used


def _compile_rule(
    crule: CheckedRule,
    checked: CheckedRuleSet,
    patterns: PatternCompiler,
    exprs: _ExprCompiler,
) -> CompiledRule:
    rule = crule.rule
    assert rule.match is not None
    schema = checked.schemas[rule.target]
    program = patterns.program(rule.match)
    required = patterns.required_keys(rule.match)
    first = patterns.first_keys(rule.match)
    valuers: dict[str, CaptureValuer] = {}

    def valuer(body: ast.Pattern) -> CaptureValuer:
        labels: list[str] = []
        lexicons: list[CompiledLexicon] = []
        for inner in value_sources(body):
            if isinstance(inner, ast.MentionRef) and not checked.schemas[inner.name].is_event:
                labels.append(inner.name)
            elif isinstance(inner, ast.LexiconRef | ast.InlineLexicon):
                lexicon = patterns.lexicon_for(inner)
                if lexicon.has_values:
                    lexicons.append(lexicon)
        return CaptureValuer(labels=tuple(labels), lexicons=tuple(lexicons))

    valuers["match"] = valuer(rule.match)
    for node in ast.walk_pattern(rule.match):
        if isinstance(node, ast.Capture) and node.name not in valuers:
            valuers[node.name] = valuer(node.body)
    fields: list[FieldPlan] = []
    value: Evaluator | None = None
    bind = {name: name for name, _ in crule.capture_types}
    if schema.is_event:
        for name, ftype in schema.fields:
            capture = name if crule.capture_type(name) is not None else None
            assignments = tuple(
                (
                    exprs.condition(a.cond, bind) if a.cond is not None else None,
                    exprs.expr(a.expr, bind),
                )
                for a in rule.sets
                if a.field == name
            )
            fields.append(FieldPlan(name, ftype, capture, assignments))
    else:
        value = _mention_value(rule, exprs, bind)
    return CompiledRule(
        checked=crule,
        label=rule.target,
        program=program,
        required=frozenset(required) if required is not None else None,
        first=frozenset(first) if first is not None else None,
        valuers=valuers,
        fields=tuple(fields),
        value=value,
        resolves=rule.resolves,
        where=exprs.condition(rule.where, bind) if rule.where is not None else None,
        qualified_name=crule.qualified_name,
    )


def _mention_value(rule: ast.RuleDef, exprs: _ExprCompiler, bind: dict[str, str]) -> Evaluator:
    if rule.value is not None:
        return exprs.expr(rule.value, bind)
    # without `value:`, a mention is worth what it wraps (a label's value, a lexicon's
    # canonical form) or else its text: see the "match" valuer in _compile_rule
    return lambda scope: scope.value("match")


class _ExprCompiler:
    """Compiles `set:` expressions, conditions and classifier calls into closures."""

    def __init__(self, patterns: PatternCompiler, checked: CheckedRuleSet) -> None:
        self.patterns = patterns
        self.checked = checked
        self.programs: dict[int, Program] = {}

    def _program(self, pattern: ast.Pattern) -> Program:
        found = self.programs.get(id(pattern))
        if found is None:
            found = self.programs[id(pattern)] = self.patterns.program(pattern)
        return found

    def expr(self, expr: ast.Expr, bind: dict[str, str]) -> Evaluator:
        """`bind` maps the names that are captures here to the captures they read (a
        classifier's parameter maps to the capture it was called with)."""
        if isinstance(expr, ast.Lit):
            constant = list(expr.value) if isinstance(expr.value, tuple) else expr.value
            return lambda scope: constant
        if isinstance(expr, ast.Ref):
            if expr.name in bind or expr.name == "match":
                name = bind.get(expr.name, expr.name)
                return lambda scope: scope.value(name)
            member = expr.name  # the checker made sure it is an enum member of the field
            return lambda scope: member
        if isinstance(expr, ast.LabelArg):
            return lambda scope: None  # only meaningful inside collect(), checked
        func = expr.func
        if func == "join":
            parts = [self.expr(a, bind) for a in expr.args]

            def join(scope: Scope) -> object:
                words = [_as_text(p(scope)) for p in parts]
                text = " ".join(w for w in words if w)
                return text or None

            return join
        if func in ("collect", "find"):
            label, window = expr.args
            assert isinstance(label, ast.LabelArg) and isinstance(window, ast.Call)
            name = label.name
            kind, capture, size = self._window(window, bind)
            first_only = func == "find"

            def collect(scope: Scope) -> object:
                found: list[object] = []
                for span in scope.windows(kind, capture, size):
                    for value in scope.label_values(name, span):
                        if first_only:
                            return value
                        if value not in found:
                            found.append(value)
                return None if first_only else found

            return collect
        arg = expr.args[0]
        assert isinstance(arg, ast.Ref)
        target = bind.get(arg.name, arg.name)
        if func in NORMALIZERS:
            normalize = NORMALIZERS[func].func

            def call_normalizer(scope: Scope) -> object:
                text = scope.text(target)
                if text is None:
                    return None
                return normalize(text, scope.doc_date())

            return call_normalizer
        if func == "text":
            return lambda scope: scope.text(target)
        if func == "lower":

            def lower(scope: Scope) -> object:
                text = scope.text(target)
                return text.lower() if text is not None else None

            return lower
        classifier = self.checked.classifiers[func]
        inner = {classifier.param: target}
        cases = [(self.condition(c.cond, inner), c.result) for c in classifier.cases]
        otherwise = classifier.otherwise

        def classify(scope: Scope) -> object:
            for cond, result in cases:
                if cond(scope):
                    return result
            return otherwise

        return classify

    @staticmethod
    def _window(window: ast.Call, bind: dict[str, str]) -> tuple[str, str, int]:
        """(kind, capture, size) of a window call such as `before(trigger, 5)`."""
        ref = window.args[0]
        assert isinstance(ref, ast.Ref)
        size = 0
        if len(window.args) > 1:
            lit = window.args[1]
            assert isinstance(lit, ast.Lit) and isinstance(lit.value, int)
            size = lit.value
        return window.func, bind.get(ref.name, ref.name), size

    def condition(self, cond: ast.Cond, bind: dict[str, str]) -> Condition:
        if isinstance(cond, ast.CondNot):
            inner = self.condition(cond.operand, bind)
            return lambda scope: not inner(scope)
        if isinstance(cond, ast.CondAnd):
            parts = [self.condition(c, bind) for c in cond.operands]
            return lambda scope: all(p(scope) for p in parts)
        if isinstance(cond, ast.CondOr):
            parts = [self.condition(c, bind) for c in cond.operands]
            return lambda scope: any(p(scope) for p in parts)
        if isinstance(cond, ast.CondPresent):
            value = self.expr(cond.expr, bind)
            return lambda scope: value(scope) not in (None, [], "")
        assert isinstance(cond.window, ast.Call)
        kind, capture, size = self._window(cond.window, bind)
        prog = self._program(cond.pattern)
        return lambda scope: any(scope.has(prog, w) for w in scope.windows(kind, capture, size))
