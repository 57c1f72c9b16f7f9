"""Patterns compiled to programs: literals, tests, lexicons and labels become automaton states.

The program of a pattern is built back to front with the continuation-passing helpers of
:mod:`evx.match.automaton`; a lookbehind compiles its body reversed, to run backwards.
"""

from __future__ import annotations

from collections.abc import Sequence

from evx.lang import ast
from evx.match.automaton import Builder, Guard, Program, SpanContext
from evx.match.lexicons import LexiconTable
from evx.match.tokens import Atom, label_test, lexicon_atom, test_atom, word_atom
from evx.text.attributes import LOWER
from evx.text.tokenizer import words_of

BOS = Guard("bos")
EOS = Guard("eos")


class LabelSource:
    """The spans of one label (`@Name`), read from the document's label tables."""

    def __init__(self, label: str) -> None:
        self.label = label

    def ends(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        return ctx.label_ends(self.label, pos, limit)

    def starts(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        return ctx.label_starts(self.label, pos, limit)


class InsideTest:
    """One token passing a test that reads labels (`[@Person & title]`): a span source, so
    that the VM asks it with the label tables found so far, which a word's test cannot see."""

    def __init__(self, atom: Atom) -> None:
        self.atom = atom
        self.labels = atom.labels
        self.holds = label_test(atom)

    def ends(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        return (pos + 1,) if pos < limit and self.holds(ctx, pos) else ()

    def starts(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        return (pos - 1,) if pos > limit and self.holds(ctx, pos - 1) else ()


class PatternCompiler:
    """Turns pattern ASTs into programs, sharing compiled lexicons and label sources."""

    def __init__(self, lexicons: LexiconTable, sources: dict[str, str] | None = None) -> None:
        self.lexicons = lexicons
        self.labels: dict[str, LabelSource] = {}
        self.sources = sources or {}
        self._lines: dict[str, list[str]] = {}  # file -> its lines, split once

    def _snippet(self, node: ast.TokenPat | ast.InlineLexicon) -> str:
        """The text a node was written as, for explanations."""
        pos = node.pos
        lines = self._lines.get(pos.file)
        if lines is None:
            lines = self._lines[pos.file] = self.sources.get(pos.file, "").splitlines()
        if pos.line == pos.end_line and 0 < pos.line <= len(lines):
            return lines[pos.line - 1][pos.column - 1 : pos.end_column - 1]
        return "[...]" if isinstance(node, ast.TokenPat) else "{...}"

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
                cont = b.test(word_atom(word), cont, f'"{word}"', p.pos)
            return cont
        if isinstance(p, ast.TokenPat):
            if p.test is None:
                return b.test(None, cont, "[]", p.pos)
            atom = test_atom(p.test, self.lexicons.named)
            if atom.formula is not None:
                return b.span(InsideTest(atom), cont, self._snippet(p), p.pos, atom=atom)
            return b.test(atom, cont, self._snippet(p), p.pos)
        if isinstance(p, ast.MentionRef):
            return b.span(self.label(p.name), cont, f"@{p.name}", p.pos)
        if isinstance(p, ast.LexiconRef | ast.InlineLexicon):
            lexicon = self.lexicons.of(p)
            note = p.name if isinstance(p, ast.LexiconRef) else self._snippet(p)
            if lexicon.single_word:
                forward = lexicon.forward
                atom = lexicon_atom(frozenset(forward.by_lower), frozenset(forward.by_lemma))
                return b.test(atom, cont, note, p.pos)
            return b.span(lexicon, cont, note, p.pos)
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
