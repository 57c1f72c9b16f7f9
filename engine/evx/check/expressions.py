"""Checks shared by the passes that read expressions and conditions: names, calls and types.

Each function reports what it finds and returns the captures the expression or condition
reads, so the fields pass can tell a capture that is used from one that is forgotten.
"""

from __future__ import annotations

import attrs

from evx.check.context import Context, suggest
from evx.check.patterns import check_pattern
from evx.check.schema import INT, STR, FieldType, fits
from evx.lang import ast
from evx.lang.analysis import min_length, nullable
from evx.lang.builtins import LIST_FUNCTIONS, SIZED_WINDOWS, VALUE_FUNCTIONS, WINDOWS


def check_expr(
    ctx: Context, expr: ast.Expr, captures: dict[str, FieldType], target: FieldType | None
) -> set[str]:
    """Check names, calls and the fit to `target`; return the captures it reads."""
    used: set[str] = set()
    if isinstance(expr, ast.Ref):
        if expr.name in captures:
            used.add(expr.name)
        elif expr.name == "match" or (target is not None and target.kind == "error"):
            pass
        elif target is not None and target.kind == "enum":
            if expr.name not in target.members:
                ctx.error(
                    "E202",
                    f"`{expr.name}` is not a member of {target.describe()}",
                    expr.pos,
                    hint=suggest(expr.name, target.members)
                    or "members: " + ", ".join(target.members),
                )
            return used
        else:
            ctx.error(
                "E107",
                f"unknown name `{expr.name}`: not a capture of this rule",
                expr.pos,
                hint=suggest(expr.name, captures) or "quote it to use it as a string",
            )
            return used
    elif isinstance(expr, ast.Call):
        used |= check_call(ctx, expr, captures, window_ok=False)
    elif isinstance(expr, ast.LabelArg):
        ctx.error(
            "E111",
            f"`@{expr.name}` on its own has no value",
            expr.pos,
            hint=f"collect the spans of a label in a window: `collect(@{expr.name}, "
            "sentence(match))`",
        )
        return used
    if target is not None:
        etype = expr_type(ctx, expr, captures)
        if etype is not None:
            _check_fits(ctx, expr, etype, target)
    return used


def check_cond(ctx: Context, cond: ast.Cond, captures: dict[str, FieldType]) -> set[str]:
    """Check a condition's windows, patterns and expressions; return the captures it reads."""
    used: set[str] = set()
    for node in ast.walk_cond(cond):
        if isinstance(node, ast.CondHas):
            window = node.window
            if isinstance(window, ast.Call) and window.func in WINDOWS:
                used |= check_call(ctx, window, captures, window_ok=True)
            else:
                ctx.error(
                    "E106",
                    "`has` needs a window on its left",
                    node.pos,
                    hint="windows: " + ", ".join(f"{w}(...)" for w in WINDOWS),
                )
            check_pattern(ctx, node.pattern)
            if nullable(node.pattern):
                ctx.warn(
                    "W304",
                    "the pattern after `has` can match without any token",
                    node.pattern.pos,
                    hint="an empty match never counts: the window must hold a token it matches",
                )
            _check_window_fits(ctx, node)
        elif isinstance(node, ast.CondPresent):
            if isinstance(node.expr, ast.Call):  # a named condition may be called here
                used |= check_call(ctx, node.expr, captures, window_ok=False, condition_ok=True)
            else:
                used |= check_expr(ctx, node.expr, captures, None)
    return used


def _check_window_fits(ctx: Context, node: ast.CondHas) -> None:
    """Warn (W308) when a sized window can never hold its pattern: `before(t, 2) has
    ("will" "not" "be")` needs three tokens, and each side of `near` is a window of its own
    that leaves out the capture itself, so the condition can never hold."""
    window = node.window
    if not isinstance(window, ast.Call) or window.func not in SIZED_WINDOWS:
        return
    if len(window.args) != 2 or not isinstance(window.args[1], ast.Lit):
        return
    size = window.args[1].value
    if not isinstance(size, int) or isinstance(size, bool):
        return
    need = min_length(node.pattern)
    if need <= size:
        return
    side = " on each side" if window.func == "near" else ""
    ctx.warn(
        "W308",
        f"`{window.func}(..., {size})` holds at most {size} token{'s' if size != 1 else ''}"
        f"{side}, but the pattern after `has` needs {need}: the condition can never hold",
        node.pos,
        hint="widen the window; `before`, `after` and `near` leave out the capture itself, "
        "and a match must fit inside one side of `near`",
    )


