"""What the checker hands the compiler: rules whose names all resolve and fields all type."""

from __future__ import annotations

import attrs

from evx.check.schema import FieldType, Schema
from evx.errors import Diagnostic
from evx.lang import ast


@attrs.frozen
class CheckedRule:
    """A rule that passed checking, with what the compiler needs to know about it."""

    rule: ast.RuleDef
    file: str
    order: int
    capture_types: tuple[tuple[str, FieldType], ...]

    @property
    def qualified_name(self) -> str:
        """`file:rule`, the name records carry as their provenance."""
        return f"{self.file}:{self.rule.name}"

    def capture_type(self, name: str) -> FieldType | None:
        for cap, typ in self.capture_types:
            if cap == name:
                return typ
        return None


@attrs.frozen
class CheckedRuleSet:
    """A consistent rule set: every name resolves, every field is typed, labels are ordered."""

    lexicons: dict[str, ast.Lexicon]
    enums: dict[str, tuple[str, ...]]
    schemas: dict[str, Schema]
    rules: tuple[CheckedRule, ...]
    classifiers: dict[str, ast.ClassifyDef]
    label_order: tuple[str, ...]
    sources: dict[str, str]  # display path -> source text
    label_deps: dict[str, frozenset[str]] = attrs.Factory(dict)  # label -> labels it reads
    warnings: tuple[Diagnostic, ...] = ()  # problems that do not stop the rules loading
    attributes: dict[str, str] = attrs.Factory(dict)  # `external attribute` name -> type
    conditions: dict[str, ast.ConditionDef] = attrs.Factory(dict)  # named conditions
