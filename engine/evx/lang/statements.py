"""The statements of a rule file as syntax-tree nodes: declarations, rules and their clauses.

Part of :mod:`evx.lang.ast`, which re-exports every class here (write ``ast.RuleDef``); the
node types they hold (patterns, tests, expressions, conditions) live there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from evx.errors import SourcePos

if TYPE_CHECKING:
    from evx.lang.ast import Cond, Expr, Lit, Pattern, Ref, Statement, TokenTest, TypeExpr


@attrs.frozen
class Import:
    path: str
    pos: SourcePos


@attrs.frozen
class EnumDef:
    name: str
    members: tuple[str, ...]
    pos: SourcePos


@attrs.frozen
class FieldDef:
    name: str
    type: TypeExpr
    pos: SourcePos


@attrs.frozen
class EventDef:
    """`event Name { fields... }` with its overlap, merge, story and inherit options."""

    name: str
    fields: tuple[FieldDef, ...]
    pos: SourcePos
    overlap: str | None = None
    overlap_pos: SourcePos | None = None
    merge: str | None = None
    merge_pos: SourcePos | None = None
    # `story: a, b` names the fields that tell two records of one document apart as events;
    # `inherit: c, d` the fields a record takes from its story when it did not state them
    story: tuple[tuple[str, SourcePos], ...] | None = None
    story_pos: SourcePos | None = None
    inherit: tuple[tuple[str, SourcePos], ...] = ()
    inherit_pos: SourcePos | None = None


@attrs.frozen
class Assignment:
    """`field = expr [if cond]` in a set clause."""

    field: str
    expr: Expr
    cond: Cond | None
    pos: SourcePos


@attrs.frozen
class Example:
    """`example "text" => field = value, ...`, or a counter-example (`counter "text"`)."""

    text: str
    expect: tuple[tuple[str, Lit | Ref, SourcePos], ...]
    counter: bool
    pos: SourcePos


@attrs.frozen
class Resolve:
    """`resolve: capture = nearest [N] @Label within K sentences`."""

    capture: str
    label: str
    count: int
    sentences: int
    pos: SourcePos


@attrs.frozen
class DepStep:
    """One step of a dependency path: to a child (`>nsubj`) or to the head (`<dobj`)."""

    up: bool  # True: to the head (`<`), False: to the children (`>`)
    labels: tuple[str, ...]  # the dependency labels allowed (of the token stepped from
    # when going up, of the child when going down); () for any


@attrs.frozen
class DepPath:
    """`name = start >step <step ... [test]`: tokens reached over the parse, captured."""

    name: str
    start: str  # a capture of the match, or `match`
    steps: tuple[DepStep, ...]
    test: TokenTest | None
    pos: SourcePos


@attrs.frozen
class RuleDef:
    """A rule: `rule name -> Target {...}`, or a mention (whose rule name is its label)."""

    name: str
    target: str
    is_mention: bool
    pos: SourcePos
    match: Pattern | None = None
    sets: tuple[Assignment, ...] = ()
    value: Expr | None = None
    examples: tuple[Example, ...] = ()
    resolves: tuple[Resolve, ...] = ()
    where: Cond | None = None
    overlap: str | None = None
    overlap_pos: SourcePos | None = None
    value_type: TypeExpr | None = None  # mentions: the declared type of their value
    target_pos: SourcePos | None = None
    paths: tuple[DepPath, ...] = ()  # `path:` captures reached over the dependency parse


@attrs.frozen
class ClassifyCase:
    result: str
    cond: Cond
    pos: SourcePos


@attrs.frozen
class ClassifyDef:
    """`classify name(param) -> Enum { member when cond ... otherwise member }`."""

    name: str
    param: str
    result_type: str
    cases: tuple[ClassifyCase, ...]
    otherwise: str
    pos: SourcePos
    otherwise_pos: SourcePos | None = None


@attrs.frozen
class ConditionDef:
    """`condition name(param) = cond`: a condition called by name wherever one is allowed."""

    name: str
    param: str
    body: Cond
    pos: SourcePos


@attrs.frozen
class External:
    """`external mention Label` or `external attribute name: type`: supplied by the document."""

    kind: str  # "mention" or "attribute"
    name: str
    pos: SourcePos
    type: str | None = None  # attributes: str, int or bool
    type_pos: SourcePos | None = None


@attrs.frozen
class RuleFile:
    """One parsed rule file: its path, source text and statements in order."""

    path: str
    source: str
    statements: tuple[Statement, ...]
