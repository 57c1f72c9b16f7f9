"""Expressions, conditions and classifier calls compiled to closures over a match's scope.

`set:` and `value:` expressions become evaluators, `where:` and `if` conditions become
predicates; both ask a :class:`Scope` (implemented by :mod:`evx.match.scope`) for capture
values, windows and label values, so nothing here knows how a match is stored. A call of
a classifier or a named condition is its body compiled in place, its parameter bound to
the capture it was called with.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Protocol

import attrs

from evx.check.result import CheckedRuleSet
from evx.lang import ast
from evx.lang.builtins import VALUE_FUNCTIONS
from evx.match.automaton import Program
from evx.match.patterns import PatternCompiler


class Scope(Protocol):
    """What compiled expressions may ask of a match (implemented by ``events``)."""

    def spans(self, capture: str) -> list[tuple[int, int]]: ...

    def value(self, capture: str) -> object: ...

    def values(self, capture: str) -> list[object]: ...

    def text(self, capture: str) -> str | None: ...

    def windows(self, kind: str, capture: str, size: int) -> list[tuple[int, int]]: ...

    def has(self, prog: Program, window: tuple[int, int]) -> bool: ...

    def label_values(self, label: str, window: tuple[int, int]) -> list[object]: ...

    def doc_date(self) -> datetime.date | None: ...


class Defaulted(str):
    """A classifier's `otherwise` verdict: the member's name, marked as not stated, so the
    record can say its field was defaulted (and a story can fill it from a statement)."""

    __slots__ = ()


Evaluator = Callable[[Scope], object]
Condition = Callable[[Scope], bool]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_as_text(v) for v in value)
    return str(value)


def as_int(value: object) -> int | None:
    """A value as a count: ints (not bools) and digit strings; anything else is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _shape(node: object) -> object:
    """A syntax tree without its source positions: equal for patterns written alike."""
    if isinstance(node, tuple | list):
        return tuple(_shape(n) for n in node)
    cls = type(node)
    if attrs.has(cls):
        fields = attrs.fields(cls)
        return (
            cls.__name__,
            tuple(
                (f.name, _shape(getattr(node, f.name)))
                for f in fields
                if f.name != "pos" and not f.name.endswith("_pos")
            ),
        )
    return node


