"""Static facts about patterns that checker and compiler both rely on: size, nullability, values.

Each function reads the AST only; none reports problems (the checker does that).
"""

from __future__ import annotations

from evx.lang import ast
from evx.text.tokenizer import words_of


def expanded_size(pattern: ast.Pattern) -> int:
    """How many token-consuming states the pattern compiles to (repeats expanded)."""
    if isinstance(pattern, ast.Literal):
        return max(1, len(pattern.text.split()))
    if isinstance(pattern, ast.Seq):
        return sum(expanded_size(i) for i in pattern.items)
    if isinstance(pattern, ast.Alt):
        return sum(expanded_size(o) for o in pattern.options)
    if isinstance(pattern, ast.Repeat):
        copies = pattern.max if pattern.max is not None else max(pattern.min, 1)
        return expanded_size(pattern.body) * max(copies, 1)
    if isinstance(pattern, ast.Capture | ast.Look):
        return expanded_size(pattern.body)
    return 0 if isinstance(pattern, ast.Anchor) else 1


def min_length(pattern: ast.Pattern) -> int:
    """The fewest tokens any match of the pattern consumes (a lexicon or label counts as
    one: a lower bound, so a check built on it never warns wrongly)."""
    if isinstance(pattern, ast.Literal):
        return max(1, len(words_of(pattern.text)))
    if isinstance(pattern, ast.Seq):
        return sum(min_length(i) for i in pattern.items)
    if isinstance(pattern, ast.Alt):
        return min((min_length(o) for o in pattern.options), default=0)
    if isinstance(pattern, ast.Repeat):
        return pattern.min * min_length(pattern.body)
    if isinstance(pattern, ast.Capture):
        return min_length(pattern.body)
    return 0 if isinstance(pattern, ast.Look | ast.Anchor) else 1


def nullable(pattern: ast.Pattern) -> bool:
    """Whether the pattern can match without consuming a token."""
    if isinstance(pattern, ast.Seq):
        return all(nullable(i) for i in pattern.items)
    if isinstance(pattern, ast.Alt):
        return any(nullable(o) for o in pattern.options)
    if isinstance(pattern, ast.Repeat):
        return pattern.min == 0 or nullable(pattern.body)
    if isinstance(pattern, ast.Capture):
        return nullable(pattern.body)
    return isinstance(pattern, ast.Look | ast.Anchor)


def unwrap_optional(pattern: ast.Pattern) -> ast.Pattern:
    """`X?`, `(X)` and `name:X` look through to X: they have the same kind of value."""
    while True:
        if isinstance(pattern, ast.Repeat) and pattern.max == 1:
            pattern = pattern.body
        elif isinstance(pattern, ast.Seq) and len(pattern.items) == 1:
            pattern = pattern.items[0]
        elif isinstance(pattern, ast.Capture):
            pattern = pattern.body
        else:
            return pattern


def value_sources(pattern: ast.Pattern) -> list[ast.Pattern]:
    """The alternatives a captured span can be: `(@Party | force_noun)` gives both; each is
    a mention or lexicon reference (whose value a capture takes) or any other pattern (text)."""
    inner = unwrap_optional(pattern)
    if isinstance(inner, ast.Alt):
        out: list[ast.Pattern] = []
        for option in inner.options:
            out.extend(value_sources(option))
        return out
    return [inner]
