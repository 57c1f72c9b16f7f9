"""The syntax tree of a rule file: frozen attrs nodes, each carrying its source position."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from evx.errors import SourcePos

# isort: off
# the statement nodes live in their own module; `ast.RuleDef` and the others stay here
from evx.lang.statements import (
    Assignment as Assignment,
    ClassifyCase as ClassifyCase,
    ClassifyDef as ClassifyDef,
    ConditionDef as ConditionDef,
    DepPath as DepPath,
    DepStep as DepStep,
    EnumDef as EnumDef,
    EventDef as EventDef,
    Example as Example,
    External as External,
    FieldDef as FieldDef,
    Import as Import,
    Resolve as Resolve,
    RuleDef as RuleDef,
    RuleFile as RuleFile,
)

# isort: on

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
class TokInside:
    """`[@Person]`: the token lies inside a span of the label (any span, from its first
    token to its last)."""

    label: str
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


TokenTest = TokEq | TokRegex | TokIn | TokFlag | TokInside | TokNot | TokAnd | TokOr

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
    """`f(args)`: a normalizer, classifier, window or built-in; as a condition, also a
    named condition (`where: on_topic(trigger)`)."""

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
    """An expression as a condition: true when its value is not null or empty (`capture`:
    the capture matched); a call of a named condition holds when its body does."""

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
# (the classes are in evx.lang.statements and imported above; they hold the nodes here)

Statement = Import | Lexicon | EnumDef | EventDef | RuleDef | ClassifyDef | ConditionDef | External


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
    if isinstance(_cls, type) and attrs.has(_cls) and _cls.__module__.startswith("evx.lang."):
        _cls.__reduce__ = _reduce  # type: ignore[assignment]
del _cls
