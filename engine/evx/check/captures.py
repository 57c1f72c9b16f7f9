"""Pass 5, captures: give every named capture of a rule its value type.

A capture of valued mentions of one type (`n:@Quantity`) has that type; anything else is
text. Nothing is reported here: the later passes judge how captures are used.
"""

from __future__ import annotations

import attrs

from evx.check.context import Context
from evx.check.schema import STR, FieldType
from evx.lang import ast
from evx.lang.analysis import value_sources


def type_captures(ctx: Context) -> None:
    """Record the value type of each capture of each rule still being checked."""
    for state in ctx.checkable():
        assert state.rule.match is not None
        found: dict[str, FieldType] = {}
        for node in ast.walk_pattern(state.rule.match):
            if not isinstance(node, ast.Capture):
                continue
            ctype = value_type_of(ctx, node.body)
            previous = found.get(node.name)
            if previous is not None and previous.kind != ctype.kind:
                ctype = STR  # one name, two kinds of value: the common ground is the text
            found[node.name] = ctype
        for path in state.rule.paths:  # the token a path ends at is text
            found.setdefault(path.name, STR)
        state.captures = found


def value_type_of(ctx: Context, pattern: ast.Pattern) -> FieldType:
    """The value type of what a pattern matches: its mentions' value type when every
    alternative is a valued mention of one type, else text (str)."""
    found: FieldType | None = None
    for source in value_sources(pattern):
        if not isinstance(source, ast.MentionRef):
            return STR
        schema = ctx.schemas.get(source.name)
        value = schema.field("value") if schema is not None and not schema.is_event else None
        if value is None:
            return STR
        value = attrs.evolve(value, optional=False)
        if found is not None and found != value:
            return STR
        found = value
    return found or STR
