"""Pass 2, declarations: turn event declarations and mention value types into typed schemas.

Reports unknown types (E105), fields declared twice (E110), unknown overlap policies
(E303), a `merge:`, `story:` or `inherit:` that names no field (E207) and an `inherit:`
without a `story:` (E208).
"""

from __future__ import annotations

from evx.check.context import Context, suggest
from evx.check.schema import ERROR, STR, FieldType, Schema
from evx.errors import SourcePos
from evx.lang import ast
from evx.lang.builtins import OVERLAPS


def build_schemas(ctx: Context) -> None:
    """One schema per event type and per mention, in definition order."""
    for event in ctx.events.values():
        fields: list[tuple[str, FieldType]] = []
        seen: set[str] = set()
        for field in event.fields:
            if field.name in seen:
                ctx.error("E110", f"field `{field.name}` is declared twice", field.pos)
                continue
            seen.add(field.name)
            # a field whose type was wrong is kept, typed ERROR: its uses are then not
            # reported again (one E105, not E205/E203 for every rule that uses it)
            fields.append((field.name, resolve_type(ctx, field.type) or ERROR))
        overlap = _overlap_policy(ctx, event.overlap, event.overlap_pos or event.pos)
        if event.merge is not None and event.merge not in seen:
            ctx.error(
                "E207",
                f"`merge: {event.merge}` names no field of {event.name}",
                event.merge_pos or event.pos,
                hint=suggest(event.merge, seen),
            )
        story = _field_list(ctx, event, "story", event.story or (), seen)
        inherit = _field_list(ctx, event, "inherit", event.inherit, seen)
        if event.inherit and event.story is None:
            ctx.error(
                "E208",
                f"`inherit:` needs a `story:` in {event.name}: inherit from which records?",
                event.inherit_pos or event.pos,
                hint="say which fields tell its events apart, e.g. `story: "
                + ", ".join(n for n, _ in fields[:1])
                + "`",
            )
        ctx.schemas[event.name] = Schema(
            event.name,
            True,
            tuple(fields),
            event.pos,
            overlap=overlap,
            merge=event.merge,
            story=story if event.story is not None else None,
            inherit=inherit,
        )
    for name, external in ctx.externals.items():
        ctx.schemas[name] = Schema(name, False, (("value", STR),), external.pos, external=True)
    for state in ctx.rules:
        rule = state.rule
        if not rule.is_mention:
            continue
        vtype = STR
        if rule.value_type is not None:
            vtype = resolve_type(ctx, rule.value_type) or ERROR
        overlap = _overlap_policy(ctx, rule.overlap, rule.overlap_pos or rule.pos)
        ctx.schemas[rule.name] = Schema(
            rule.name, False, (("value", vtype),), rule.pos, overlap=overlap
        )


def _field_list(
    ctx: Context,
    event: ast.EventDef,
    option: str,
    names: tuple[tuple[str, SourcePos], ...],
    seen: set[str],
) -> tuple[str, ...]:
    """The fields an option names, each unknown one reported (E207), each kept once."""
    out: list[str] = []
    for name, pos in names:
        if name not in seen:
            ctx.error(
                "E207",
                f"`{option}: {name}` names no field of {event.name}",
                pos,
                hint=suggest(name, seen),
            )
        elif name not in out:
            out.append(name)
    return tuple(out)


def resolve_type(ctx: Context, texpr: ast.TypeExpr) -> FieldType | None:
    """The field type a type expression names; None (reported) when it names none."""
    if texpr.name in ("int", "str", "bool"):
        return FieldType(texpr.name, optional=texpr.optional)
    if texpr.name == "enum":
        return FieldType("enum", optional=texpr.optional, members=texpr.members)
    if texpr.name == "list":
        if texpr.arg is None:
            ctx.error("E105", "`list` needs an element type", texpr.pos, "write `list[str]`")
            return None
        elem = resolve_type(ctx, texpr.arg)
        if elem is None:
            return None
        return FieldType("list", members=(), elem=elem)
    if texpr.name in ctx.enums:
        return FieldType(
            "enum",
            optional=texpr.optional,
            members=ctx.enums[texpr.name],
            enum_name=texpr.name,
        )
    options = ["int", "str", "bool", "list", *ctx.enums]
    ctx.error(
        "E105",
        f"unknown type `{texpr.name}`",
        texpr.pos,
        hint=suggest(texpr.name, options)
        or "types are int, str, bool, list[T], enum { ... } or a declared enum",
    )
    return None


def _overlap_policy(ctx: Context, written: str | None, pos: SourcePos) -> str:
    """The overlap policy as written (default `longest`), reported when unknown."""
    overlap = written or "longest"
    if overlap not in OVERLAPS:
        ctx.error(
            "E303",
            f"unknown overlap policy `{overlap}`",
            pos,
            hint="policies: " + ", ".join(OVERLAPS),
        )
    return overlap
