"""Parse rule-file text into a syntax tree, turning Lark's errors into friendly RuleSyntaxErrors."""

from __future__ import annotations

import functools
from importlib import resources
from typing import NoReturn

from lark import Lark, Token, Tree
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from evx.errors import Diagnostic, Related, RuleSyntaxError, SourcePos, source_line
from evx.lang import ast
from evx.lang.brackets import CLOSING, END, OpenBracket, unclosed
from evx.lang.syntax_errors import GENERIC_CODE, SYNTAX_CASES
from evx.lang.transform import ToAst

_TERMINAL_NAMES = {
    "NAME": "a name",
    "STRING": "a string",
    "INT": "a number",
    "SIGNED_INT": "a number",
    "REGEX": "a /regex/",
    "QUANT": "a quantifier",
    "LOOK": "a lookaround `(?=`",
    "OPTIONAL": "`?`",
    "$END": "the end of the file",
}


def grammar_text() -> str:
    """The text of the one grammar file, as shipped inside the package."""
    return (resources.files("evx") / "grammar" / "evx.lark").read_text(encoding="utf-8")


@functools.cache
def _lark() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        propagate_positions=True,
        maybe_placeholders=True,
        start=["start", "lexicon_line"],
    )


def parse_tree(source: str, start: str = "start") -> Tree[Token]:
    """Parse text with the evx grammar; Lark exceptions propagate (see `parse_file`)."""
    return _lark().parse(source, start=start)


MAX_NESTING = 128
"""How deep constructs may nest (`[!!!punct]`, `(?= (?= ...))`, `not not ...`). The stages
after the parser walk the tree by recursion, and Python's stack ends near 1,000 frames;
real rules nest a handful of levels. Past the limit the file is refused with E019."""

NESTING_CODE = "E019"


def parse_file(source: str, path: str) -> ast.RuleFile:
    """Parse one rule file into an AST; a syntax error raises RuleSyntaxError at once."""
    try:
        tree = parse_tree(source)
    except UnexpectedInput as exc:
        _fail(exc, source, path, "start")
    _check_nesting(tree, source, path)
    try:
        statements = ToAst(path, source).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, RuleSyntaxError):
            raise exc.orig_exc from None
        raise
    return ast.RuleFile(path=path, source=source, statements=tuple(statements))


def parse_lexicon_line(line: str, path: str, lineno: int) -> ast.LexEntry:
    """Parse one line of a lexicon file (same syntax as an inline entry)."""
    try:
        tree = parse_tree(line, start="lexicon_line")
    except UnexpectedInput as exc:
        _fail(exc, line, path, "lexicon_line", line_offset=lineno - 1)
    try:
        entry = ToAst(path, line, line_offset=lineno - 1).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, RuleSyntaxError):
            raise exc.orig_exc from None
        raise
    assert isinstance(entry, ast.LexEntry)
    return entry


def _check_nesting(tree: Tree[Token], source: str, path: str) -> None:
    """Refuse a parse tree nested deeper than MAX_NESTING, pointing at the deepest node.
    The walk is iterative: it must not itself run out of stack."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            meta = node.meta
            line = getattr(meta, "line", 1) or 1
            column = getattr(meta, "column", 1) or 1
            raise RuleSyntaxError(
                Diagnostic(
                    NESTING_CODE,
                    f"constructs nest deeper than {MAX_NESTING} levels here",
                    SourcePos(path, line, column, line, column + 1),
                    hint="split the pattern: give inner parts a name as a mention or a "
                    "lexicon, or write `!!x` as `x`",
                    source_line=source_line(source, line),
                )
            )
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth + 1))


def _describe_expected(names: set[str]) -> str:
    shown: list[str] = []
    for name in sorted(names):
        if name in _TERMINAL_NAMES:
            text = _TERMINAL_NAMES[name]
        else:
            try:
                term = _lark().get_terminal(name)
            except KeyError:
                text = name
            else:
                text = f"`{term.pattern.value}`"
        if text not in shown:
            shown.append(text)
    if len(shown) > 8:
        shown = [*shown[:8], "..."]
    return ", ".join(shown)


def _classify(exc: UnexpectedInput, start: str) -> str | None:
    examples = {case.code: list(case.examples) for case in SYNTAX_CASES}
    try:
        label = exc.match_examples(
            lambda text: parse_tree(text, start=start),
            examples,
            token_type_match_fallback=True,
            use_accepts=True,
        )
    except Exception:  # a misbehaving example must not hide the user's real error
        return None
    return str(label) if label is not None else None


def _fail(
    exc: UnexpectedInput, source: str, path: str, start: str, line_offset: int = 0
) -> NoReturn:
    line = getattr(exc, "line", None)
    column = getattr(exc, "column", None)
    if not isinstance(line, int) or line < 1:
        lines = source.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    column = column if isinstance(column, int) and column > 0 else 1
    width = 1
    found_type = END
    if isinstance(exc, UnexpectedToken):
        found_type = str(exc.token.type)
        found = "the end of the file" if exc.token.type == "$END" else f"`{exc.token}`"
        width = max(1, len(str(exc.token)))
        expected = _describe_expected(set(exc.expected))
    elif isinstance(exc, UnexpectedCharacters):
        found = f"`{exc.char}`"
        expected = _describe_expected(set(exc.allowed or ()))
    elif isinstance(exc, UnexpectedEOF):
        found = "the end of the file"
        expected = _describe_expected(set(exc.expected))
    else:
        found, expected, found_type = "this", "", ""
    related: tuple[Related, ...] = ()
    bracket = None
    if not isinstance(exc, UnexpectedCharacters):
        bracket = unclosed(lambda: _lark().lex(source), found_type, line, column)
    code = bracket[0] if bracket is not None else _classify(exc, start)
    hint: str | None = None
    if bracket is not None:
        code, opened = bracket
        case = next(c for c in SYNTAX_CASES if c.code == code)
        message = f"{_unclosed_message(case.message, opened)} (found {found})"
        expected = f"`{CLOSING[opened.kind]}`"
        hint = case.hint
        token = opened.token
        opened_at = SourcePos(
            path,
            (token.line or 1) + line_offset,
            token.column or 1,
            (token.line or 1) + line_offset,
            (token.column or 1) + len(str(token)),
        )
        what = f"{opened.owner} opened its `{{` here" if opened.owner else f"`{token}` opened here"
        related = (Related(what, opened_at, source_line(source, token.line or 1)),)
    elif code is not None:
        case = next(c for c in SYNTAX_CASES if c.code == code)
        message = f"{case.message} (found {found})"
        hint = case.hint
    else:
        code = GENERIC_CODE
        message = f"unexpected {found}"
    if expected:
        message += f"; expected {expected}"
    pos = SourcePos(path, line + line_offset, column, line + line_offset, column + width)
    raise RuleSyntaxError(
        Diagnostic(
            code, message, pos, hint=hint, source_line=source_line(source, line), related=related
        )
    ) from None


def _unclosed_message(message: str, opened: OpenBracket) -> str:
    """The table's message, naming the declaration whose `{` is open (`rule my_rule`)."""
    if opened.owner is not None:
        return f"unclosed block: {opened.owner} has no closing `}}`"
    return message
