"""Turn Lark's parse tree into evx AST nodes; methods are named after the grammar rules."""

from __future__ import annotations

from typing import Any

from lark import Token, v_args
from lark.tree import Meta

from evx.errors import SourcePos
from evx.lang import ast
from evx.lang.tree import TreeToAst, unquote

_EVENT_OPTIONS = ("overlap", "merge", "story", "inherit")


@v_args(meta=True)
class ToAst(TreeToAst):
    """Builds AST nodes bottom-up; conditions and expressions come from :class:`TreeToAst`."""

    # ---------------------------------------------------------------- file

    def start(self, meta: Meta, children: list[ast.Statement]) -> list[ast.Statement]:
        return children

    def import_stmt(self, meta: Meta, children: list[Token]) -> ast.Import:
        return ast.Import(unquote(children[0]), self._pos(meta))

    def external_mention(self, meta: Meta, children: list[Token]) -> ast.External:
        return ast.External("mention", self._name(children[0]), self._pos(meta))

    def external_attribute(self, meta: Meta, children: list[Token]) -> ast.External:
        name, type_name = children
        pos = self._pos(meta)
        return ast.External(
            "attribute", self._name(name), pos, str(type_name), self._pos(type_name)
        )

    # ---------------------------------------------------------------- lexicons

    def lexicon_inline(self, meta: Meta, children: list[Any]) -> ast.Lexicon:
        name, entries = children
        return ast.Lexicon(self._name(name), tuple(entries), self._pos(meta))

    def lexicon_file(self, meta: Meta, children: list[Token]) -> ast.Lexicon:
        name, path = children
        return ast.Lexicon(self._name(name), (), self._pos(meta), path=unquote(path))

    def lexicon_body(self, meta: Meta, children: list[Any]) -> list[ast.LexEntry]:
        return [c for c in children if c is not None]

    def lex_entry(self, meta: Meta, children: list[Any]) -> ast.LexEntry:
        value: str | None = None
        words = list(children)
        if words and isinstance(words[-1], Token):
            last = words.pop()
            value = unquote(last) if last.type == "STRING" else str(last)
        return ast.LexEntry(tuple(words), value, self._pos(meta))

    def lexicon_line(self, meta: Meta, children: list[ast.LexEntry]) -> ast.LexEntry:
        return children[0]

    def lex_lemma(self, meta: Meta, children: list[Token]) -> ast.LexWord:
        return ast.LexWord(str(children[0]), exact=False)

    def lex_exact(self, meta: Meta, children: list[Token]) -> ast.LexWord:
        return ast.LexWord(unquote(children[0]), exact=True)

    def lex_exact_int(self, meta: Meta, children: list[Token]) -> ast.LexWord:
        return ast.LexWord(str(children[0]), exact=True)

    # ---------------------------------------------------------------- types

    def enum_stmt(self, meta: Meta, children: list[Token]) -> ast.EnumDef:
        name, *members = children
        return ast.EnumDef(self._name(name), tuple(str(m) for m in members), self._pos(meta))

    def event_stmt(self, meta: Meta, children: list[Any]) -> ast.EventDef:
        name, *items = children
        fields = tuple(i for i in items if isinstance(i, ast.FieldDef))
        opts: dict[str, Any] = {i[0]: i for i in items if isinstance(i, tuple)}  # last wins
        overlap, merge, story, inherit = (opts.get(k, (None,) * 3) for k in _EVENT_OPTIONS)
        return ast.EventDef(
            self._name(name),
            fields,
            self._pos(meta),
            overlap=overlap[1],
            overlap_pos=overlap[2],
            merge=merge[1],
            merge_pos=merge[2],
            story=story[1],
            story_pos=story[2],
            inherit=inherit[1] or (),
            inherit_pos=inherit[2],
        )

    def field_decl(self, meta: Meta, children: list[Any]) -> ast.FieldDef:
        name, type_expr = children
        return ast.FieldDef(self._name(name), type_expr, self._pos(meta))

    def type_expr(self, meta: Meta, children: list[Any]) -> ast.TypeExpr:
        base, optional = children
        assert isinstance(base, ast.TypeExpr)
        return ast.TypeExpr(
            base.name, optional is not None, self._pos(meta), arg=base.arg, members=base.members
        )

    def type_name(self, meta: Meta, children: list[Token]) -> ast.TypeExpr:
        return ast.TypeExpr(str(children[0]), False, self._pos(meta))

    def type_generic(self, meta: Meta, children: list[Any]) -> ast.TypeExpr:
        name, arg = children
        return ast.TypeExpr(str(name), False, self._pos(meta), arg=arg)

    def type_enum(self, meta: Meta, children: list[Token]) -> ast.TypeExpr:
        return ast.TypeExpr("enum", False, self._pos(meta), members=tuple(str(c) for c in children))

    def overlap_opt(self, meta: Meta, children: list[Token]) -> tuple[str, str, SourcePos]:
        return ("overlap", str(children[0]), self._pos(meta))

    def merge_opt(self, meta: Meta, children: list[Token]) -> tuple[str, str, SourcePos]:
        return ("merge", str(children[0]), self._pos(meta))

    def story_opt(self, meta: Meta, children: list[Token]) -> tuple[str, Any, SourcePos]:
        return ("story", tuple((str(c), self._pos(c)) for c in children), self._pos(meta))

    def inherit_opt(self, meta: Meta, children: list[Token]) -> tuple[str, Any, SourcePos]:
        return ("inherit", tuple((str(c), self._pos(c)) for c in children), self._pos(meta))

    # ---------------------------------------------------------------- rules

    def _rule(
        self,
        meta: Meta,
        name: Token,
        target: Token,
        clauses: list[Any],
        is_mention: bool,
        value_type: ast.TypeExpr | None = None,
    ) -> ast.RuleDef:
        kwargs: dict[str, Any] = {"sets": [], "examples": [], "resolves": [], "paths": []}
        for clause in clauses:
            kind, payload = clause[0], clause[1]
            if kind == "match":
                if kwargs.get("match") is not None:
                    self._fail(
                        clause[2],
                        "E015",
                        "a rule has one `match` clause",
                        "join the patterns with `|`, or write a second rule",
                    )
                kwargs["match"] = payload
            elif kind == "set":
                kwargs["sets"].extend(payload)
            elif kind == "value":
                kwargs["value"] = payload
            elif kind == "example":
                kwargs["examples"].append(payload)
            elif kind == "resolve":
                kwargs["resolves"].append(payload)
            elif kind == "path":
                kwargs["paths"].extend(payload)
            elif kind == "where":
                if kwargs.get("where") is not None:
                    payload = ast.CondAnd((kwargs["where"], payload), payload.pos)
                kwargs["where"] = payload
            elif kind == "overlap":
                kwargs["overlap"] = payload
                kwargs["overlap_pos"] = clause[2]
        return ast.RuleDef(
            name=self._name(name),
            target=str(target),
            is_mention=is_mention,
            pos=self._pos(meta),
            match=kwargs.get("match"),
            sets=tuple(kwargs["sets"]),
            value=kwargs.get("value"),
            examples=tuple(kwargs["examples"]),
            resolves=tuple(kwargs["resolves"]),
            where=kwargs.get("where"),
            overlap=kwargs.get("overlap"),
            overlap_pos=kwargs.get("overlap_pos"),
            value_type=value_type,
            target_pos=self._pos(target),
            paths=tuple(kwargs["paths"]),
        )

    def rule_stmt(self, meta: Meta, children: list[Any]) -> ast.RuleDef:
        name, target, *clauses = children
        return self._rule(meta, name, target, clauses, is_mention=False)

    def mention_short(self, meta: Meta, children: list[Any]) -> ast.RuleDef:
        name, value_type, pattern, *examples = children
        clauses = [("match", pattern, name), *examples]
        return self._rule(meta, name, name, clauses, is_mention=True, value_type=value_type)

    def mention_block(self, meta: Meta, children: list[Any]) -> ast.RuleDef:
        name, value_type, *clauses = children
        return self._rule(meta, name, name, clauses, is_mention=True, value_type=value_type)

    def match_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any, Meta]:
        return ("match", children[0], meta)

    def set_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("set", [c for c in children if isinstance(c, ast.Assignment)])

    def assignment(self, meta: Meta, children: list[Any]) -> ast.Assignment:
        name, expr, cond = children
        return ast.Assignment(self._name(name), expr, cond, self._pos(meta))

    def path_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("path", [c for c in children if isinstance(c, ast.DepPath)])

    def dep_path(self, meta: Meta, children: list[Any]) -> ast.DepPath:
        name, start, *steps, end = children
        parsed = tuple(
            ast.DepStep(str(s)[0] == "<", tuple(x for x in str(s)[1:].split("|") if x))
            for s in steps
        )
        return ast.DepPath(self._name(name), str(start), parsed, end, self._pos(meta))

    def dep_end(self, meta: Meta, children: list[Any]) -> ast.TokenTest | None:
        return children[0] if children else None

    def value_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("value", children[0])

    def where_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("where", children[0])

    def example_clause(self, meta: Meta, children: list[Any]) -> tuple[str, ast.Example]:
        text, *expects = children
        pairs = tuple(e for e in expects if e is not None)
        return ("example", ast.Example(unquote(text), pairs, False, self._pos(meta)))

    def counter_clause(self, meta: Meta, children: list[Token]) -> tuple[str, ast.Example]:
        return ("example", ast.Example(unquote(children[0]), (), True, self._pos(meta)))

    def expectation(
        self, meta: Meta, children: list[Any]
    ) -> tuple[str, ast.Lit | ast.Ref, SourcePos]:
        name, value = children
        return (str(name), value, self._pos(meta))

    def value_expectation(
        self, meta: Meta, children: list[Any]
    ) -> tuple[str, ast.Lit | ast.Ref, SourcePos]:
        return ("value", children[0], self._pos(meta))

    def resolve_clause(self, meta: Meta, children: list[Any]) -> tuple[str, ast.Resolve]:
        capture, count, label, sentences, unit = children
        if str(unit) not in ("sentence", "sentences"):
            self._fail(
                unit,
                "E016",
                f"`within N {unit}`: the unit of a resolve window is sentences",
                "write `within 2 sentences`",
            )
        resolve = ast.Resolve(
            self._name(capture),
            str(label),
            int(count) if count is not None else 1,
            int(sentences),
            self._pos(meta),
        )
        return ("resolve", resolve)

    # ---------------------------------------------------------------- classifiers

    def classify_stmt(self, meta: Meta, children: list[Any]) -> ast.ClassifyDef:
        name, param, result, *rest = children
        otherwise = rest.pop()
        return ast.ClassifyDef(
            self._name(name),
            self._name(param),
            str(result),
            tuple(rest),
            str(otherwise),
            self._pos(meta),
            otherwise_pos=self._pos(otherwise),
        )

    def classify_case(self, meta: Meta, children: list[Any]) -> ast.ClassifyCase:
        result, cond = children
        return ast.ClassifyCase(str(result), cond, self._pos(meta))

    # ---------------------------------------------------------------- named conditions

    def condition_stmt(self, meta: Meta, children: list[Any]) -> ast.ConditionDef:
        name, param, body = children
        return ast.ConditionDef(self._name(name), self._name(param), body, self._pos(meta))

    # ---------------------------------------------------------------- patterns

    def alternation(self, meta: Meta, children: list[ast.Pattern]) -> ast.Pattern:
        return ast.Alt(tuple(children), self._pos(meta))

    def sequence(self, meta: Meta, children: list[ast.Pattern]) -> ast.Pattern:
        return ast.Seq(tuple(children), self._pos(meta))

    def capture(self, meta: Meta, children: list[Any]) -> ast.Capture:
        name, body = children
        return ast.Capture(self._name(name), body, self._pos(meta))

    def repeat(self, meta: Meta, children: list[Any]) -> ast.Repeat:
        body, quant = children
        text = str(quant).replace(" ", "").replace("\t", "")
        lazy = len(text) > 1 and text.endswith("?")
        if lazy:
            text = text[:-1]
        lo: int
        hi: int | None
        if text == "?":
            lo, hi = 0, 1
        elif text == "*":
            lo, hi = 0, None
        elif text == "+":
            lo, hi = 1, None
        else:
            inner = text[1:-1]
            if "," in inner:
                a, b = inner.split(",", 1)
                lo = int(a) if a else 0
                hi = int(b) if b else None
            else:
                if not inner:
                    self._fail(
                        quant,
                        "E017",
                        "an empty repeat `{}` says nothing",
                        "write `{n}`, `{m,n}`, `{m,}` or `{,n}`",
                    )
                lo = hi = int(inner)
            if hi is not None and hi < lo:
                self._fail(
                    quant,
                    "E017",
                    f"repeat `{quant}` has its maximum below its minimum",
                    "write `{m,n}` with m <= n",
                )
        return ast.Repeat(body, lo, hi, lazy, self._pos(meta))

    def literal(self, meta: Meta, children: list[Token]) -> ast.Literal:
        text = unquote(children[0])
        if not text.strip():
            self._fail(
                children[0],
                "E018",
                "an empty string matches no token",
                'write the words to match, e.g. "cease-fire"',
            )
        return ast.Literal(text, self._pos(meta))

    def token(self, meta: Meta, children: list[Any]) -> ast.TokenPat:
        return ast.TokenPat(children[0], self._pos(meta))

    def mention_ref(self, meta: Meta, children: list[Token]) -> ast.MentionRef:
        return ast.MentionRef(str(children[0]), self._pos(meta))

    def lexicon_ref(self, meta: Meta, children: list[Token]) -> ast.LexiconRef:
        return ast.LexiconRef(self._name(children[0]), self._pos(meta))

    def inline_lexicon(self, meta: Meta, children: list[Any]) -> ast.InlineLexicon:
        return ast.InlineLexicon(tuple(children[0]), self._pos(meta))

    def lookaround(self, meta: Meta, children: list[Any]) -> ast.Look:
        kind, body = children
        text = str(kind)
        return ast.Look(body, ahead="<" not in text, negate="!" in text, pos=self._pos(meta))

    def anchor_start(self, meta: Meta, children: list[Any]) -> ast.Anchor:
        return ast.Anchor(True, self._pos(meta))

    def anchor_end(self, meta: Meta, children: list[Any]) -> ast.Anchor:
        return ast.Anchor(False, self._pos(meta))

    # ---------------------------------------------------------------- token tests

    def test_or(self, meta: Meta, children: list[ast.TokenTest]) -> ast.TokenTest:
        if len(children) == 1:
            return children[0]
        return ast.TokOr(tuple(children), self._pos(meta))

    def test_and(self, meta: Meta, children: list[ast.TokenTest]) -> ast.TokenTest:
        return ast.TokAnd(tuple(children), self._pos(meta))

    def test_neg(self, meta: Meta, children: list[ast.TokenTest]) -> ast.TokenTest:
        return ast.TokNot(children[0], self._pos(meta))

    def _test_compare(self, meta: Meta, children: list[Token], negate: bool) -> ast.TokenTest:
        attr, value = children
        if value.type == "REGEX":
            text = str(value)
            end = text.rindex("/")
            return ast.TokRegex(
                str(attr), text[1:end], text[end + 1 :], self._pos(meta), negate=negate
            )
        raw = unquote(value) if value.type == "STRING" else str(value)
        return ast.TokEq(str(attr), raw, self._pos(meta), negate=negate)

    def test_eq(self, meta: Meta, children: list[Token]) -> ast.TokenTest:
        return self._test_compare(meta, children, negate=False)

    def test_ne(self, meta: Meta, children: list[Token]) -> ast.TokenTest:
        return self._test_compare(meta, children, negate=True)

    def test_in_lexicon(self, meta: Meta, children: list[Token]) -> ast.TokIn:
        attr, name = children
        return ast.TokIn(str(attr), str(name), (), self._pos(meta))

    def test_in_set(self, meta: Meta, children: list[Any]) -> ast.TokIn:
        attr, entries = children
        return ast.TokIn(str(attr), None, tuple(entries), self._pos(meta))

    def test_flag(self, meta: Meta, children: list[Token]) -> ast.TokFlag:
        return ast.TokFlag(str(children[0]), self._pos(meta))

    def test_inside(self, meta: Meta, children: list[Token]) -> ast.TokInside:
        return ast.TokInside(str(children[0]), self._pos(meta))

    def test_literal(self, meta: Meta, children: list[Token]) -> ast.TokEq:
        return ast.TokEq("lower", unquote(children[0]), self._pos(meta))
