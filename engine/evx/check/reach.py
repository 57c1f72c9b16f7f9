"""Pass 14, reach: warn (W317) about a named capture whose value can never reach a field.

A capture named like a field fills it; any other capture of an event rule must be read by
a clause, or it is an error already (E201). What E201 cannot see is a capture read only
by `set:` lines that never run, and a capture of a mention that nothing reads:

- **A `set:` line that never runs.** A field's capture, when it matched, gives the field
  its value and the field's `set:` lines are not looked at (even when the capture's text
  gives no value); and of a field's lines, the first that gives a value wins. So a line
  never runs when the field has a capture of its name on every path of the pattern
  (outside any optional part, alternative or `*`, around something that always consumes
  a token), or when an earlier line for the field has no `if` and assigns a constant (a
  literal or an enum member). A capture read only by such lines never reaches a field.
- **A mention's capture.** A mention's record is its value: a capture that its `value:`
  and its `where:` do not read is only a name.

A capture counts as reaching a field when anything that decides a record reads it: a
`set:` line that can run (its value or its `if`, a classifier called there included),
`where:`, `resolve:` or the start of a `path:`. Every capture of an event rule is also one
of the record's argument spans (`args`), whatever reads it; the warning is about fields.
"""

from __future__ import annotations

from collections.abc import Iterator

from evx.check.context import Context, RuleState
from evx.errors import SourcePos
from evx.lang import ast
from evx.lang.analysis import nullable


def _refs(node: ast.Expr | ast.Cond | None) -> Iterator[str]:
    """Every bare name an expression or condition reads (captures among them)."""
    if node is None:
        return
    if isinstance(node, ast.Ref):
        yield node.name
    elif isinstance(node, ast.Call):
        for arg in node.args:
            yield from _refs(arg)
    elif isinstance(node, ast.CondHas):
        yield from _refs(node.window)
    elif isinstance(node, ast.CondPresent):
        yield from _refs(node.expr)
    elif isinstance(node, ast.CondNot):
        yield from _refs(node.operand)
    elif isinstance(node, ast.CondAnd | ast.CondOr):
        for operand in node.operands:
            yield from _refs(operand)


def _always(ctx: Context, pattern: ast.Pattern, name: str) -> bool:
    """True when every match of the pattern captures a non-empty span under `name`."""
    if isinstance(pattern, ast.Capture):
        if pattern.name == name and not _may_be_empty(ctx, pattern.body):
            return True
        return _always(ctx, pattern.body, name)
    if isinstance(pattern, ast.Seq):
        return any(_always(ctx, item, name) for item in pattern.items)
    if isinstance(pattern, ast.Alt):
        return all(_always(ctx, option, name) for option in pattern.options)
    if isinstance(pattern, ast.Repeat):
        return pattern.min >= 1 and _always(ctx, pattern.body, name)
    return False


def _may_be_empty(ctx: Context, pattern: ast.Pattern) -> bool:
    """Whether the pattern can match without a token, counting an outside mention's span
    (which the document supplies, and evx does not check for width) as possibly empty."""
    if nullable(pattern):
        return True
    for node in ast.walk_pattern(pattern):
        if isinstance(node, ast.MentionRef):
            schema = ctx.schemas.get(node.name)
            if schema is None or schema.external:
                return True
    return False


def _constant(expr: ast.Expr, captures: dict[str, object], kind: str) -> bool:
    """True when the expression always gives a value: a literal that is not null or an
    empty list, or an enum member."""
    if isinstance(expr, ast.Lit):
        return expr.value is not None and expr.value not in ((), [])
    return isinstance(expr, ast.Ref) and expr.name not in captures and kind == "enum"


def _capture_pos(pattern: ast.Pattern, name: str) -> SourcePos:
    for node in ast.walk_pattern(pattern):
        if isinstance(node, ast.Capture) and node.name == name:
            return node.pos
    return pattern.pos


def check_reach(ctx: Context) -> None:
    """One warning per capture whose value no field can get (see the module docstring)."""
    for state in ctx.checkable():
        if state.rule.is_mention:
            _mention(ctx, state)
        else:
            _event_rule(ctx, state)


def _mention(ctx: Context, state: RuleState) -> None:
    rule = state.rule
    assert rule.match is not None
    for name in state.captures:
        if name in state.used:
            continue
        ctx.warn(
            "W317",
            f"capture `{name}` of mention `{rule.name}` is never read: neither `value:` "
            "nor `where:` uses it",
            _capture_pos(rule.match, name),
            hint=f"a mention's record is its value: read the capture in `value:` "
            f"(`value: number({name})`), or leave out the name",
        )


def _event_rule(ctx: Context, state: RuleState) -> None:
    rule = state.rule
    assert rule.match is not None
    schema = ctx.schemas[rule.target]
    captures: dict[str, object] = dict(state.captures)
    live = set(_refs(rule.where)) | {r.capture for r in rule.resolves}
    live |= {path.start for path in rule.paths}
    # fields a set: line can no longer change: filled by their capture on every match, or
    # given a value by an earlier line that always gives one (why, for the message)
    closed = {
        name: f"`{name}` is always filled by its capture `{name}`"
        for name in schema.field_names
        if name in captures and _always(ctx, rule.match, name)
    }
    dead: list[tuple[ast.Assignment, str]] = []
    for line in rule.sets:
        field = schema.field(line.field)
        if field is None:  # E203 said so: count what it reads as read
            live |= set(_refs(line.expr)) | set(_refs(line.cond))
            continue
        if line.field in closed:
            dead.append((line, closed[line.field]))
            continue
        live |= set(_refs(line.expr)) | set(_refs(line.cond))
        if line.cond is None and _constant(line.expr, captures, field.kind):
            closed[line.field] = (
                f"an earlier line (line {line.pos.line}) always gives `{line.field}` a value"
            )
    for name in captures:
        if schema.field(name) is not None or name in live or name not in state.used:
            continue  # a field's own capture, read where it counts, or E201's
        readers = [
            (line, why)
            for line, why in dead
            if name in set(_refs(line.expr)) | set(_refs(line.cond))
        ]
        if not readers:
            continue
        line, why = readers[0]
        ctx.warn(
            "W317",
            f"capture `{name}` never reaches a field: the `set:` line reading it "
            f"(`{line.field} = ...`, line {line.pos.line}) never runs, since {why}",
            _capture_pos(rule.match, name),
            hint="a field's `set:` lines run only when its own capture left it empty, and "
            "the first line that gives a value wins: make that capture optional or rename "
            "it, or put the line first",
            related=tuple(ctx.note("this line never runs", r.pos) for r, _ in readers),
        )
