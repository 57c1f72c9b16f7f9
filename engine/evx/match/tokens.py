"""Token tests compiled to predicates `(document, token) -> bool` over the document's columns.

The common attributes get closures of their own so that the hot path does no column
dispatch; a regex remembers its answer per word. Each test also becomes an :class:`Atom`:
the predicate with a structural key (equal keys, equal answers on every token) and, for
tests that are a column value in a set, that set, so :mod:`evx.match.classes` can find
the atoms a word passes by looking its values up instead of calling every predicate.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

import attrs

from evx.lang import ast
from evx.lang.regex import compile_regex
from evx.match.automaton import TokenPredicate
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
    """One token test as the multi-rule scanner sees it: a key, a predicate, maybe an index."""

    key: Hashable
    test: TokenPredicate
    index: Index | None = None  # None: call `test` to know whether a token passes


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
    """The atom of a token test: its compiled predicate, key and (when it has one) index."""
    key, index = _key_and_index(test, lexicons)
    return Atom(key, compile_test(test, lexicons), index)


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
