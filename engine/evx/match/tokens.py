"""Token tests compiled to predicates `(document, token) -> bool` over the document's columns.

The common attributes get closures of their own so that the hot path does no column
dispatch; a regex remembers its answer per word. Each test also becomes an :class:`Atom`:
the predicate with a structural key (equal keys, equal answers on every token) and, for
tests that are a column value in a set, that set, so :mod:`evx.match.classes` can find
the atoms a word passes by looking its values up instead of calling every predicate.

A test that reads a label (`[@Person]`, `[lemma=official & !@Person]`) depends on where
the token is, not only on its word. Its atom carries a :class:`LabelFormula`: the test
as an and/or/not of word-only atoms and "inside a span of L" leaves. Its predicate is
the answer for a token inside no span of those labels, which is what a word's class
holds; :meth:`~evx.match.classes.TokenClasses.with_labels` corrects the class of the
tokens inside spans, and the VM asks :func:`label_test`'s closure, which reads the
document's label tables.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

import attrs

from evx.lang import ast
from evx.lang.regex import compile_regex
from evx.match.automaton import SpanContext, TokenPredicate
from evx.match.lexicons import CompiledLexicon, entries_word_set
from evx.text.attributes import LEMMAS, LOWER, STRING_ATTRIBUTES

if TYPE_CHECKING:
    from evx.text.document import Document


Index = tuple[tuple[str, frozenset[str]], ...]
"""(column, values) pairs: a token passes when its value in one of the columns is in the set."""

INDEXED_COLUMNS = ("lower", "lemma", "text", "shape")
"""The columns an atom's index may name (each a plain tuple of the document)."""


@attrs.frozen(eq=False)
class Atom:
    """One token test as the multi-rule scanner sees it: a key, a predicate, maybe an index.

    A test that reads labels has a ``formula`` and the ``labels`` it reads; its ``test``
    is then its answer for a token inside no span of them (see the module docstring).
    """

    key: Hashable
    test: TokenPredicate
    index: Index | None = None  # None: call `test` to know whether a token passes
    formula: LabelFormula | None = None
    labels: frozenset[str] = frozenset()


@attrs.frozen(eq=False)
class LabelFormula:
    """A token test that reads labels, as and/or/not over word-only atoms and labels.

    ``op`` is ``"atom"`` (``atom`` passes), ``"label"`` (the token lies inside a span of
    ``label``), ``"not"``, ``"and"`` or ``"or"`` (of ``parts``)."""

    op: str
    atom: Atom | None = None
    label: str = ""
    parts: tuple[LabelFormula, ...] = ()

    @property
    def key(self) -> Hashable:
        """Equal for two formulas that answer alike on every token."""
        if self.atom is not None:
            return self.atom.key
        if self.op == "label":
            return ("@", self.label)
        return (self.op, tuple(part.key for part in self.parts))

    def leaves(self) -> list[Atom]:
        """The word-only atoms the formula reads."""
        if self.atom is not None:
            return [self.atom]
        return [atom for part in self.parts for atom in part.leaves()]

    def holds(self, word: Callable[[Atom], bool], inside: Callable[[str], bool]) -> bool:
        """The formula's answer, given how each leaf atom and each label answer."""
        if self.atom is not None:
            return word(self.atom)
        if self.op == "label":
            return inside(self.label)
        if self.op == "not":
            return not self.parts[0].holds(word, inside)
        if self.op == "and":
            return all(part.holds(word, inside) for part in self.parts)
        return any(part.holds(word, inside) for part in self.parts)


ContextPredicate = Callable[[SpanContext, int], bool]
"""A token test that may read labels: `(matching context, token) -> bool`."""


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


def eq_values(attr: str, value: str) -> frozenset[object]:
    if attr == "lower":
        return frozenset({LOWER[value]})
    if attr == "lemma":
        lower = LOWER[value]
        return frozenset({lower, LEMMAS[lower]})
    return with_numbers(attr, frozenset({value}))


