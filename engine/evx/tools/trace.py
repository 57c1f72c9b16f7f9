"""The slow tracing path of `evx explain`: how far a pattern got, which condition failed, how a
field got its value.

The matcher shares one memo across every start of a sentence, which is what makes it
linear, and it says nothing of why a condition failed. Explaining needs more: the furthest
token reached *from one start* (the best one), the sub-condition of a `where:` that was
false, the `set:` line and the classifier case that gave a field its value. This module
recomputes those on demand, with its own memos and its own compiled sub-conditions, so the
hot path stays as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

import attrs

from evx.check.result import CheckedRuleSet
from evx.errors import SourcePos, source_line
from evx.lang import ast
from evx.lang.builtins import VALUE_FUNCTIONS
from evx.match.automaton import ACCEPT, Program
from evx.match.compiler import CompiledRule
from evx.match.context import DocContext
from evx.match.expressions import Defaulted, ExprCompiler
from evx.match.lexicons import CompiledLexicon, LexiconTable
from evx.match.patterns import PatternCompiler
from evx.match.scope import MatchScope
from evx.match.vm import FAIL, Run

Rename = Callable[[str], str]
"""Maps a rule file's internal name to the one to print (the path as the user gave it)."""


def _at(pos: SourcePos, rename: Rename) -> str:
    return f"{rename(pos.file)}:{pos.line}:{pos.column}"


@attrs.frozen
class Element:
    """A pattern element as the rule wrote it, and where."""

    note: str
    place: SourcePos | None
    line: str  # the rule-file line it is on ('' when unknown)

    def render(self, indent: str, rename: Rename = str) -> list[str]:
        """`file:line:col: element`, then the rule line with carets under the element
        (`rename` gives the file the name the user knows it by)."""
        if self.place is None:
            return [f"{indent}{self.note}"]
        out = [f"{indent}{_at(self.place, rename)}: {self.note}"]
        if self.line:
            width = 1
            if self.place.end_line == self.place.line:
                width = max(1, self.place.end_column - self.place.column)
            out.append(f"{indent}    {self.line.expandtabs(1)}")
            out.append(f"{indent}    " + " " * (self.place.column - 1) + "^" * width)
        return out


@attrs.frozen
class NearMiss:
    """How far a pattern got in a sentence from its best start (token offsets of the document)."""

    start: int  # the start that got furthest (the earliest of those)
    furthest: int  # the boundary it reached: the token there is the one that failed
    failed: tuple[Element, ...]  # the elements that wanted that token and did not get it
    ran_out: bool  # the furthest boundary is the end of the sentence


def snippet(sources: Mapping[str, str], pos: SourcePos) -> str:
    """The text at a position of a rule file, on one line ('' when it spans lines)."""
    line = source_line(sources.get(pos.file, ""), pos.line)
    if pos.end_line == pos.line and pos.end_column > pos.column:
        return line[pos.column - 1 : pos.end_column - 1]
    return line[pos.column - 1 :].strip()


def near_miss(
    ctx: DocContext, prog: Program, lo: int, hi: int, sources: Mapping[str, str]
) -> NearMiss | None:
    """The furthest boundary the program reaches from any start in [lo, hi), and what it
    wanted there; None when no start passes even its first element.

    Each start gets a memo of its own, so "furthest" is what that start reached, not a
    maximum over all of them; the best start is the one reaching furthest (the earliest of
    those, so the reported partial match is the longest). Quadratic in the sentence: a
    tracing path, never the matcher's.
    """
    run = Run(ctx, lo, hi, lo, hi)
    width = run.width
    best: tuple[int, int, dict[int, int]] | None = None
    for start in range(lo, hi):
        memo: dict[int, int] = {}
        why: dict[int, tuple[int, int]] = {}
        for guards, _tags, target in prog.start:
            if target == ACCEPT or (guards and not run._guards_hold(guards, start)):
                continue
            if not run._consume(prog, target, start):
                continue  # fails on its first token: it cannot get past this start
            run._solve(prog, target, start, memo, why, width)
        if not memo:
            continue
        furthest = max(key % width for key in memo)
        if furthest > start and (best is None or furthest > best[1]):
            best = (start, furthest, memo)
    if best is None:
        return None
    start, furthest, memo = best
    failed: list[Element] = []
    seen: set[int] = set()
    for key, result in memo.items():
        q = key // width
        if key % width != furthest or result != FAIL or q in seen:
            continue
        seen.add(q)
        if run._consume(prog, q, furthest):
            continue  # it consumed the token; what followed (a lookaround) failed
        place = prog.places[q] if q < len(prog.places) else None
        line = source_line(sources.get(place.file, ""), place.line) if place else ""
        failed.append(Element(prog.notes[q] if q < len(prog.notes) else "?", place, line))
    failed.sort(key=lambda e: (e.place.line, e.place.column) if e.place else (0, 0))
    return NearMiss(start, furthest, tuple(failed), furthest >= hi)


