"""Pass 6, clauses: check each rule's `set:`, `resolve:`, `where:` and `value:` clauses.

Reports assignments to unknown fields (E203), a `resolve:` naming no capture (E207) or an
unknown label (E102), a mention whose value does not fit its declared type (E202), and
everything the expression checks find. Records which captures the clauses read.
"""

from __future__ import annotations

from evx.check.captures import value_type_of
from evx.check.context import Context, RuleState, suggest
from evx.check.expressions import check_cond, check_expr
from evx.check.schema import FieldType, Schema, fits
from evx.lang import ast


def check_clauses(ctx: Context) -> None:
    """Check the clauses of every rule still being checked."""
    for state in ctx.checkable():
        rule = state.rule
        schema = ctx.schemas[rule.target]
        captures = state.captures
        used = _check_sets(ctx, rule, schema, captures)
        used |= _check_resolves(ctx, rule, set(captures))
        used |= {path.start for path in rule.paths}  # a path reads the capture it starts at
        if rule.where is not None:
            used |= check_cond(ctx, rule.where, captures)
        if rule.is_mention:
            used |= _check_mention_value(ctx, state, schema)
        state.used = used


def _check_sets(
    ctx: Context, rule: ast.RuleDef, schema: Schema, captures: dict[str, FieldType]
) -> set[str]:
    used: set[str] = set()
    for assignment in rule.sets:
        field = schema.field(assignment.field)
        if field is None:
            ctx.error(
                "E203",
                f"{schema.name} has no field `{assignment.field}`",
                assignment.pos,
                hint=suggest(assignment.field, schema.field_names)
                or "fields: " + ", ".join(schema.field_names),
            )
            # names may be members of an enum we cannot know: report the field only
            used |= {
                e.name
                for e in ast.walk_expr(assignment.expr)
                if isinstance(e, ast.Ref) and e.name in captures
            }
        else:
            used |= check_expr(ctx, assignment.expr, captures, field)
        if assignment.cond is not None:
            used |= check_cond(ctx, assignment.cond, captures)
    return used


def _check_resolves(ctx: Context, rule: ast.RuleDef, captures: set[str]) -> set[str]:
    used: set[str] = set()
    for resolve in rule.resolves:
        if resolve.capture not in captures:
            ctx.error(
                "E207",
                f"`resolve: {resolve.capture}` names no capture of rule `{rule.name}`",
                resolve.pos,
                hint=suggest(resolve.capture, captures),
            )
        used.add(resolve.capture)
        if resolve.label not in ctx.schemas:
            ctx.error(
                "E102",
                f"unknown label `@{resolve.label}`",
                resolve.pos,
                hint=suggest(resolve.label, ctx.schemas),
            )
    return used


def _check_mention_value(ctx: Context, state: RuleState, schema: Schema) -> set[str]:
    rule = state.rule
    if rule.value is None:
        declared = schema.field("value")
        assert rule.match is not None
        implicit = value_type_of(ctx, rule.match)
        if declared is not None and not fits(implicit, declared):
            ctx.error(
                "E202",
                f"mention `{rule.name}` is declared {declared.describe()} but its text is "
                f"{implicit.describe()}",
                rule.pos,
                hint="compute the value: `value: number(match)` (or duration, ordinal, date)",
            )
        return set()
    return check_expr(ctx, rule.value, state.captures, schema.field("value"))
