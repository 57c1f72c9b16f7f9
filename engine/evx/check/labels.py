"""Pass 11, label order: put labels in an order where each comes after the labels it uses.

The matcher runs labels in this order, so a rule's `@Party` is complete before the rule
runs. A cycle of labels using each other is reported (E108).
"""

from __future__ import annotations

from collections.abc import Iterator

from evx.check.context import Context
from evx.errors import SourcePos
from evx.lang import ast


def order_labels(ctx: Context) -> None:
    """Set ``ctx.label_order`` (every label after the labels its rules depend on) and
    ``ctx.label_deps``."""
    deps: dict[str, set[str]] = {name: set() for name in ctx.schemas}
    where: dict[tuple[str, str], SourcePos] = {}
    for state in ctx.rules:
        rule = state.rule
        if rule.target not in deps:
            continue
        for label, pos in _rule_labels(ctx, rule):
            if label in ctx.schemas:
                deps[rule.target].add(label)
                where.setdefault((rule.target, label), pos)
    order: list[str] = []
    state_of: dict[str, int] = {}  # 1: on the stack, 2: placed
    for start in sorted(deps):
        if state_of.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(deps[start])))]
        state_of[start] = 1
        while stack:
            label, children = stack[-1]
            child = next(children, None)
            if child is None:
                state_of[label] = 2
                order.append(label)
                stack.pop()
                continue
            if state_of.get(child) == 1:
                cycle = [name for name, _ in stack]
                cycle = [*cycle[cycle.index(child) :], child]
                ctx.error(
                    "E108",
                    "labels use each other in a cycle: " + " -> ".join(f"@{c}" for c in cycle),
                    where.get((label, child)),
                    hint="a label cannot be needed to find itself; split one of the rules",
                )
                continue
            if not state_of.get(child):
                state_of[child] = 1
                stack.append((child, iter(sorted(deps[child]))))
    ctx.label_order = tuple(order)
    ctx.label_deps = {name: frozenset(found) for name, found in deps.items()}


def _rule_labels(ctx: Context, rule: ast.RuleDef) -> Iterator[tuple[str, SourcePos]]:
    """Every label a rule reads: in its pattern (as `@Name` and in token tests), conditions,
    expressions, the classifiers and named conditions it calls (and theirs, in turn), its
    paths' token tests and its `resolve:` clauses."""
    patterns: list[ast.Pattern] = [rule.match] if rule.match is not None else []
    conds: list[ast.Cond] = [rule.where] if rule.where is not None else []
    exprs: list[ast.Expr] = [rule.value] if rule.value is not None else []
    exprs.extend(a.expr for a in rule.sets)
    conds.extend(a.cond for a in rule.sets if a.cond is not None)
    seen: set[str] = set()
    while conds or exprs:
        for expr in exprs:
            for node in ast.walk_expr(expr):
                if isinstance(node, ast.LabelArg):
                    yield node.name, node.pos
                if not isinstance(node, ast.Call) or node.func in seen:
                    continue
                classifier = ctx.classifiers.get(node.func)
                condition = ctx.conditions.get(node.func)
                if classifier is not None:
                    seen.add(node.func)
                    conds.extend(case.cond for case in classifier.cases)
                elif condition is not None:  # read as if its body were written here
                    seen.add(node.func)
                    conds.append(condition.body)
        exprs = []
        for cond in conds:
            for cnode in ast.walk_cond(cond):
                if isinstance(cnode, ast.CondHas):
                    patterns.append(cnode.pattern)
                elif isinstance(cnode, ast.CondPresent):
                    exprs.append(cnode.expr)
        conds = []
    tests = [path.test for path in rule.paths if path.test is not None]
    for pattern in patterns:
        for pnode in ast.walk_pattern(pattern):
            if isinstance(pnode, ast.MentionRef):
                yield pnode.name, pnode.pos
            elif isinstance(pnode, ast.TokenPat) and pnode.test is not None:
                tests.append(pnode.test)
    for test in tests:  # `[@Person & title]`: the token lies inside a Person span
        for tnode in ast.walk_tests(test):
            if isinstance(tnode, ast.TokInside):
                yield tnode.label, tnode.pos
    for resolve in rule.resolves:
        yield resolve.label, resolve.pos
