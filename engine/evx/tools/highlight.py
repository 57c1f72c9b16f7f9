"""A Pygments lexer for `.rules` files, registered as the `evx` lexer by entry point.

Installed with evx, `pygmentize -l evx rules/hostages.rules` highlights a rule file, and
documentation tools that use Pygments (Sphinx, MkDocs) highlight ```` ```evx ```` blocks.
Its word lists come from the language's own tables (reserved words, built-in functions,
windows, match modes), so they cannot drift from the grammar. Pygments is needed only
here: nothing else in evx imports this module.
"""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from evx.lang.builtins import LIST_FUNCTIONS, OVERLAPS, VALUE_FUNCTIONS, WINDOWS
from evx.lang.syntax_errors import RESERVED_WORDS

CONSTANTS = ("null", "true", "false")
TYPES = ("int", "str", "bool", "list")
DECLARATIONS = ("lexicon", "enum", "event", "mention", "rule", "classify", "condition")

Rule = tuple[str, object] | tuple[str, object, str]


class EvxLexer(RegexLexer):
    """Highlights evx rule files: declarations, clauses, patterns, tests and expressions."""

    name = "evx"
    aliases: ClassVar[list[str]] = ["evx", "evx-rules"]
    filenames: ClassVar[list[str]] = ["*.rules"]
    mimetypes: ClassVar[list[str]] = ["text/x-evx"]
    url = "https://github.com/evx/evx"

    keywords = sorted(RESERVED_WORDS - set(CONSTANTS) - set(DECLARATIONS))
    builtins = sorted({*VALUE_FUNCTIONS, *WINDOWS, *LIST_FUNCTIONS})

    tokens: ClassVar[dict[str, list[Rule]]] = {
        "root": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"(?:[^"\\\n]|\\.)*"', String.Double),
            (r"'(?:[^'\\\n]|\\.)*'", String.Single),
            (r"/(?:[^/\\\n]|\\.)+/[ims]*", String.Regex),
            (
                r"\b(" + "|".join(DECLARATIONS) + r")(\s+)([A-Za-z_]\w*)",
                bygroups(Keyword.Declaration, Whitespace, Name.Class),
            ),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (words(tuple(keywords), suffix=r"\b"), Keyword),
            (words(TYPES, suffix=r"\b"), Keyword.Type),
            (words(OVERLAPS, suffix=r"\b"), Name.Constant),
            (r"@[A-Za-z_]\w*", Name.Label),
            (words(tuple(builtins), suffix=r"(?=\s*\()"), Name.Builtin),
            (r"[A-Za-z_]\w*(?=\s*\()", Name.Function),
            (r"[A-Za-z_]\w*(?=:(?!\s*$))", Name.Variable),  # a capture: `name:pattern`
            (r"[A-Za-z_]\w*", Name),
            (r"\{\s*\d*\s*(?:,\s*\d*\s*)?\}\??", Operator),  # a bounded repeat
            (r"-?\d+", Number.Integer),
            (r"\(\?<?[=!]", Punctuation),  # a lookaround opens
            (r"->|=>|!=|[=&|!?*+^$]", Operator),
            (r"[{}\[\](),:]", Punctuation),
            (r".", Text),
        ]
    }


def token_types() -> tuple[_TokenType, ...]:
    """The token types the lexer can give (what a style must colour)."""
    return (
        Comment.Single,
        String.Double,
        String.Single,
        String.Regex,
        Keyword,
        Keyword.Declaration,
        Keyword.Constant,
        Keyword.Type,
        Name,
        Name.Class,
        Name.Label,
        Name.Builtin,
        Name.Function,
        Name.Variable,
        Name.Constant,
        Number.Integer,
        Operator,
        Punctuation,
    )
