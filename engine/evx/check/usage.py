"""Pass 12, usage: warn about lexicons (W310), classifiers (W311), named conditions (W319)
and mentions (W312) that nothing in the rule set uses, about empty lexicons (W314), which
nothing can match, and about a rule that only repeats an earlier one (W315), which never
makes a record.

A definition nobody refers to is most often a typo elsewhere (a rule that meant to use it
spells it otherwise, and got an inline word instead) or a leftover; either way the author
wants to know. Warnings only: the rules still load.
"""

from __future__ import annotations

from typing import Any

import attrs

from evx.check.context import Context
from evx.errors import SourcePos
from evx.lang import ast


def _references(roots: list[object]) -> tuple[set[str], set[str], set[str]]:
    """(lexicons, labels, called functions) named anywhere under the roots."""
    lexicons: set[str] = set()
    labels: set[str] = set()
    calls: set[str] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.LexiconRef):
            lexicons.add(node.name)
        elif isinstance(node, ast.TokIn) and node.lexicon is not None:
            lexicons.add(node.lexicon)
        elif isinstance(node, ast.MentionRef | ast.LabelArg):
            labels.add(node.name)
        elif isinstance(node, ast.Resolve | ast.TokInside):
            labels.add(node.label)
        elif isinstance(node, ast.Call):
            calls.add(node.func)
        if isinstance(node, list | tuple):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif attrs.has(type(node)) and not isinstance(node, ast.LexEntry):
            stack.extend(attrs.astuple(node, recurse=False))  # type: ignore[arg-type]
    return lexicons, labels, calls


def _shape(node: object) -> str:
    """A node as text without its source positions: equal for two rules written alike."""
    cls: Any = type(node)
    if attrs.has(cls):
        inner = ",".join(
            _shape(getattr(node, a.name))
            for a in attrs.fields(cls)
            if not isinstance(getattr(node, a.name), SourcePos)
        )
        return f"{cls.__name__}({inner})"
    if isinstance(node, tuple):
        return "(" + ",".join(_shape(v) for v in node if not isinstance(v, SourcePos)) + ")"
    return repr(node)


def _report_duplicates(ctx: Context) -> None:
    """Warn (W315) about a rule with the same target, pattern and `where:` as one written
    before it: the same span found by two rules is kept once, for the first, so the later
    rule never makes a record."""
    first: dict[str, ast.RuleDef] = {}
    for state in ctx.checkable():
        rule = state.rule
        if rule.match is None:
            continue
        key = f"{rule.target}|{_shape(rule.match)}|{_shape(rule.where)}"
        earlier = first.setdefault(key, rule)
        if earlier is rule:
            continue
        ctx.warn(
            "W315",
            f"rule `{rule.name}` matches exactly what `{earlier.name}` (line "
            f"{earlier.pos.line}) matches: it never makes a record of its own",
            rule.pos,
            hint="the same span found by two rules is kept once, for the first; merge the "
            "two, or change this rule's pattern or `where:`",
        )


def report_unused(ctx: Context) -> None:
    """One warning per lexicon, classifier, named condition and mention that no rule,
    mention, classifier or named condition refers to."""
    roots: list[object] = [state.rule for state in ctx.rules]
    roots.extend(ctx.classifiers.values())
    roots.extend(ctx.conditions.values())
    lexicons, labels, calls = _references(roots)
    for name, lexicon in ctx.lexicons.items():
        if not lexicon.entries:
            ctx.warn(
                "W314",
                f"lexicon `{name}` has no entries: nothing matches it",
                lexicon.pos,
                hint="a rule that needs it can never match; give it entries",
            )
        if name not in lexicons:
            ctx.warn(
                "W310",
                f"lexicon `{name}` is never used",
                lexicon.pos,
                hint="use it in a pattern (`{name}`, `[lemma in {name}]`) or a condition, "
                "or remove it".replace("{name}", name),
            )
    for name, classifier in ctx.classifiers.items():
        if name not in calls:
            ctx.warn(
                "W311",
                f"classifier `{name}` is never called",
                classifier.pos,
                hint=f"call it in a `set:` (`field = {name}(trigger)`), or remove it",
            )
    for name, condition in ctx.conditions.items():
        if name not in calls:
            ctx.warn(
                "W319",
                f"named condition `{name}` is never used",
                condition.pos,
                hint=f"use it where a condition goes (`where: {name}(trigger)`), or remove it",
            )
    _report_duplicates(ctx)
    seen: set[str] = set()
    for state in ctx.rules:
        rule = state.rule
        if not rule.is_mention or rule.name in labels or rule.name in seen:
            continue
        seen.add(rule.name)
        ctx.warn(
            "W312",
            f"mention `{rule.name}` is never referenced (`@{rule.name}`)",
            rule.pos,
            hint="reference it from a pattern or `collect(...)`; it is only output with "
            "`evx run --mentions`",
        )
