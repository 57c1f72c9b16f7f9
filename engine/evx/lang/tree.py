"""Conditions and expressions as AST nodes: the base of the transformer, with its helpers.

:class:`~evx.lang.transform.ToAst` builds on :class:`TreeToAst`, which holds what every
method needs (the source position of a node, failing with a coded syntax error, checking
a name is not a reserved word) and the methods for conditions and expressions.
"""

from __future__ import annotations

import ast as pyast
import warnings
from typing import Any, NoReturn

from lark import Token, Transformer, v_args
from lark.tree import Meta

from evx.errors import Diagnostic, RuleSyntaxError, SourcePos, source_line
from evx.lang import ast
from evx.lang.syntax_errors import RESERVED_CODE, RESERVED_WORDS


def unquote(token: Token) -> str:
    text = str(token)
    # an unknown escape (`"\T"`) stays as written, as Python keeps it; Python warns about
    # it (DeprecationWarning, SyntaxWarning from 3.12), which is not the rule author's
    # concern (the long fuzz run met 765 such warnings over 20,000 generated rule files)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        try:
            value = pyast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = text[1:-1]
    return str(value)


@v_args(meta=True)
class TreeToAst(Transformer[Token, Any]):
    """Builds AST nodes bottom-up; each node gets the position of the text it came from."""

    def __init__(self, path: str, source: str, line_offset: int = 0) -> None:
        super().__init__()
        self.path = path
        self.source = source
        self.line_offset = line_offset

    # ---------------------------------------------------------------- helpers

    def _pos(self, meta: Meta | Token) -> SourcePos:
        line = getattr(meta, "line", None)
        if line is None:
            return SourcePos(self.path, 1 + self.line_offset, 1)
        return SourcePos(
            self.path,
            int(line) + self.line_offset,
            int(getattr(meta, "column", 1) or 1),
            int(getattr(meta, "end_line", line) or line) + self.line_offset,
            int(getattr(meta, "end_column", 0) or 0),
        )

    def _fail(self, token: Token, code: str, message: str, hint: str) -> NoReturn:
        pos = self._pos(token)
        raise RuleSyntaxError(
            Diagnostic(
                code,
                message,
                pos,
                hint=hint,
                source_line=source_line(self.source, pos.line - self.line_offset),
            )
        )

    def _name(self, token: Token) -> str:
        """An identifier: anything but a reserved word."""
        text = str(token)
        if text in RESERVED_WORDS:
            self._fail(
                token,
                RESERVED_CODE,
                f"`{text}` is a reserved word and cannot be used as a name",
                f"rename it, e.g. `{text}_`; reserved words stay free inside strings and lexicons",
            )
        return text

    # ---------------------------------------------------------------- conditions

    def cond_or(self, meta: Meta, children: list[ast.Cond]) -> ast.Cond:
        if len(children) == 1:
            return children[0]
        return ast.CondOr(tuple(children), self._pos(meta))

    def cond_and(self, meta: Meta, children: list[ast.Cond]) -> ast.Cond:
        return ast.CondAnd(tuple(children), self._pos(meta))

    def cond_neg(self, meta: Meta, children: list[ast.Cond]) -> ast.Cond:
        return ast.CondNot(children[0], self._pos(meta))

    def cond_has(self, meta: Meta, children: list[Any]) -> ast.CondHas:
        window, pattern = children
        return ast.CondHas(window, pattern, self._pos(meta))

    def cond_present(self, meta: Meta, children: list[ast.Expr]) -> ast.CondPresent:
        return ast.CondPresent(children[0], self._pos(meta))

    # ---------------------------------------------------------------- expressions

    def call(self, meta: Meta, children: list[Any]) -> ast.Call:
        func, *args = children
        return ast.Call(str(func), tuple(a for a in args if a is not None), self._pos(meta))

    def ref(self, meta: Meta, children: list[Token]) -> ast.Ref:
        return ast.Ref(str(children[0]), self._pos(meta))

    def label_arg(self, meta: Meta, children: list[Token]) -> ast.LabelArg:
        return ast.LabelArg(str(children[0]), self._pos(meta))

    def lit_str(self, meta: Meta, children: list[Token]) -> ast.Lit:
        return ast.Lit(unquote(children[0]), self._pos(meta))

    def lit_int(self, meta: Meta, children: list[Token]) -> ast.Lit:
        return ast.Lit(int(children[0]), self._pos(meta))

    def lit_null(self, meta: Meta, children: list[Token]) -> ast.Lit:
        return ast.Lit(None, self._pos(meta))

    def lit_true(self, meta: Meta, children: list[Token]) -> ast.Lit:
        return ast.Lit(True, self._pos(meta))

    def lit_false(self, meta: Meta, children: list[Token]) -> ast.Lit:
        return ast.Lit(False, self._pos(meta))

    def lit_name(self, meta: Meta, children: list[Token]) -> ast.Ref:
        return ast.Ref(str(children[0]), self._pos(meta))

    def lit_list(self, meta: Meta, children: list[Any]) -> ast.Lit:
        items: list[object] = []
        for child in children:
            if child is None:
                continue
            assert isinstance(child, ast.Lit)
            items.append(child.value)
        return ast.Lit(tuple(items), self._pos(meta))
