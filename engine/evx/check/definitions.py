"""Pass 1, definitions: collect every lexicon, enum, event, classifier, rule and mention by name.

A name defined twice is reported (E101) and the second definition is left out, so later
passes see one definition per name. A classifier may not take a built-in function's name.
"""

from __future__ import annotations

from evx.check.context import Context, RuleState
from evx.errors import SourcePos
from evx.lang import ast
from evx.lang.builtins import BUILTIN_NAMES


def collect_definitions(ctx: Context) -> None:
    """Fill the context's name tables from every loaded file, in file order."""
    for loaded in ctx.loaded.files:
        for stmt in loaded.tree.statements:
            if isinstance(stmt, ast.Lexicon):
                if _define(ctx, "lexicon", stmt.name, stmt.pos):
                    ctx.lexicons[stmt.name] = stmt
            elif isinstance(stmt, ast.EnumDef):
                if _define(ctx, "enum", stmt.name, stmt.pos):
                    ctx.enums[stmt.name] = stmt.members
            elif isinstance(stmt, ast.EventDef):
                if _define(ctx, "event", stmt.name, stmt.pos):
                    ctx.events[stmt.name] = stmt
            elif isinstance(stmt, ast.ClassifyDef):
                if _define(ctx, "classify", stmt.name, stmt.pos):
                    ctx.classifiers[stmt.name] = stmt
            elif isinstance(stmt, ast.RuleDef):
                kind = "mention" if stmt.is_mention else "rule"
                if _define(ctx, kind, stmt.name, stmt.pos):
                    ctx.rules.append(RuleState(stmt, loaded.display, len(ctx.rules)))
    for name, classifier in ctx.classifiers.items():
        if name in BUILTIN_NAMES:
            ctx.error(
                "E101",
                f"classifier `{name}` has the name of a built-in function",
                classifier.pos,
                hint="built-ins: " + ", ".join(BUILTIN_NAMES),
            )


def _define(ctx: Context, kind: str, name: str, pos: SourcePos) -> bool:
    # lexicons, classifiers and rules each have their own namespace; events, mentions and
    # enums share one, as all three can be named where a type or a label is expected
    key = f"{kind}:{name}" if kind in ("lexicon", "classify", "rule") else f"label:{name}"
    previous = ctx.defined.get(key)
    if previous is not None:
        ctx.error(
            "E101",
            f"{kind} `{name}` is already defined at {previous}",
            pos,
            hint="names of rules, lexicons, events, mentions and enums must be unique "
            "across the files loaded together",
        )
        return False
    ctx.defined[key] = pos
    return True
