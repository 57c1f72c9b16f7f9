"""Pass 10, named conditions: each `condition` body is sound, and no call goes round in a cycle.

A body is checked as a classifier's cases are, with its parameter as the one capture.
Named conditions and classifiers may call each other, and each call is compiled (and
traced) by compiling the callee's body in place, so a function that needs its own verdict,
directly or through others, can never be compiled: that is reported (E113), naming the
cycle. Calls in place also stack their bodies: a chain nested deeper than the parser
allows one construct to nest is refused (E019), so no stage after this one can run out of
stack.
"""

from __future__ import annotations

from collections.abc import Iterator

from evx.check.context import Context
from evx.check.expressions import check_cond
from evx.check.schema import STR
from evx.errors import SourcePos
from evx.lang import ast
from evx.lang.parser import MAX_NESTING

Function = ast.ConditionDef | ast.ClassifyDef
Call = tuple[str, int, SourcePos]  # a function called, how deep in the body, where


def check_conditions(ctx: Context) -> None:
    """Check every named condition's body, then the calls between conditions and
    classifiers for cycles and depth."""
    for condition in ctx.conditions.values():
        check_cond(ctx, condition.body, {condition.param: STR})
    functions: dict[str, Function] = {**ctx.classifiers, **ctx.conditions}
    calls = {name: list(_calls(ctx, function)) for name, function in functions.items()}
    cyclic = _report_cycles(ctx, functions, calls)
    _report_depth(ctx, functions, calls, cyclic)


def _conds(function: Function) -> Iterator[ast.Cond]:
    if isinstance(function, ast.ConditionDef):
        yield function.body
    else:
        yield from (case.cond for case in function.cases)


def _calls(ctx: Context, function: Function) -> Iterator[Call]:
    """Every call of a named condition or classifier in the function's conditions, with
    how deep it sits (a body's conditions start at 1); the depth a function reaches
    itself is yielded as a call of ''."""
    stack: list[tuple[ast.Cond | ast.Expr, int]] = [(c, 1) for c in _conds(function)]
    deepest = 0
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, ast.CondNot):
            stack.append((node.operand, depth + 1))
        elif isinstance(node, ast.CondAnd | ast.CondOr):
            stack.extend((c, depth + 1) for c in node.operands)
        elif isinstance(node, ast.CondHas):
            stack.append((node.window, depth + 1))
        elif isinstance(node, ast.CondPresent):
            stack.append((node.expr, depth + 1))
        elif isinstance(node, ast.Call):
            if node.func in ctx.conditions or node.func in ctx.classifiers:
                yield node.func, depth, node.pos
            stack.extend((a, depth + 1) for a in node.args)
    yield "", deepest, function.pos


def _kind(function: Function) -> str:
    return "named condition" if isinstance(function, ast.ConditionDef) else "classifier"


def _plural(kinds: set[str]) -> str:
    if len(kinds) > 1:
        return "named conditions and classifiers"
    return "named conditions" if kinds == {"named condition"} else "classifiers"


def _chain(cycle: list[str]) -> str:
    """`a -> b -> a`; a long cycle (a generated file's) with its middle left out."""
    if len(cycle) <= 10:
        return " -> ".join(cycle)
    shown = [*cycle[:5], "...", *cycle[-3:]]
    return " -> ".join(shown) + f" ({len(cycle) - 1} in all)"


def _report_cycles(
    ctx: Context, functions: dict[str, Function], calls: dict[str, list[Call]]
) -> set[str]:
    """Report (E113) each cycle of calls once, at the call that closes it; return the
    functions on a cycle. Iterative, like the label order: a long chain of calls must not
    exhaust the stack."""
    callees = {name: sorted({c for c, _, _ in found if c}) for name, found in calls.items()}
    where = {(name, c): pos for name, found in calls.items() for c, _, pos in reversed(found)}
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    cyclic: set[str] = set()
    for start in functions:
        if state.get(start):
            continue
        state[start] = 1
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(callees[start]))]
        while stack:
            name, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[name] = 2
                stack.pop()
            elif state.get(child) == 1:
                path = [n for n, _ in stack]
                cycle = [*path[path.index(child) :], child]
                cyclic.update(cycle)
                message = (
                    f"{_kind(functions[child])} `{child}` calls itself"
                    if len(cycle) == 2
                    else f"{_plural({_kind(functions[n]) for n in cycle})} call each other "
                    "in a cycle"
                )
                ctx.error(
                    "E113",
                    f"{message}: {_chain(cycle)}",
                    where[(name, child)],
                    hint="a condition cannot need its own verdict to decide: leave out the "
                    "call that goes back, or give the part both need a condition of its own",
                )
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(callees[child])))
    return cyclic


def _report_depth(
    ctx: Context, functions: dict[str, Function], calls: dict[str, list[Call]], cyclic: set[str]
) -> None:
    """Report (E019) where calls in place first stack bodies deeper than MAX_NESTING: at
    each function too deep whose callees are not. Functions on a cycle were reported."""
    depth: dict[str, int] = {}
    endless = set(cyclic)  # on a cycle, or calling into one: no depth to speak of
    for start in functions:
        stack, on_stack = [start], {start}
        while stack:  # callees first
            name = stack[-1]
            if name in depth or name in endless:
                on_stack.discard(stack.pop())
                continue
            pending = [c for c, _, _ in calls[name] if c and c not in depth and c not in endless]
            if pending and pending[0] in on_stack:
                endless.add(name)  # every cycle holds a function reported: not reached
            elif pending:
                stack.append(pending[0])
                on_stack.add(pending[0])
            elif any(c in endless for c, _, _ in calls[name]):
                endless.add(name)
            else:
                depth[name] = max(d + (depth[c] if c else 0) for c, d, _ in calls[name])
    for name, reached in depth.items():
        inner = [depth[c] for c, _, _ in calls[name] if c]
        if reached <= MAX_NESTING or any(d > MAX_NESTING for d in inner):
            continue
        function = functions[name]
        ctx.error(
            "E019",
            f"{_kind(function)} `{name}` nests {reached} levels deep with the bodies it "
            f"calls in place (limit {MAX_NESTING})",
            function.pos,
            hint="each call of a named condition or classifier counts as its body written "
            "there: call fewer in a chain, or write the chain's conditions flatter",
        )
