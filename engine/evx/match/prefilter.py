"""Prefilter keys: literal keys one of which any match must contain, and the keys it can start with.

A key is ``("w", lower form)``, ``("l", lemma)`` or ``("@", label)``. The matcher looks
each document's words up in an index of these keys, so a rule runs only on sentences
holding one of its required keys, and only from tokens holding one of its first keys.
"""

from __future__ import annotations

from evx.lang import ast
from evx.lang.analysis import nullable
from evx.match.lexicons import CompiledLexicon, LexiconTable
from evx.match.tokens import eq_values, in_values
from evx.text.attributes import LOWER
from evx.text.tokenizer import words_of

Key = tuple[str, str]
"""A prefilter key: ("w", lower form), ("l", lemma) or ("@", label)."""


def test_keys(test: ast.TokenTest | None, lexicons: dict[str, CompiledLexicon]) -> set[Key] | None:
    """Keys one of which every token passing the test has; None when the test has no such keys."""
    if test is None:
        return None
    if isinstance(test, ast.TokEq) and not test.negate:
        return _attr_keys(test.attr, eq_values(test.attr, test.value))
    if isinstance(test, ast.TokIn):
        return _attr_keys(test.attr, in_values(test, lexicons))
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


def _attr_keys(attr: str, given: frozenset[object]) -> set[Key] | None:
    values = [v for v in given if isinstance(v, str)]  # the string columns hold strings
    if attr == "lower":
        return {("w", v) for v in values}
    if attr == "lemma":
        return {("l", v) for v in values} | {("w", v) for v in values}
    if attr == "text":
        return {("w", LOWER[v]) for v in values}
    return None


def _selectivity(keys: set[Key]) -> tuple[int, int]:
    # labels are sparse; then fewer keys, then longer words, select fewer sentences
    labels = sum(1 for kind, _ in keys if kind == "@")
    return (0 if labels == len(keys) else 1, len(keys) * 100 - min(len(v) for _, v in keys))


def required_keys(p: ast.Pattern, lexicons: LexiconTable) -> set[Key] | None:
    """Keys one of which must occur in any text the pattern matches (None: no such set)."""
    if isinstance(p, ast.Literal):
        words = [LOWER[w] for w in words_of(p.text)]
        best = max(words, key=len)
        return {("w", best)}
    if isinstance(p, ast.TokenPat):
        return test_keys(p.test, lexicons.named)
    if isinstance(p, ast.MentionRef):
        return {("@", p.name)}
    if isinstance(p, ast.LexiconRef | ast.InlineLexicon):
        return set(lexicons.of(p).first_keys) or None
    if isinstance(p, ast.Seq):
        options = [k for k in (required_keys(i, lexicons) for i in p.items) if k is not None]
        if not options:
            return None
        return min(options, key=_selectivity)
    if isinstance(p, ast.Alt):
        union: set[Key] = set()
        for option in p.options:
            keys = required_keys(option, lexicons)
            if keys is None:
                return None
            union |= keys
        return union
    if isinstance(p, ast.Repeat):
        return required_keys(p.body, lexicons) if p.min > 0 else None
    if isinstance(p, ast.Capture):
        return required_keys(p.body, lexicons)
    return None


def first_keys(p: ast.Pattern, lexicons: LexiconTable) -> set[Key] | None:
    """Keys one of which the first token of any match has (None: could be any token)."""
    if isinstance(p, ast.Literal):
        return {("w", LOWER[words_of(p.text)[0]])}
    if isinstance(p, ast.Seq):
        union: set[Key] = set()
        for item in p.items:
            if isinstance(item, ast.Look | ast.Anchor):
                continue
            keys = first_keys(item, lexicons)
            if keys is None:
                return None
            union |= keys
            if not nullable(item):
                return union
        return None
    if isinstance(p, ast.Alt):
        union = set()
        for option in p.options:
            keys = first_keys(option, lexicons)
            if keys is None:
                return None
            union |= keys
        return union
    if isinstance(p, ast.Repeat | ast.Capture):
        return first_keys(p.body, lexicons)
    if isinstance(p, ast.Look | ast.Anchor):
        return None
    return required_keys(p, lexicons)
