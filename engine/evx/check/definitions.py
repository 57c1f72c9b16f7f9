"""Pass 1, definitions: collect every lexicon, enum, event, classifier, named condition, rule
and mention by name.

A name defined twice is reported (E101) and the second definition is left out, so later
passes see one definition per name. Classifiers and named conditions are both called by
name, so they share one namespace, and neither may take a built-in function's name.
`external` declarations name the mentions and token attributes a document supplies: an
attribute must be a str, int or bool (E105) that evx does not already have (E112).
"""

from __future__ import annotations

from evx.check.context import Context, RuleState
from evx.errors import SourcePos
from evx.lang import ast
from evx.lang.builtins import BUILTIN_NAMES
from evx.text.attributes import FLAG_NAMES, STRING_ATTRIBUTES, SUPPLIED_ATTRIBUTES

ATTRIBUTE_TYPES = ("str", "int", "bool")


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
            elif isinstance(stmt, ast.ConditionDef):
                if _define(ctx, "condition", stmt.name, stmt.pos):
                    ctx.conditions[stmt.name] = stmt
            elif isinstance(stmt, ast.RuleDef):
                kind = "mention" if stmt.is_mention else "rule"
                if _define(ctx, kind, stmt.name, stmt.pos):
                    ctx.rules.append(RuleState(stmt, loaded.display, len(ctx.rules)))
            elif isinstance(stmt, ast.External):
                if stmt.kind == "mention":
                    if _define(ctx, "mention", stmt.name, stmt.pos):
                        ctx.externals[stmt.name] = stmt
                elif _define(ctx, "attribute", stmt.name, stmt.pos):
                    _declare_attribute(ctx, stmt)
    functions: list[tuple[str, ast.ClassifyDef | ast.ConditionDef]] = [
        *(("classifier", c) for c in ctx.classifiers.values()),
        *(("named condition", c) for c in ctx.conditions.values()),
    ]
    for kind, function in functions:
        if function.name in BUILTIN_NAMES:
            ctx.error(
                "E101",
                f"{kind} `{function.name}` has the name of a built-in function",
                function.pos,
                hint="built-ins: " + ", ".join(BUILTIN_NAMES),
            )


# lexicons, rules and attributes each have their own namespace, and so do the names a call
# can take (classifiers and named conditions); events, mentions and enums share one, as all
# three can be named where a type or a label is expected
_NAMESPACES = {
    "lexicon": "lexicon",
    "rule": "rule",
    "attribute": "attribute",
    "classify": "function",
    "condition": "function",
}
_CALLED = {"classify": "classifier", "condition": "named condition"}


def _define(ctx: Context, kind: str, name: str, pos: SourcePos) -> bool:
    key = f"{_NAMESPACES.get(kind, 'label')}:{name}"
    previous = ctx.defined.get(key)
    if previous is not None:
        first, at = previous
        if first != kind and kind in _CALLED and first in _CALLED:
            ctx.error(
                "E101",
                f"{kind} `{name}` has the name of the {_CALLED[first]} defined at {at}",
                pos,
                hint="classifiers and named conditions are both called by name: rename one",
            )
            return False
        ctx.error(
            "E101",
            f"{kind} `{name}` is already defined at {at}",
            pos,
            hint="names of rules, lexicons, events, mentions and enums must be unique "
            "across the files loaded together",
        )
        return False
    ctx.defined[key] = (kind, pos)
    return True


def _declare_attribute(ctx: Context, stmt: ast.External) -> None:
    """Record `external attribute name: type`, reporting a bad type or a built-in name."""
    if stmt.name in (*STRING_ATTRIBUTES, *FLAG_NAMES, *SUPPLIED_ATTRIBUTES):
        builtin = "flag" if stmt.name in FLAG_NAMES else "attribute"
        ctx.error(
            "E112",
            f"`{stmt.name}` is already a token {builtin} of evx; it needs no declaration",
            stmt.pos,
            hint="a document may supply its own values for a flag (from_tokens("
            f"{stmt.name}=[...])); declare new columns under another name",
        )
        return
    if stmt.type not in ATTRIBUTE_TYPES:
        ctx.error(
            "E105",
            f"unknown attribute type `{stmt.type}`",
            stmt.type_pos or stmt.pos,
            hint="token attributes are str, int or bool",
        )
        return
    ctx.attributes[stmt.name] = stmt.type