class ExprCompiler:
    """Compiles `set:` expressions, conditions and classifier calls into closures."""

    def __init__(self, patterns: PatternCompiler, checked: CheckedRuleSet) -> None:
        self.patterns = patterns
        self.checked = checked
        self.programs: dict[int, Program] = {}
        self._by_shape: dict[tuple[str, object], Program] = {}
        # a named condition called on one capture is the same closure in every rule that
        # calls it so (the packs call theirs on `trigger`): compiled once
        self._named: dict[tuple[str, str], Condition] = {}

    def _program(self, pattern: ast.Pattern) -> Program:
        # one Program per distinct pattern of a file, not per occurrence: the condition
        # index scans for each Program once per document, and the packs write the same
        # `has @ModeCue` ten times over
        found = self.programs.get(id(pattern))
        if found is None:
            key = (pattern.pos.file, _shape(pattern))
            found = self._by_shape.get(key)
            if found is None:
                found = self._by_shape[key] = self.patterns.program(pattern)
            self.programs[id(pattern)] = found
        return found

    def expr(self, expr: ast.Expr, bind: dict[str, str]) -> Evaluator:
        """`bind` maps the names that are captures here to the captures they read (a
        classifier's parameter maps to the capture it was called with)."""
        if isinstance(expr, ast.Lit):
            constant = list(expr.value) if isinstance(expr.value, tuple) else expr.value
            return lambda scope: constant
        if isinstance(expr, ast.Ref):
            if expr.name in bind or expr.name == "match":
                name = bind.get(expr.name, expr.name)
                return lambda scope: scope.value(name)
            member = expr.name  # the checker made sure it is an enum member of the field
            return lambda scope: member
        if isinstance(expr, ast.LabelArg):
            return lambda scope: None  # only meaningful inside collect(), checked
        func = expr.func
        if func == "join":
            parts = [self.expr(a, bind) for a in expr.args]

            def join(scope: Scope) -> object:
                words = [_as_text(p(scope)) for p in parts]
                text = " ".join(w for w in words if w)
                return text or None

            return join
        if func == "sum":
            terms = [self.expr(a, bind) for a in expr.args]

            def total(scope: Scope) -> object:
                # the numbers that are there: "62 women and four babies" with the babies'
                # count optional in the pattern is 62 when they are not said
                found = [v for v in (as_int(t(scope)) for t in terms) if v is not None]
                return sum(found) if found else None

            return total
        if func in ("collect", "find"):
            label, window = expr.args
            assert isinstance(label, ast.LabelArg) and isinstance(window, ast.Call)
            name = label.name
            kind, capture, size = self._window(window, bind)
            first_only = func == "find"

            def collect(scope: Scope) -> object:
                found: list[object] = []
                for span in scope.windows(kind, capture, size):
                    for value in scope.label_values(name, span):
                        if first_only:
                            return value
                        if value not in found:
                            found.append(value)
                return None if first_only else found

            return collect
        arg = expr.args[0]
        assert isinstance(arg, ast.Ref)
        target = bind.get(arg.name, arg.name)
        function = VALUE_FUNCTIONS.get(func)
        if function is not None:
            apply = function.func

            def call_value_function(scope: Scope) -> object:
                text = scope.text(target)
                if text is None:
                    return None
                return apply(text, scope.doc_date())

            return call_value_function
        classifier = self.checked.classifiers[func]
        inner = {classifier.param: target}
        cases = [(self.condition(c.cond, inner), c.result) for c in classifier.cases]
        otherwise = Defaulted(classifier.otherwise)

        def classify(scope: Scope) -> object:
            for cond, result in cases:
                if cond(scope):
                    return result
            return otherwise

        return classify

    def named(self, call: ast.Call, bind: dict[str, str]) -> Condition:
        """A call of a named condition: its body, with its parameter bound to the capture
        the call names (the checker made sure there is one, and that no call cycles)."""
        arg = call.args[0]
        assert isinstance(arg, ast.Ref)
        target = bind.get(arg.name, arg.name)
        found = self._named.get((call.func, target))
        if found is None:
            condition = self.checked.conditions[call.func]
            found = self.condition(condition.body, {condition.param: target})
            self._named[(call.func, target)] = found
        return found

    @staticmethod
    def _window(window: ast.Call, bind: dict[str, str]) -> tuple[str, str, int]:
        """(kind, capture, size) of a window call such as `before(trigger, 5)`."""
        ref = window.args[0]
        assert isinstance(ref, ast.Ref)
        size = 0
        if len(window.args) > 1:
            lit = window.args[1]
            assert isinstance(lit, ast.Lit) and isinstance(lit.value, int)
            size = lit.value
        return window.func, bind.get(ref.name, ref.name), size

    def condition(self, cond: ast.Cond, bind: dict[str, str]) -> Condition:
        if isinstance(cond, ast.CondNot):
            inner = self.condition(cond.operand, bind)
            return lambda scope: not inner(scope)
        if isinstance(cond, ast.CondAnd):
            parts = [self.condition(c, bind) for c in cond.operands]
            return lambda scope: all(p(scope) for p in parts)
        if isinstance(cond, ast.CondOr):
            parts = [self.condition(c, bind) for c in cond.operands]
            return lambda scope: any(p(scope) for p in parts)
        if isinstance(cond, ast.CondPresent):
            call = cond.expr
            if isinstance(call, ast.Call) and call.func in self.checked.conditions:
                return self.named(call, bind)
            value = self.expr(cond.expr, bind)
            return lambda scope: value(scope) not in (None, [], "")
        assert isinstance(cond.window, ast.Call)
        kind, capture, size = self._window(cond.window, bind)
        prog = self._program(cond.pattern)
        return lambda scope: any(scope.has(prog, w) for w in scope.windows(kind, capture, size))
