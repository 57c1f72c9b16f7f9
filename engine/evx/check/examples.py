"""Pass 8, examples: the values an `example` clause expects fit the fields of its rule's type.

Reports expectations for fields the type lacks and values the field cannot hold (E205),
so an example fails at check time rather than forever at test time.
"""

from __future__ import annotations

from evx.check.context import Context, suggest
from evx.lang import ast


def check_examples(ctx: Context) -> None:
    """Check the expectations of every example of every rule still being checked."""
    for state in ctx.checkable():
        schema = ctx.schemas[state.rule.target]
        for example in state.rule.examples:
            for name, value, pos in example.expect:
                field = schema.field(name)
                if field is None:
                    ctx.error(
                        "E205",
                        f"example expects `{name}`, which {schema.name} does not have",
                        pos,
                        hint=suggest(name, schema.field_names)
                        or "fields: " + ", ".join(schema.field_names),
                    )
                    continue
                if field.kind == "error":
                    continue  # its type was reported already
                if isinstance(value, ast.Ref):
                    if field.kind != "enum" or value.name not in field.members:
                        ctx.error(
                            "E205",
                            f"example gives `{value.name}` for `{name}` ({field.describe()})",
                            pos,
                            hint="quote text values; enum members are bare names",
                        )
                    continue
                literal = value.value
                if isinstance(literal, tuple):
                    literal = list(literal)
                if not field.accepts(literal) and not (literal is None and field.kind != "list"):
                    ctx.error(
                        "E205",
                        f"example gives {value.value!r} for `{name}`, which is {field.describe()}",
                        pos,
                    )