def check_call(
    ctx: Context,
    call: ast.Call,
    captures: dict[str, FieldType],
    window_ok: bool,
    condition_ok: bool = False,
) -> set[str]:
    """Check one call (a window only where `window_ok`, a named condition only where
    `condition_ok`: as a condition of its own); return the captures it reads."""
    used: set[str] = set()
    known = [
        *VALUE_FUNCTIONS,
        *LIST_FUNCTIONS,
        *ctx.classifiers,
        *(WINDOWS if window_ok else ()),
        *(ctx.conditions if condition_ok else ()),
    ]
    if call.func in ("join", "sum"):
        for arg in call.args:
            used |= check_expr(ctx, arg, captures, None)
            atype = expr_type(ctx, arg, captures) if call.func == "sum" else None
            if atype is not None and not fits(atype, INT):
                ctx.error(
                    "E202",
                    f"`sum` adds numbers, but this gives {atype.describe()}",
                    arg.pos,
                    hint="give it int captures (`n:@Quantity`) or `number(x)`",
                )
        if not call.args:
            what = "numbers" if call.func == "sum" else "values"
            ctx.error("E111", f"`{call.func}` takes one or more {what}", call.pos)
        return used
    if call.func in ("collect", "find"):
        label, window = (*call.args, None, None)[:2]
        if (
            len(call.args) != 2
            or not isinstance(label, ast.LabelArg)
            or not isinstance(window, ast.Call)
            or window.func not in WINDOWS
        ):
            ctx.error(
                "E111",
                f"`{call.func}` takes a label and a window",
                call.pos,
                hint=f"write `{call.func}(@Party, sentence(match))`",
            )
            return used
        if label.name not in ctx.schemas:
            ctx.error(
                "E102",
                f"unknown label `@{label.name}`",
                label.pos,
                hint=suggest(label.name, ctx.schemas),
            )
        return check_call(ctx, window, captures, window_ok=True)
    if call.func in WINDOWS:
        if not window_ok:
            ctx.error(
                "E106",
                f"`{call.func}(...)` is a window: use it in a condition, "
                f"`if {call.func}(...) has ...`",
                call.pos,
            )
            return used
        want = 2 if call.func in SIZED_WINDOWS else 1
        ok = len(call.args) == want and isinstance(call.args[0], ast.Ref)
        if ok and want == 2:
            size = call.args[1]
            ok = isinstance(size, ast.Lit) and isinstance(size.value, int) and size.value > 0
        if not ok:
            shape = f"{call.func}(capture, N)" if want == 2 else f"{call.func}(capture)"
            takes = "a capture and a token count" if want == 2 else "a capture"
            ctx.error(
                "E111",
                f"`{call.func}` takes {takes}",
                call.pos,
                hint=f"write `{shape}`; `match` stands for the whole match",
            )
            return used
    elif (
        call.func in VALUE_FUNCTIONS
        or call.func in ctx.classifiers
        or (condition_ok and call.func in ctx.conditions)
    ):
        if len(call.args) != 1 or not isinstance(call.args[0], ast.Ref):
            ctx.error(
                "E111",
                f"`{call.func}` takes one capture",
                call.pos,
                hint=f"write `{call.func}(name)` with a capture name, or `match`",
            )
            return used
    elif call.func in ctx.conditions:
        # a condition is true or false, never a value a field could hold
        ctx.error(
            "E106",
            f"`{call.func}` is a named condition, not a value: use it where a condition "
            f"goes, `where: {call.func}(...)` or `if {call.func}(...)`",
            call.pos,
            hint="to set a field by it, write `field = value if "
            f"{call.func}(...)`; for a value chosen by conditions, write a classifier",
        )
        return {a.name for a in call.args if isinstance(a, ast.Ref) and a.name in captures}
    else:
        ctx.error(
            "E106",
            f"unknown function `{call.func}`",
            call.pos,
            hint=suggest(call.func, known) or "functions: " + ", ".join(known),
        )
        # the captures it was given are still used: one mistake, one message
        return {a.name for a in call.args if isinstance(a, ast.Ref) and a.name in captures}
    ref = call.args[0]
    assert isinstance(ref, ast.Ref)
    if ref.name in captures:
        used.add(ref.name)
    elif ref.name != "match":
        ctx.error(
            "E107",
            f"unknown capture `{ref.name}`",
            ref.pos,
            hint=suggest(ref.name, [*captures, "match"]) or "`match` is the whole match",
        )
    return used


def expr_type(ctx: Context, expr: ast.Expr, captures: dict[str, FieldType]) -> FieldType | None:
    """The static type of an expression; None when unknown (already reported)."""
    if isinstance(expr, ast.Lit):
        value = expr.value
        if value is None:
            return FieldType("str", optional=True)
        if isinstance(value, bool):
            return FieldType("bool")
        if isinstance(value, int):
            return INT
        if isinstance(value, str):
            return STR
        return FieldType("list", elem=STR)
    if isinstance(expr, ast.Ref):
        if expr.name in captures:
            return captures[expr.name]
        if expr.name == "match":
            return STR
        return None
    if isinstance(expr, ast.LabelArg):
        return None
    function = VALUE_FUNCTIONS.get(expr.func)
    if function is not None:
        return FieldType(function.result_type, optional=function.optional)
    if expr.func == "join":
        return STR
    if expr.func == "sum":
        return attrs.evolve(INT, optional=True)
    if expr.func in ("collect", "find"):
        label = expr.args[0] if expr.args else None
        schema = ctx.schemas.get(label.name) if isinstance(label, ast.LabelArg) else None
        value = schema.field("value") if schema is not None and not schema.is_event else None
        elem = attrs.evolve(value, optional=False) if value is not None else STR
        if expr.func == "find":
            return attrs.evolve(elem, optional=True)
        return FieldType("list", elem=elem)
    classifier = ctx.classifiers.get(expr.func)
    if classifier is not None:
        members = ctx.enums.get(classifier.result_type, ())
        return FieldType("enum", members=members, enum_name=classifier.result_type)
    return None


def _check_fits(ctx: Context, expr: ast.Expr, etype: FieldType, target: FieldType) -> None:
    if isinstance(expr, ast.Lit):
        if expr.value is None:
            if not target.optional and target.kind != "list":
                ctx.error(
                    "E202",
                    f"null given to a required field of type {target.describe()}",
                    expr.pos,
                )
            return
        if target.kind == "enum" and isinstance(expr.value, str):
            if expr.value not in target.members:
                ctx.error(
                    "E202",
                    f'"{expr.value}" is not a member of {target.describe()}',
                    expr.pos,
                )
            return
        if target.kind == "list" and isinstance(expr.value, tuple):
            return
    wanted = target.elem if target.kind == "list" and target.elem is not None else target
    if not fits(etype, wanted) and not fits(etype, target):
        ctx.error(
            "E202",
            f"expression gives {etype.describe()} but the field is {target.describe()}",
            expr.pos,
        )
