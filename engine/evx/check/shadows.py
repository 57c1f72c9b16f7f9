"""Pass 13, shadows: warn (W316) about a rule that an earlier rule of its label always beats.

Where rule B matches, rule A (of the same label, written before B) matches the same span,
so B never makes a record: a span found by two rules is kept once, for the rule written
first. This is said only when it can be proved from the two patterns, for the match modes
that keep each start's preferred match or every path (`longest`, the default, `each` and
`all`).

**Why the same span, not a longer one.** Under `longest`, a match of A that covers B's
span and is longer does not always beat it: the sweep keeps the longest matches first, and
a third match, longer still, that overlaps A's end but not B's span drops A and lets B's
match stand. Only a match of A with B's exact span goes down with it. So the proof is
that at every start where B matches, A's preferred match (the one the VM returns) is the
very match of B.

**How.** The VM returns, at a start, the first path of the pattern that succeeds, in
priority order (alternatives left to right, greedy repeats "one more" first; see
:mod:`evx.match.automaton`). If, for every input, the successful paths of B are the first
successful paths of A, in the same order, A's preferred match is B's; so is the match A
prefers among those ending at any one end (`all`). That is proved structurally, by
:func:`_first_paths` (B's paths are a prefix of A's), from these cases:

- the same pattern (positions ignored, and capture names too when A has no `where:`);
- A an alternation whose first options are B's options (`x` in `x | y`; `x | y` in
  `x | y | z`), or a greedy optional of B (`x` in `x?`);
- a token test of B that implies A's (`[title & !punct]` in `[title]`, `[lower in {a}]`
  in `[lower in {a, b}]`, anything in `[]`), a single-word lexicon whose entries A's
  has;
- a greedy repeat of one body with A's minimum lower (`x{2,4}` in `x{1,4}`, `x+` in
  `x*`), when the body matches one way only;
- sequences of as many items, each B's in A's, where every item before the last that
  differs matches one way only (a token test, a literal, a single-word lexicon, an anchor,
  a lookaround, a label whose kept spans never overlap): `"a" x y` in `"a" (x | z) y?`.

A's `where:` must hold wherever B's does: A has none, or each of its conjuncts is one of
B's (with A's capture names then required to sit where B's do, since a condition reads
them). Neither rule may have a `path:` (paths widen the record's span).

**What it cannot prove**, and so never says: an extra optional part in A (`x` against
`x y?` prefers to take `y`, a longer span), a repeat with a higher maximum, lazy
repeats, alternatives in another order, lexicons with phrases or labels with overlapping
spans before the difference (they offer several paths, whose order changes), any
relation between different lexicons' phrases or literals and tests, conditions that imply
each other without being written alike, and a rule beaten only by several rules
together. The `first` and `leftmost` modes are not checked. Two rules with the same
pattern and `where:` are W315's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from evx.check.context import Context, RuleState
from evx.errors import SourcePos
from evx.lang import ast
from evx.text.tokenizer import words_of

CHECKED_MODES = frozenset({"longest", "each", "all"})
"""Match modes in which the same span of two rules is decided by rule order alone."""

_SWEEP_MODES = frozenset({"longest", "leftmost"})  # kept spans of such a label never overlap


def _key(node: object, captures: bool) -> object:
    """A pattern, test or condition as plain data without source positions (and, unless
    ``captures``, without capture names): equal for two written alike."""
    if isinstance(node, ast.Capture) and not captures:
        return _key(node.body, captures)
    if isinstance(node, SourcePos):
        return None
    cls: Any = type(node)
    if attrs.has(cls):
        fields = attrs.fields(cls)
        return (type(node).__name__, *(_key(getattr(node, f.name), captures) for f in fields))
    if isinstance(node, tuple | list):
        return tuple(_key(v, captures) for v in node)
    return node


class _Prover:
    """Proves, for two rules of one label, that B's successful paths come first in A's."""

    def __init__(self, ctx: Context, captures: bool) -> None:
        self.ctx = ctx
        self.captures = captures  # capture names must correspond (A's `where:` reads them)

    # ------------------------------------------------------------ normal form

    def norm(self, p: ast.Pattern) -> ast.Pattern:
        """The pattern without the wrappers that change no path: a capture (unless capture
        names matter), a sequence or alternation of one, a repeat of exactly one."""
        while True:
            if isinstance(p, ast.Capture) and not self.captures:
                p = p.body
            elif isinstance(p, ast.Seq | ast.Alt) and len(_parts(p)) == 1:
                p = _parts(p)[0]
            elif isinstance(p, ast.Repeat) and p.min == p.max == 1:
                p = p.body
            else:
                return p

    def items(self, p: ast.Pattern) -> list[ast.Pattern]:
        """A sequence's items, nested sequences flattened (each normalized)."""
        p = self.norm(p)
        if not isinstance(p, ast.Seq):
            return [p]
        return [item for part in p.items for item in self.items(part)]

    def options(self, p: ast.Pattern) -> list[ast.Pattern]:
        """An alternation's options, nested alternations flattened (each normalized)."""
        p = self.norm(p)
        if not isinstance(p, ast.Alt):
            return [p]
        return [option for part in p.options for option in self.options(part)]

    def same(self, b: ast.Pattern, a: ast.Pattern) -> bool:
        return _key(self.norm(b), self.captures) == _key(self.norm(a), self.captures)

    # ------------------------------------------------------------ one way through

    def single(self, p: ast.Pattern) -> bool:
        """True when the pattern can match in at most one way at a start."""
        p = self.norm(p)
        if isinstance(p, ast.Literal | ast.TokenPat | ast.Anchor | ast.Look):
            return True
        if isinstance(p, ast.LexiconRef | ast.InlineLexicon):
            return self.lexicon_words(p) is not None
        if isinstance(p, ast.MentionRef):
            schema = self.ctx.schemas.get(p.name)
            return schema is not None and not schema.external and schema.overlap in _SWEEP_MODES
        if isinstance(p, ast.Capture):
            return self.single(p.body)
        if isinstance(p, ast.Seq):
            return all(self.single(item) for item in p.items)
        if isinstance(p, ast.Repeat):
            return p.min == p.max and self.single(p.body)
        return False  # an alternation

    def lexicon_words(self, p: ast.LexiconRef | ast.InlineLexicon) -> frozenset[object] | None:
        """The entries of a lexicon whose every entry is one token (matched as one token
        test), else None (phrases: the lexicon offers several ends, longest first)."""
        if isinstance(p, ast.LexiconRef):
            lexicon = self.ctx.lexicons.get(p.name)
            if lexicon is None:
                return None
            entries = lexicon.entries
        else:
            entries = p.entries
        out: set[object] = set()
        for entry in entries:
            tokens = sum(len(words_of(w.text)) if w.exact else 1 for w in entry.words)
            if tokens > 1:
                return None
            out.add(tuple((w.exact, w.text) for w in entry.words))
        return frozenset(out)

    # ------------------------------------------------------------ the relation

    def first_paths(self, b: ast.Pattern, a: ast.Pattern) -> bool:
        """True when, for every input and start, B's successful paths are the first of
        A's, in order, each consuming the same tokens."""
        b, a = self.norm(b), self.norm(a)
        if self.same(b, a):
            return True
        if isinstance(a, ast.Capture) or isinstance(b, ast.Capture):
            return (
                isinstance(a, ast.Capture)
                and isinstance(b, ast.Capture)
                and a.name == b.name
                and self.first_paths(b.body, a.body)
            )
        if isinstance(a, ast.Alt):
            mine, theirs = self.options(b), self.options(a)
            k = len(mine) - 1  # B's options are A's first; its last may be narrower
            if (
                k < len(theirs)
                and all(self.same(x, y) for x, y in zip(mine[:k], theirs, strict=False))
                and self.first_paths(mine[k], theirs[k])
            ):
                return True
        if isinstance(a, ast.Repeat) and not a.lazy:
            if a.min == 0 and a.max == 1 and self.first_paths(b, a.body):
                return True  # `x` in `x?`: the greedy optional tries x first
            if (
                isinstance(b, ast.Repeat)
                and not b.lazy
                and b.max == a.max
                and a.min <= b.min
                and self.same(b.body, a.body)
                and self.single(b.body)
            ):
                return True  # greedy counts from the most down: A only adds fewer at the end
        if isinstance(a, ast.Seq) or isinstance(b, ast.Seq):
            return self._sequence(self.items(b), self.items(a))
        if isinstance(b, ast.TokenPat) and isinstance(a, ast.TokenPat):
            return self.implies(b.test, a.test)
        if isinstance(b, ast.LexiconRef | ast.InlineLexicon) and isinstance(
            a, ast.LexiconRef | ast.InlineLexicon
        ):
            mine_words, their_words = self.lexicon_words(b), self.lexicon_words(a)
            return mine_words is not None and their_words is not None and mine_words <= their_words
        return False

    def _sequence(self, mine: list[ast.Pattern], theirs: list[ast.Pattern]) -> bool:
        if len(mine) != len(theirs):
            return False
        differ = [
            i for i, (x, y) in enumerate(zip(mine, theirs, strict=True)) if not self.same(x, y)
        ]
        if not differ:
            return True
        last = differ[-1]
        # before the last difference, one way through each item: B's single path is A's
        # first, and what follows it in A only adds paths after B's
        return all(self.single(x) for x in mine[:last]) and all(
            self.first_paths(mine[i], theirs[i]) for i in differ
        )

    def implies(self, b: ast.TokenTest | None, a: ast.TokenTest | None) -> bool:
        """True when every token passing test B passes test A (None: any token)."""
        if a is None:
            return True
        if b is None:
            return False
        if _key(b, True) == _key(a, True):
            return True
        if isinstance(b, ast.TokOr):
            return all(self.implies(x, a) for x in b.operands)
        if isinstance(a, ast.TokAnd):
            return all(self.implies(b, x) for x in a.operands)
        if isinstance(a, ast.TokOr) and any(self.implies(b, x) for x in a.operands):
            return True
        if isinstance(b, ast.TokAnd) and any(self.implies(x, a) for x in b.operands):
            return True
        if isinstance(b, ast.TokIn) and isinstance(a, ast.TokIn) and b.attr == a.attr:
            mine, theirs = self._members(b), self._members(a)
            return mine is not None and theirs is not None and mine <= theirs
        return False

    def _members(self, test: ast.TokIn) -> frozenset[object] | None:
        entries = test.entries
        if test.lexicon is not None:
            lexicon = self.ctx.lexicons.get(test.lexicon)
            if lexicon is None:
                return None
            entries = lexicon.entries
        return frozenset((w.exact, w.text) for e in entries for w in e.words)