@attrs.frozen
class Step:
    """One line of a trace: what was evaluated, where it is written, and what it gave."""

    text: str
    place: SourcePos | None
    outcome: str
    depth: int = 0

    def render(self, rename: Rename = str) -> str:
        where = f" ({_at(self.place, rename)})" if self.place is not None else ""
        return "  " * self.depth + f"{self.text}{where}: {self.outcome}"


def _shown(value: object) -> str:
    if isinstance(value, Defaulted):
        return f"{str.__str__(value)} (the classifier's `otherwise`)"
    if isinstance(value, tuple):
        value = list(value)
    return json.dumps(value, ensure_ascii=False)


class Tracer:
    """Evaluates the parts of a rule's conditions and assignments one by one.

    It compiles what it evaluates with an expression compiler of its own (its window
    patterns are unknown to the document's condition index, which then tries every start),
    so tracing changes nothing the matcher keeps.
    """

    def __init__(self, checked: CheckedRuleSet) -> None:
        self.checked = checked
        lexicons = LexiconTable(
            {name: CompiledLexicon(name, lex.entries) for name, lex in checked.lexicons.items()}
        )
        self.exprs = ExprCompiler(PatternCompiler(lexicons, checked.sources), checked)

    def _text(self, pos: SourcePos) -> str:
        return snippet(self.checked.sources, pos) or "..."

    def condition(
        self, cond: ast.Cond, bind: dict[str, str], scope: MatchScope, depth: int = 0
    ) -> list[Step]:
        """The steps that decided a condition: for `and` the first part that failed, for
        `or` every part, for `not` its operand, for a named condition its body; each leaf
        with its outcome."""
        holds = self.exprs.condition(cond, bind)(scope)
        steps = [Step(self._text(cond.pos), cond.pos, "true" if holds else "false", depth)]
        call = cond.expr if isinstance(cond, ast.CondPresent) else None
        named = self.checked.conditions.get(call.func) if isinstance(call, ast.Call) else None
        if named is not None and isinstance(call, ast.Call):
            steps.extend(self._named(named, call, bind, scope, depth + 1))
        if isinstance(cond, ast.CondAnd):
            for part in cond.operands:
                sub = self.condition(part, bind, scope, depth + 1)
                if not holds:
                    if sub[0].outcome == "false":
                        steps.extend(sub)
                        break
                else:
                    steps.extend(sub[:1])
        elif isinstance(cond, ast.CondOr):
            for part in cond.operands:
                steps.extend(self.condition(part, bind, scope, depth + 1))
        elif isinstance(cond, ast.CondNot):
            steps.extend(self.condition(cond.operand, bind, scope, depth + 1))
        return steps

    def _named(
        self,
        named: ast.ConditionDef,
        call: ast.Call,
        bind: dict[str, str],
        scope: MatchScope,
        depth: int,
    ) -> list[Step]:
        """A named condition's body, part by part, with its parameter bound to the capture
        of the call; its first line names the condition and the capture."""
        arg = call.args[0]
        assert isinstance(arg, ast.Ref)
        target = bind.get(arg.name, arg.name)
        body = self.condition(named.body, {named.param: target}, scope, depth)
        header = f"condition {named.name}({named.param}), {named.param} = {target}:"
        body[0] = attrs.evolve(body[0], text=f"{header} {body[0].text}")
        return body

    def _calls_named(self, cond: ast.Cond) -> bool:
        return any(
            isinstance(node, ast.CondPresent)
            and isinstance(node.expr, ast.Call)
            and node.expr.func in self.checked.conditions
            for node in ast.walk_cond(cond)
        )

    def where(self, rule: CompiledRule, scope: MatchScope) -> list[Step]:
        """Why a rule's `where:` held or not, part by part."""
        where = rule.checked.rule.where
        if where is None:
            return []
        return self.condition(where, _bind(rule), scope)

    def field(self, rule: CompiledRule, name: str, scope: MatchScope) -> list[Step]:
        """How a field of a rule's record gets its value in this match: the capture named
        like it, else each `set:` line in order, with the normalizer or classifier steps of
        the one that gave the value."""
        bind = _bind(rule)
        steps: list[Step] = []
        plan = next((p for p in rule.fields if p.name == name), None)
        if plan is None:
            return [Step(f"`{name}`", None, f"not a field of {rule.label}")]
        if plan.capture is not None:
            spans = scope.spans(plan.capture)
            if spans:
                text = scope.span_text(spans[0][0], spans[-1][1])
                many = scope.values(plan.capture) if plan.type.kind == "list" else None
                shown = _shown(many) if many is not None else _shown(scope.value(name))
                steps.append(Step(f"capture `{name}` = {text!r}", None, f"value {shown}"))
                steps.extend(self._value_source(rule, plan.capture, scope))
                return steps
            steps.append(Step(f"capture `{name}`", None, "matched nothing", 0))
        for assignment in rule.checked.rule.sets:
            if assignment.field != name:
                continue
            line = f"set: {self._text(assignment.pos)}"
            if assignment.cond is not None:
                cond_steps = self.condition(assignment.cond, bind, scope, 1)
                if cond_steps[0].outcome == "false":
                    steps.append(Step(line, assignment.pos, "its condition is false"))
                    steps.extend(cond_steps)
                    continue
            value = self.exprs.expr(assignment.expr, bind)(scope)
            if value is None or value in ([], ()):
                steps.append(Step(line, assignment.pos, "null, so the next line is tried"))
                continue
            steps.append(Step(line, assignment.pos, _shown(value)))
            steps.extend(self._expr_steps(assignment.expr, bind, scope, 1))
            return steps
        steps.append(Step("nothing set it", None, "null"))
        return steps

    def _value_source(self, rule: CompiledRule, capture: str, scope: MatchScope) -> list[Step]:
        """Where a capture's value came from: a mention with its span (and that mention's
        `value:` normalizer), or a lexicon entry's canonical form."""
        spans = scope.spans(capture)
        source = rule.valuers.get(capture)
        if not spans or source is None:
            return []
        start, end = spans[-1]
        for label in source.labels:
            table = scope.ctx.labels.get(label)
            found = table.values.get((start, end)) if table is not None else None
            if found is None:
                continue
            steps = [Step(f"the @{label} mention there", None, f"value {_shown(found)}", 1)]
            mention = next((r for r in self.checked.rules if r.rule.name == label), None)
            expr = mention.rule.value if mention is not None else None
            if isinstance(expr, ast.Call) and expr.func in VALUE_FUNCTIONS:
                text = scope.span_text(start, end)
                done = f"{expr.func}({text!r}) = {_shown(found)}"
                steps.append(Step(f"value: {self._text(expr.pos)}", expr.pos, done, 2))
            return steps
        for lexicon in source.lexicons:
            canonical = lexicon.value_at(scope.ctx.doc, start, end)
            if canonical is not None:
                return [Step(f"lexicon {lexicon.name}", None, f"canonical {canonical!r}", 1)]
        return []

    def _expr_steps(
        self, expr: ast.Expr, bind: dict[str, str], scope: MatchScope, depth: int
    ) -> list[Step]:
        """The inner steps of an expression: a normalizer's input, a classifier's cases."""
        if not isinstance(expr, ast.Call) or not expr.args:
            return []
        arg = expr.args[0]
        if not isinstance(arg, ast.Ref):
            return []
        target = bind.get(arg.name, arg.name)
        if expr.func in VALUE_FUNCTIONS:
            text = scope.text(target)
            apply = VALUE_FUNCTIONS[expr.func].func
            value = None if text is None else apply(text, scope.doc_date())
            return [Step(f"{expr.func}({text!r})", None, _shown(value), depth)]
        classifier = self.checked.classifiers.get(expr.func)
        if classifier is None:
            return []
        steps: list[Step] = []
        inner = {classifier.param: target}
        for case in classifier.cases:
            holds = self.exprs.condition(case.cond, inner)(scope)
            verdict = "holds: chosen" if holds else "does not hold"
            text = f"{case.result} when {self._text(case.cond.pos)}"
            steps.append(Step(text, case.pos, verdict, depth))
            if self._calls_named(case.cond):  # what the named condition decided, inside
                steps.extend(self.condition(case.cond, inner, scope, depth)[1:])
            if holds:
                return steps
        steps.append(
            Step(f"otherwise {classifier.otherwise}", classifier.otherwise_pos, "chosen", depth)
        )
        return steps


def _bind(rule: CompiledRule) -> dict[str, str]:
    return {name: name for name, _ in rule.checked.capture_types}