def with_numbers(attr: str, values: frozenset[str]) -> frozenset[object]:
    """The values a supplied column may hold: a whole number written in a test (`[rank=3]`)
    matches the int of an `int` column as well as the text of a `str` one (the checker
    allows numbers only where the declared type takes them)."""
    if attr in STRING_ATTRIBUTES or not any(v.isdigit() for v in values):
        return values
    return values | {int(v) for v in values if v.isdigit()}


def compile_test(test: ast.TokenTest, lexicons: dict[str, CompiledLexicon]) -> TokenPredicate:
    """A predicate `(doc, i) -> bool` for one token test."""
    if isinstance(test, ast.TokEq):
        values = eq_values(test.attr, test.value)
        pred = in_predicate(test.attr, values)
        return _negated(pred) if test.negate else pred
    if isinstance(test, ast.TokRegex):
        rx = compile_regex(test.pattern, test.flags)
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
                try:
                    found = search(word) is not None
                except UnicodeEncodeError:  # a lone surrogate (API text): RE2 reads UTF-8
                    found = search(_without_surrogates(word)) is not None
                seen[word] = found
            return found

        return _negated(regex_pred) if test.negate else regex_pred
    if isinstance(test, ast.TokIn):
        return in_predicate(test.attr, in_values(test, lexicons))
    if isinstance(test, ast.TokFlag):
        flag = test.name
        return lambda d, i: d.column(flag)[i] is True
    if isinstance(test, ast.TokInside):  # the answer outside every span: see label_test
        return lambda d, i: False
    if isinstance(test, ast.TokNot):
        return _negated(compile_test(test.operand, lexicons))
    parts = [compile_test(t, lexicons) for t in test.operands]
    if isinstance(test, ast.TokAnd):
        return lambda d, i: all(p(d, i) for p in parts)
    return lambda d, i: any(p(d, i) for p in parts)


def in_values(test: ast.TokIn, lexicons: dict[str, CompiledLexicon]) -> frozenset[object]:
    """The values `[attr in lexicon]` (or an inline set) accepts for its attribute."""
    if test.lexicon is not None:
        return lexicons[test.lexicon].word_set(test.attr)
    return with_numbers(test.attr, entries_word_set(test.entries, test.attr))


def _negated(pred: TokenPredicate) -> TokenPredicate:
    return lambda d, i: not pred(d, i)


def in_predicate(attr: str, values: frozenset[object]) -> TokenPredicate:
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


def test_atom(test: ast.TokenTest, lexicons: dict[str, CompiledLexicon]) -> Atom:
    """The atom of a token test: its compiled predicate, key and (when it has one) index;
    for a test that reads labels, its formula."""
    labels = labels_tested(test)
    if labels:
        formula = _formula(test, lexicons)
        return Atom(("@test", formula.key), compile_test(test, lexicons), None, formula, labels)
    key, index = _key_and_index(test, lexicons)
    return Atom(key, compile_test(test, lexicons), index)


def labels_tested(test: ast.TokenTest) -> frozenset[str]:
    """The labels a token test reads (`[@Person & title]` reads Person)."""
    return frozenset(t.label for t in ast.walk_tests(test) if isinstance(t, ast.TokInside))


def _formula(test: ast.TokenTest, lexicons: dict[str, CompiledLexicon]) -> LabelFormula:
    """A test that reads labels as a formula; its word-only parts become atoms (the
    word-only operands of one `&` or `|` together make one)."""
    if not labels_tested(test):
        return LabelFormula("atom", atom=test_atom(test, lexicons))
    if isinstance(test, ast.TokInside):
        return LabelFormula("label", label=test.label)
    if isinstance(test, ast.TokNot):
        return LabelFormula("not", parts=(_formula(test.operand, lexicons),))
    assert isinstance(test, ast.TokAnd | ast.TokOr)
    words = [t for t in test.operands if not labels_tested(t)]
    parts = [_formula(t, lexicons) for t in test.operands if labels_tested(t)]
    if len(words) == 1:
        parts.insert(0, _formula(words[0], lexicons))
    elif words:
        group = type(test)(tuple(words), test.pos)
        parts.insert(0, LabelFormula("atom", atom=test_atom(group, lexicons)))
    return LabelFormula("and" if isinstance(test, ast.TokAnd) else "or", parts=tuple(parts))


