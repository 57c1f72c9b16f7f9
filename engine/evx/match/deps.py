"""Dependency paths: from a capture of a match, step along the parse to the tokens `path:` captures.

A document that carries a parse has a ``head`` column (each token's head, as a token index;
a root is its own head) and a ``dep`` column (its label). A path such as
``who = trigger >nsubj >compound`` starts at the head token of the ``trigger`` span (the
token whose head lies outside it), steps to the children labelled ``nsubj``, then to
theirs labelled ``compound``; ``<dobj`` steps from a token labelled ``dobj`` to its head.
Every token the last step reaches (and the optional token test passes) becomes a
one-token span of the capture, in token order. Paths stay inside the match's sentence;
each step looks at the sentence once, so a path costs O(steps x sentence length).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from evx.lang import ast
from evx.match.vm import Match

if TYPE_CHECKING:
    from evx.match.context import DocContext
    from evx.match.tokens import ContextPredicate

PARSE_COLUMNS = ("head", "dep")
"""The columns a rule with a `path:` needs the document to carry."""


@attrs.frozen(eq=False)
class CompiledPath:
    """One `path:` entry ready to run: its capture, where it starts, its steps, its test."""

    name: str
    start: str  # a capture of the match, or "match"
    steps: tuple[tuple[bool, frozenset[str]], ...]  # (to the head?, labels; empty: any)
    test: ContextPredicate | None  # may read labels (`[@Person]`): asked with the context


def compile_path(path: ast.DepPath, test: ContextPredicate | None) -> CompiledPath:
    """The runnable form of a checked `path:` entry (its token test compiled by the caller)."""
    steps = tuple((step.up, frozenset(step.labels)) for step in path.steps)
    return CompiledPath(path.name, path.start, steps, test)


def with_paths(
    ctx: DocContext, paths: Sequence[CompiledPath], match: Match, lo: int, hi: int
) -> Match:
    """The match with the spans its paths reach added to its captures."""
    doc = ctx.doc
    heads = doc.column("head")
    labels = doc.column("dep")
    added: list[tuple[str, int, int]] = []
    for path in paths:
        spans = [(match[0], match[1])] if path.start == "match" else match.spans_of(path.start)
        for start, end in spans:
            current = _span_root(heads, start, end)
            for up, allowed in path.steps:
                current = _step(heads, labels, current, up, allowed, lo, hi)
                if not current:
                    break
            for token in sorted(current):
                if path.test is None or path.test(ctx, token):
                    added.append((path.name, token, token + 1))
    if not added:
        return match
    return Match(match[0], match[1], (*match[2], *added))


def _span_root(heads: Sequence[object], start: int, end: int) -> set[int]:
    """The first token of the span whose head lies outside it (or that is a root)."""
    for token in range(start, end):
        head = heads[token]
        if not isinstance(head, int) or head == token or not start <= head < end:
            return {token}
    return {start} if start < end else set()


def _step(
    heads: Sequence[object],
    labels: Sequence[object],
    current: set[int],
    up: bool,
    allowed: frozenset[str],
    lo: int,
    hi: int,
) -> set[int]:
    reached: set[int] = set()
    if up:
        for token in current:
            head = heads[token]
            if (
                isinstance(head, int)
                and head != token
                and lo <= head < hi
                and (not allowed or labels[token] in allowed)
            ):
                reached.add(head)
        return reached
    for token in range(lo, hi):
        head = heads[token]
        if head in current and head != token and (not allowed or labels[token] in allowed):
            reached.add(token)
    return reached
