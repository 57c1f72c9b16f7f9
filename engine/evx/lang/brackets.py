"""Which bracket a syntax error left open: the `(`, `[` or `{` to point at as a second place.

Lark reports where parsing stopped, which for a missing `)` or `}` is often far from the
mistake: the next clause keyword, or the end of the file. Lexing the text up to that point
with the same grammar's lexer and keeping a stack of the brackets still open tells which one
was never closed, where it was opened, and (for a `{`) which rule or declaration it belongs
to, so the error can say so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs
from lark import Token

CLOSER = {"LPAR": "RPAR", "LOOK": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE"}
CLOSERS = frozenset(CLOSER.values())
CLOSING = {"LPAR": ")", "LOOK": ")", "LSQB": "]", "LBRACE": "}"}  # as the user types it
STATEMENTS = frozenset(
    {"IMPORT", "LEXICON", "ENUM", "EVENT", "MENTION", "RULE", "CLASSIFY", "CONDITION"}
)
CLAUSES = frozenset(
    {
        "MATCH",
        "SET",
        "WHERE",
        "VALUE",
        "EXAMPLE",
        "COUNTER",
        "RESOLVE",
        "OVERLAP",
        "MERGE",
        "STORY",
        "INHERIT",
        "OTHERWISE",
    }
)
END = "$END"


@attrs.frozen
class OpenBracket:
    """A bracket still open where parsing stopped: its token, and the declaration whose body
    it opens (`rule my_rule`) when it is a statement's `{`."""

    token: Token
    owner: str | None

    @property
    def kind(self) -> str:
        return str(self.token.type)


def open_at(tokens: Iterable[Token], line: int, column: int) -> list[OpenBracket]:
    """The brackets opened before (line, column) and not closed by then, innermost last."""
    stack: list[OpenBracket] = []
    statement: list[str] = []  # the statement being read: its keyword, then its name
    for token in tokens:
        if (token.line or 0, token.column or 0) >= (line, column):
            break
        kind = str(token.type)
        if kind in STATEMENTS and not stack:
            statement = [str(token)]
        elif kind == "NAME" and len(statement) == 1:
            statement.append(str(token))
        if kind in CLOSER:
            owner = None
            # a condition has no block of its own: a `{` in it opens an inline lexicon
            block = len(statement) == 2 and statement[0] != "condition"
            if kind == "LBRACE" and not stack and block:
                owner = f"{statement[0]} `{statement[1]}`"
            stack.append(OpenBracket(token, owner))
        elif kind in CLOSERS:
            if not stack or CLOSER[stack[-1].kind] != kind:
                break  # a stray closer: the parser would have stopped here
            stack.pop()
    return stack


def unclosed(
    lex: Callable[[], Iterable[Token]], found: str, line: int, column: int
) -> tuple[str, OpenBracket] | None:
    """The code (E004 group, E006 token test, E020 block) of an error at (line, column)
    whose cause is an unclosed bracket, with that bracket; None when it is not one.

    ``found`` is the type of the token the parser stopped at (``$END`` at the end); a
    bracket counts as unclosed when what follows it can only come after it is closed: a
    closer of another kind, a clause or statement keyword, or the end of the file."""
    try:
        stack = open_at(lex(), line, column)
    except Exception:  # text the lexer cannot read: no second place to show
        return None
    if not stack:
        return None
    top = stack[-1]
    if found == CLOSER[top.kind]:
        return None  # the bracket is being closed: the mistake is inside it
    leaves = found in CLOSERS or found in CLAUSES or found in STATEMENTS or found == END
    if top.kind in ("LPAR", "LOOK") and leaves:
        return "E004", top
    if top.kind == "LSQB" and (leaves or found in ("STRING", "LSQB")):
        return "E006", top
    if top.kind == "LBRACE" and (found in STATEMENTS or found == END):
        return "E020", top
    return None