def label_test(atom: Atom) -> ContextPredicate:
    """How the VM answers an atom at a token: from the word alone, or, for a test that
    reads labels, with the label tables found so far (``ctx.inside``)."""
    return _closure(atom.formula or LabelFormula("atom", atom=atom))


def _closure(formula: LabelFormula) -> ContextPredicate:
    if formula.atom is not None:
        test = formula.atom.test
        return lambda ctx, i: test(ctx.doc, i)
    if formula.op == "label":
        label = formula.label
        return lambda ctx, i: ctx.inside(label)[i] != 0
    parts = [_closure(part) for part in formula.parts]
    if formula.op == "not":
        (only,) = parts
        return lambda ctx, i: not only(ctx, i)
    if formula.op == "and":
        return lambda ctx, i: all(p(ctx, i) for p in parts)
    return lambda ctx, i: any(p(ctx, i) for p in parts)


def word_atom(word: str) -> Atom:
    """The atom of one literal word (already lower-cased), as in `"freed"`."""
    values = frozenset({word})
    return Atom(("in", "lower", values), in_predicate("lower", values), (("lower", values),))


def lexicon_atom(by_lower: frozenset[str], by_lemma: frozenset[str]) -> Atom:
    """The atom of a token whose lower form or lemma is one of the given words."""
    return Atom(
        ("lex", by_lower, by_lemma),
        lambda d, i: d.lower[i] in by_lower or d.lemma[i] in by_lemma,
        (("lower", by_lower), ("lemma", by_lemma)),
    )


def _in_index(attr: str, values: frozenset[object]) -> Index | None:
    strings = frozenset(v for v in values if isinstance(v, str))
    if attr == "lemma":  # as in_predicate: the lemma or the lower form is one of the values
        return (("lemma", strings), ("lower", strings))
    if attr in INDEXED_COLUMNS:
        return ((attr, strings),)
    return None


def _key_and_index(
    test: ast.TokenTest, lexicons: dict[str, CompiledLexicon]
) -> tuple[Hashable, Index | None]:
    if isinstance(test, ast.TokEq):
        values = eq_values(test.attr, test.value)
        if test.negate:
            return ("not", ("in", test.attr, values)), None
        return ("in", test.attr, values), _in_index(test.attr, values)
    if isinstance(test, ast.TokRegex):
        key = ("re", test.attr, test.pattern, test.flags)
        return (("not", key) if test.negate else key), None
    if isinstance(test, ast.TokIn):
        values = in_values(test, lexicons)
        return ("in", test.attr, values), _in_index(test.attr, values)
    if isinstance(test, ast.TokFlag):
        return ("flag", test.name), None
    if isinstance(test, ast.TokInside):  # only inside a formula (see test_atom)
        return ("@", test.label), None
    if isinstance(test, ast.TokNot):
        return ("not", _key_and_index(test.operand, lexicons)[0]), None
    parts = [_key_and_index(t, lexicons) for t in test.operands]
    keys = tuple(k for k, _ in parts)
    if isinstance(test, ast.TokAnd):
        return ("and", keys), None
    # an alternative of indexed tests is indexed by all of their values
    indexes = [i for _, i in parts]
    if all(i is not None for i in indexes):
        return ("or", keys), tuple(pair for i in indexes if i is not None for pair in i)
    return ("or", keys), None


def _without_surrogates(word: str) -> str:
    """The word with each lone surrogate replaced by U+FFFD, which UTF-8 can encode."""
    return word.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
