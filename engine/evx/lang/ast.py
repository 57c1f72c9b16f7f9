"""The syntax tree of a rule file: frozen attrs nodes, each carrying its source position."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from evx.errors import SourcePos

# ---------------------------------------------------------------- lexicons


@attrs.frozen
class LexWord:
    """One word of a lexicon entry: bare words match by lemma, quoted ones exactly."""

    text: str
    exact: bool


@attrs.frozen
class LexEntry:
    """A lexicon entry: one or more words, optionally with a canonical value."""

    words: tuple[LexWord, ...]
    value: str | None
    pos: SourcePos


@attrs.frozen
class Lexicon:
    """A named set of words and phrases, written inline or loaded from a file."""

    name: str
    entries: tuple[LexEntry, ...]
    pos: SourcePos
    path: str | None = None  # the lexicon file, when loaded with `from`


# ---------------------------------------------------------------- token tests


@attrs.frozen
class TokEq:
    """`[attr = value]` or, with `negate`, `[attr != value]`."""

    attr: str
    value: str
    pos: SourcePos
    negate: bool = False


@attrs.frozen
class TokRegex:
    """`[attr = /regex/]`: the attribute matches the regular expression (re.search)."""

    attr: str
    pattern: str
    flags: str
    pos: SourcePos
    negate: bool = False


@attrs.frozen
class TokIn:
    """`[attr in lexicon]` or `[attr in {a, b}]`: the attribute is one of the entries."""

    attr: str
    lexicon: str | None  # a named lexicon ...
    entries: tuple[LexEntry, ...]  # ... or inline entries
    pos: SourcePos


@attrs.frozen
class TokFlag:
    """`[punct]`, `[num]`, ...: a boolean token attribute."""

    name: str
    pos: SourcePos


@attrs.frozen
class TokNot:
    operand: TokenTest
    pos: SourcePos


@attrs.frozen
class TokAnd:
    operands: tuple[TokenTest, ...]
    pos: SourcePos


@attrs.frozen
class TokOr:
    operands: tuple[TokenTest, ...]
    pos: SourcePos


TokenTest = TokEq | TokRegex | TokIn | TokFlag | TokNot | TokAnd | TokOr

# ---------------------------------------------------------------- patterns


@attrs.frozen
class Literal:
    """A quoted string: one or more tokens matched by lower-cased text."""

    text: str
    pos: SourcePos


@attrs.frozen
class TokenPat:
    """`[test]`, or `[]` (any token) when test is None."""

    test: TokenTest | None
    pos: SourcePos


@attrs.frozen
class MentionRef:
    """`@Name`: any span that the rules producing Name found."""

    name: str
    pos: SourcePos


@attrs.frozen
class LexiconRef:
    """A bare lexicon name in a pattern: any of its entries, phrases included."""

    name: str
    pos: SourcePos


@attrs.frozen
class InlineLexicon:
    """`{a, b c, "d"}` in a pattern: an anonymous lexicon matched as phrases."""

    entries: tuple[LexEntry, ...]
    pos: SourcePos


@attrs.frozen
class Seq:
    items: tuple[Pattern, ...]
    pos: SourcePos


@attrs.frozen
class Alt:
    options: tuple[Pattern, ...]
    pos: SourcePos


@attrs.frozen
class Repeat:
    """`X?`, `X*`, `X+`, `X{m,n}`; max None is unbounded; lazy for the `?`-suffixed forms."""

    body: Pattern
    min: int
    max: int | None
    lazy: bool
    pos: SourcePos


@attrs.frozen
class Capture:
    """`name:X`: the span X matched, under a name."""

    name: str
    body: Pattern
    pos: SourcePos


@attrs.frozen
class Look:
    """Lookaround: `(?=X)`, `(?!X)`, `(?<=X)`, `(?<!X)`."""

    body: Pattern
    ahead: bool
    negate: bool
    pos: SourcePos


@attrs.frozen
class Anchor:
    """`^` (sentence start) or `$` (sentence end)."""

    start: bool
    pos: SourcePos


Pattern = (
    Literal
    | TokenPat
    | MentionRef
    | LexiconRef
    | InlineLexicon
    | Seq
    | Alt
    | Repeat
    | Capture
    | Look
    | Anchor
)

# ---------------------------------------------------------------- types


@attrs.frozen
class TypeExpr:
    """A field type: `int`, `str`, `bool`, `list[T]`, `enum {..}`, or a named enum; `?` optional."""

    name: str  # "int", "str", "bool", "list", "enum", or an enum's name
    optional: bool
    pos: SourcePos
    arg: TypeExpr | None = None  # list element type
    members: tuple[str, ...] = ()  # inline enum members


# ---------------------------------------------------------------- expressions


@attrs.frozen
class Lit:
    """A literal value: int, str, bool, None, or a list of those."""

    value: object
    pos: SourcePos


@attrs.frozen
class Ref:
    """A bare name in an expression: a capture, an enum member, or `match`."""

    name: str
    pos: SourcePos


@attrs.frozen
class Call:
    """`f(args)`: a normalizer, classifier, window or built-in."""

    func: str
    args: tuple[Expr, ...]
    pos: SourcePos


@attrs.frozen
class LabelArg:
    """`@Label` as a function argument: `collect(@Party, sentence(match))`."""

    name: str
    pos: SourcePos


Expr = Lit | Ref | Call | LabelArg


@attrs.frozen
class CondHas:
    """`window has pattern`: the pattern occurs inside the window of tokens."""

    window: Expr
    pattern: Pattern
    pos: SourcePos


@attrs.frozen
class CondPresent:
    """`capture` as a condition: the capture matched."""

    expr: Expr
    pos: SourcePos


@attrs.frozen
class CondNot:
    operand: Cond
    pos: SourcePos


@attrs.frozen
class CondAnd:
    operands: tuple[Cond, ...]
    pos: SourcePos


@attrs.frozen
class CondOr:
    operands: tuple[Cond, ...]
    pos: SourcePos


Cond = CondHas | CondPresent | CondNot | CondAnd | CondOr

# ---------------------------------------------------------------- statements


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


Statement = Import | Lexicon | EnumDef | EventDef | RuleDef | ClassifyDef


@attrs.frozen
class RuleFile:
    """One parsed rule file: its path, source text and statements in order."""

    path: str
    source: str
    statements: tuple[Statement, ...]


# ---------------------------------------------------------------- traversal


def walk_pattern(pattern: Pattern) -> Iterator[Pattern]:
    """The pattern and every pattern inside it, depth first."""
    yield pattern
    if isinstance(pattern, Seq):
        for item in pattern.items:
            yield from walk_pattern(item)
    elif isinstance(pattern, Alt):
        for option in pattern.options:
            yield from walk_pattern(option)
    elif isinstance(pattern, Repeat | Capture | Look):
        yield from walk_pattern(pattern.body)


def walk_tests(test: TokenTest) -> Iterator[TokenTest]:
    """The token test and every test inside it."""
    yield test
    if isinstance(test, TokNot):
        yield from walk_tests(test.operand)
    elif isinstance(test, TokAnd | TokOr):
        for operand in test.operands:
            yield from walk_tests(operand)


def walk_cond(cond: Cond) -> Iterator[Cond]:
    """The condition and every condition inside it."""
    yield cond
    if isinstance(cond, CondNot):
        yield from walk_cond(cond.operand)
    elif isinstance(cond, CondAnd | CondOr):
        for operand in cond.operands:
            yield from walk_cond(operand)


def walk_expr(expr: Expr) -> Iterator[Expr]:
    """The expression and every argument inside it."""
    yield expr
    if isinstance(expr, Call):
        for arg in expr.args:
            yield from walk_expr(arg)


# ---------------------------------------------------------------- pickling


def _reduce(node: object) -> tuple[object, tuple[object, ...]]:
    # rebuilt by calling the class with its fields: several times faster to unpickle
    # than attrs' generic __setstate__, which matters for the compile cache
    return type(node), attrs.astuple(node, recurse=False)  # type: ignore[arg-type]


for _cls in list(globals().values()):
    if isinstance(_cls, type) and attrs.has(_cls) and _cls.__module__ == __name__:
        _cls.__reduce__ = _reduce  # type: ignore[assignment]
del _cls
