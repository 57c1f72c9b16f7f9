"""Pass 7, fields: every capture of an event rule fills a field it fits or is used, and every
required field is filled.

Reports captures that are neither fields nor used (E201), captures whose values cannot
fill their field (E202) and required fields no capture or `set:` fills (E204).
"""

from __future__ import annotations

from evx.check.context import Context, RuleState, suggest
from evx.check.schema import FieldType, Schema, fits
from evx.errors import SourcePos
from evx.lang import ast
from evx.lang.analysis import unwrap_optional


def check_fields(ctx: Context) -> None:
    """Check how the captures and assignments of every event rule fill its fields."""
    for state in ctx.checkable():
        rule = state.rule
        if rule.is_mention:
            continue
        assert rule.match is not None
        schema = ctx.schemas[rule.target]
        for name, ctype in state.captures.items():
            field = schema.field(name)
            if field is None:
                if name not in state.used:
                    ctx.error(
                        "E201",
                        f"capture `{name}` is not a field of {schema.name} and is not used",
                        _capture_pos(rule.match, name),
                        hint=suggest(name, schema.field_names)
                        or f"fields of {schema.name}: " + ", ".join(schema.field_names),
                    )
                continue
            _check_capture_fits(ctx, state, name, ctype, field)
        _check_required(ctx, rule, schema, set(state.captures))


def _check_capture_fits(
    ctx: Context, state: RuleState, name: str, ctype: FieldType, field: FieldType
) -> None:
    pattern = state.rule.match
    assert pattern is not None
    target = field.elem if field.kind == "list" and field.elem is not None else field
    if fits(ctype, target):
        return
    if target.kind == "enum" and ctype.kind == "str":
        inner = _capture_body(pattern, name)
        values = _canonical_values(ctx, inner) if inner is not None else None
        if values is not None:
            bad = sorted(v for v in values if v not in target.members)
            if not bad:
                return
            ctx.error(
                "E202",
                f"capture `{name}` can give {', '.join(bad)}, not members of {target.describe()}",
                _capture_pos(pattern, name),
                hint="members: " + ", ".join(target.members),
            )
            return
    hint = None
    if target.kind == "int":
        hint = (
            f"capture a valued mention (e.g. `{name}:@Quantity`) or rename the capture and "
            f"`set: {name} = number(...)`"
        )
    elif target.kind == "enum":
        hint = f"use a lexicon whose entries map to members (`word -> member`), or `set: {name}`"
    ctx.error(
        "E202",
        f"capture `{name}` gives {ctype.describe()} but field `{name}` is {field.describe()}",
        _capture_pos(pattern, name),
        hint=hint,
    )


def _check_required(ctx: Context, rule: ast.RuleDef, schema: Schema, captures: set[str]) -> None:
    filled = captures | {a.field for a in rule.sets}
    missing = [
        name
        for name, ftype in schema.fields
        if not ftype.optional and ftype.kind != "list" and name not in filled
    ]
    if missing:
        ctx.error(
            "E204",
            f"rule `{rule.name}` never fills required field"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} of {schema.name}",
            rule.pos,
            hint="capture it (`name:...`), `set:` it, or declare the field optional (`?`)",
        )


def _capture_pos(pattern: ast.Pattern, name: str) -> SourcePos:
    for node in ast.walk_pattern(pattern):
        if isinstance(node, ast.Capture) and node.name == name:
            return node.pos
    return pattern.pos


def _capture_body(pattern: ast.Pattern, name: str) -> ast.Pattern | None:
    for node in ast.walk_pattern(pattern):
        if isinstance(node, ast.Capture) and node.name == name:
            return unwrap_optional(node.body)
    return None


def _canonical_values(ctx: Context, pattern: ast.Pattern) -> set[str] | None:
    """Values a lexicon capture can take, when every entry has a canonical value."""
    if isinstance(pattern, ast.LexiconRef):
        lexicon = ctx.lexicons.get(pattern.name)
        entries: tuple[ast.LexEntry, ...] = lexicon.entries if lexicon else ()
    elif isinstance(pattern, ast.InlineLexicon):
        entries = pattern.entries
    else:
        return None
    if not entries or any(e.value is None for e in entries):
        return None
    return {e.value for e in entries if e.value is not None}