def _parts(p: ast.Seq | ast.Alt) -> tuple[ast.Pattern, ...]:
    return p.items if isinstance(p, ast.Seq) else p.options


def _conjuncts(cond: ast.Cond | None) -> Iterator[ast.Cond]:
    if cond is None:
        return
    if isinstance(cond, ast.CondAnd):
        for operand in cond.operands:
            yield from _conjuncts(operand)
    else:
        yield cond


def shadows(ctx: Context, a: RuleState, b: RuleState) -> bool:
    """True when rule A, written before B with the same target, matches B's span
    wherever B matches (and B's match passes its `where:`), so B never makes a record."""
    ra, rb = a.rule, b.rule
    if ra.match is None or rb.match is None or ra.paths or rb.paths:
        return False
    theirs = {_key(c, True) for c in _conjuncts(rb.where)}
    if not all(_key(c, True) in theirs for c in _conjuncts(ra.where)):
        return False
    return _Prover(ctx, captures=ra.where is not None).first_paths(rb.match, ra.match)


def report_shadowed(ctx: Context) -> None:
    """Warn (W316) about each rule an earlier rule of its label always beats."""
    by_target: dict[str, list[RuleState]] = {}
    for state in ctx.checkable():
        by_target.setdefault(state.rule.target, []).append(state)
    for target, states in by_target.items():
        schema = ctx.schemas.get(target)
        if schema is None or schema.overlap not in CHECKED_MODES or len(states) < 2:
            continue
        for i, b in enumerate(states):
            for a in states[:i]:
                if _repeats(a.rule, b.rule) or not shadows(ctx, a, b):
                    continue
                ctx.warn(
                    "W316",
                    f"rule `{b.rule.name}` never makes a record: wherever it matches, "
                    f"`{a.rule.name}` (line {a.rule.pos.line}), written before it, matches "
                    "the same span",
                    b.rule.pos,
                    hint=f"a span found by two rules is kept once, for the rule written first: "
                    f"move `{b.rule.name}` before `{a.rule.name}` if it is the more specific "
                    "one, or remove it",
                    related=(ctx.note(f"`{a.rule.name}` is here", a.rule.pos),),
                )
                break


def _repeats(a: ast.RuleDef, b: ast.RuleDef) -> bool:
    """The same pattern and `where:` written twice: W315 says so."""
    return _key((a.match, a.where), True) == _key((b.match, b.where), True)
