"""Pass 3, rule shape: each rule produces a known label and has the clauses its kind allows.

A rule whose target is unknown (E104) or that has no `match:` (E309) cannot be checked
further and is set aside; clauses in the wrong kind of rule are reported (E206).
"""

from __future__ import annotations

from evx.check.context import Context, RuleState, suggest
from evx.lang import ast


def check_rule_shapes(ctx: Context) -> None:
    """Set aside rules that cannot be checked further; report misplaced clauses."""
    for state in ctx.rules:
        if _has_target_and_match(ctx, state):
            _check_clause_kinds(ctx, state.rule)
        else:
            state.ok = False


def _has_target_and_match(ctx: Context, state: RuleState) -> bool:
    rule = state.rule
    schema = ctx.schemas.get(rule.target)
    if schema is None:
        options = [n for n, s in ctx.schemas.items() if s.is_event]
        ctx.error(
            "E104",
            f"rule `{rule.name}` produces unknown event type `{rule.target}`",
            rule.target_pos or rule.pos,
            hint=suggest(rule.target, options) or "declare it with `event Name { ... }`",
        )
        return False
    if not rule.is_mention and not schema.is_event:
        ctx.error(
            "E104",
            f"`{rule.target}` is a mention; rules produce events",
            rule.target_pos or rule.pos,
            hint=f"add alternatives to `mention {rule.target}` itself",
        )
        return False
    if rule.match is None:
        ctx.error(
            "E309",
            f"rule `{rule.name}` has no `match:` clause",
            rule.pos,
            hint='add `match: "..." [...]` with the pattern it looks for',
        )
        return False
    return True


def _check_clause_kinds(ctx: Context, rule: ast.RuleDef) -> None:
    if rule.is_mention:
        if rule.sets:
            ctx.error(
                "E206",
                "a mention computes one `value:`; `set:` is for event rules",
                rule.sets[0].pos,
                hint="write `value: number(match)` or similar",
            )
        if rule.resolves:
            ctx.error("E206", "`resolve:` is for event rules", rule.resolves[0].pos)
        if rule.paths:
            ctx.error("E206", "`path:` is for event rules", rule.paths[0].pos)
    else:
        if rule.value is not None:
            ctx.error(
                "E206",
                "`value:` is for mentions; event rules fill fields with captures and `set:`",
                rule.pos,
                hint="write `set: field = expression`",
            )
        if rule.overlap is not None:
            ctx.error(
                "E206",
                "overlaps are resolved per event type, not per rule",
                rule.overlap_pos or rule.pos,
                hint=f"declare `overlap: {rule.overlap}` in `event {rule.target} {{ ... }}`",
            )
