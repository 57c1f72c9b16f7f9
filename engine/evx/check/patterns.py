"""Pass 4, patterns: every `match:` pattern refers to known labels and lexicons, with valid tests.

Reports unknown labels (E102, as `@Name` and inside token tests, `[@Name]`) and lexicons
(E103), empty lexicon entries (E018), token tests on unknown attributes or flags (E301),
tests that do not fit a declared attribute's type (E310), bad regexes (E302), phrases
inside a token test (E306), repeats and expansions over the limits (E307), captures
inside lookarounds (E305); warns about patterns that can match no token at all (W304) and
token tests no token can pass (W313); checks that each dependency path (`path:`) starts
from a capture of the match and names a new capture (E311). :func:`check_pattern` is also
used for the patterns of `has` conditions.
"""

from __future__ import annotations

from collections.abc import Iterable

from evx.check.context import Context, suggest
from evx.errors import SourcePos
from evx.lang import ast
from evx.lang.analysis import expanded_size, nullable
from evx.lang.regex import RegexError, compile_regex
from evx.text.attributes import FLAG_NAMES, STRING_ATTRIBUTES, SUPPLIED_ATTRIBUTES
from evx.text.tokenizer import tokenize

MAX_REPEAT = 500
MAX_STATES = 2_000  # bounded repeats are expanded: nested ones multiply

TOKEN_ATTRIBUTES = (*STRING_ATTRIBUTES, *SUPPLIED_ATTRIBUTES)


def check_match_patterns(ctx: Context) -> None:
    """Check the `match:` pattern of every rule still being checked."""
    for state in ctx.checkable():
        pattern = state.rule.match
        assert pattern is not None  # rules without one were set aside
        check_pattern(ctx, pattern)
        _check_paths(ctx, state.rule)
        if nullable(pattern):
            ctx.warn(
                "W304",
                f"the pattern of `{state.rule.name}` can match without any token",
                pattern.pos,
                hint="empty matches are never reported, so it matches only where its optional "
                "parts do; make one part required to say so",
            )


def check_pattern(ctx: Context, pattern: ast.Pattern) -> None:
    """Report every problem inside one pattern."""
    size = expanded_size(pattern)
    if size > MAX_STATES:
        ctx.error(
            "E307",
            f"the pattern expands to {size:,} token states (limit {MAX_STATES:,})",
            pattern.pos,
            hint="nested bounded repeats multiply; use `*` or `+` for long gaps",
        )
        return
    for node in ast.walk_pattern(pattern):
        if isinstance(node, ast.MentionRef):
            known_label(ctx, node.name, node.pos)
        elif isinstance(node, ast.LexiconRef):
            known_lexicon(ctx, node.name, node.pos)
        elif isinstance(node, ast.InlineLexicon):
            _check_entries(ctx, node.entries)
        elif isinstance(node, ast.TokenPat) and node.test is not None:
            _check_test(ctx, node.test)
            _check_satisfiable(ctx, node.test)
        elif isinstance(node, ast.Repeat):
            bound = node.max if node.max is not None else node.min
            if bound > MAX_REPEAT:
                ctx.error(
                    "E307",
                    f"repeat bound {bound} is above the limit of {MAX_REPEAT}",
                    node.pos,
                    hint="use `*` or `+` for an unbounded repeat",
                )
        elif isinstance(node, ast.Look):
            for inner in ast.walk_pattern(node.body):
                if isinstance(inner, ast.Capture):
                    ctx.error(
                        "E305",
                        f"capture `{inner.name}` inside a lookaround never gives a value",
                        inner.pos,
                        hint="lookarounds test context without consuming it; move the "
                        "capture outside",
                    )


def _check_paths(ctx: Context, rule: ast.RuleDef) -> None:
    """A path starts at a capture of the match (or `match`) and names a capture of its own."""
    assert rule.match is not None
    captures = {n.name for n in ast.walk_pattern(rule.match) if isinstance(n, ast.Capture)}
    seen: set[str] = set()
    for path in rule.paths:
        if path.start != "match" and path.start not in captures:
            ctx.error(
                "E311",
                f"the path `{path.name}` starts from `{path.start}`, which the match does not "
                "capture",
                path.pos,
                hint=suggest(path.start, [*captures, "match"])
                or "start from a capture of the `match:` pattern, or from `match`",
            )
        if path.name in captures or path.name in seen or path.name == "match":
            ctx.error(
                "E311",
                f"the path `{path.name}` reuses the name of a capture",
                path.pos,
                hint="a path's end is a capture of its own: give it a new name",
            )
        seen.add(path.name)
        if path.test is not None:
            _check_test(ctx, path.test)


def known_label(ctx: Context, name: str, pos: SourcePos) -> bool:
    """Whether `@name` (a pattern element or a `[@name]` token test) is a declared label;
    E102 when it is not."""
    if name in ctx.schemas:
        return True
    ctx.error(
        "E102",
        f"unknown label `@{name}`",
        pos,
        hint=suggest(name, ctx.schemas)
        or "declare it with `mention` or `event`, or with `external mention "
        f"{name}` if the document supplies it",
    )
    return False


def known_lexicon(ctx: Context, name: str, pos: SourcePos) -> ast.Lexicon | None:
    """The lexicon called `name`; None (reported) when there is none."""
    lexicon = ctx.lexicons.get(name)
    if lexicon is None:
        hint = suggest(name, ctx.lexicons)
        if hint is None and name in ctx.schemas:
            hint = f"`{name}` is a label: write `@{name}`"
        ctx.error(
            "E103",
            f"unknown lexicon `{name}`",
            pos,
            hint=hint or "declare it with `lexicon name = { ... }`; quote literal words",
        )
    return lexicon


def _check_entries(ctx: Context, entries: Iterable[ast.LexEntry]) -> None:
    for entry in entries:
        if not entry.words:
            ctx.error("E018", "empty lexicon entry", entry.pos)


def _check_test(ctx: Context, test: ast.TokenTest) -> None:
    for node in ast.walk_tests(test):
        if isinstance(node, ast.TokEq | ast.TokRegex | ast.TokIn):
            _check_attr(ctx, node)
        elif isinstance(node, ast.TokInside):
            known_label(ctx, node.label, node.pos)
        if isinstance(node, ast.TokRegex):
            try:
                compile_regex(node.pattern, node.flags)
            except RegexError as exc:
                ctx.error(
                    "E302",
                    f"invalid regular expression /{node.pattern}/: {exc}",
                    node.pos,
                    hint="token regexes use Python's syntax without backreferences or "
                    "lookarounds (they run in linear time) and are searched: anchor with ^ and $",
                )
        elif isinstance(node, ast.TokIn):
            entries = node.entries
            if node.lexicon is not None:
                lexicon = known_lexicon(ctx, node.lexicon, node.pos)
                entries = lexicon.entries if lexicon else ()
            multi = [" ".join(w.text for w in e.words) for e in entries if _is_multiword(e)]
            if multi:
                shown = ", ".join(f'"{m}"' for m in multi[:3])
                ctx.error(
                    "E306",
                    f"a token test matches one token, but the lexicon has phrases ({shown})",
                    node.pos,
                    hint=f"use the lexicon as a pattern element instead: `{node.lexicon}`"
                    if node.lexicon
                    else "use `{...}` as a pattern element instead of inside `[...]`",
                )
        elif isinstance(node, ast.TokFlag) and node.name not in FLAG_NAMES:
            if ctx.attributes.get(node.name) == "bool":
                continue
            flags = (*FLAG_NAMES, *(n for n, t in ctx.attributes.items() if t == "bool"))
            hint = suggest(node.name, flags)
            if node.name in TOKEN_ATTRIBUTES or node.name in ctx.attributes:
                hint = f"`{node.name}` is an attribute: write `[{node.name}=...]`"
            ctx.error(
                "E301",
                f"unknown token flag `{node.name}`",
                node.pos,
                hint=hint
                or "flags: "
                + ", ".join(flags)
                + "; declare others with `external attribute name: bool`",
            )


def _check_satisfiable(ctx: Context, test: ast.TokenTest) -> None:
    """Warn (W313) about an `&` of token tests no token can pass: one attribute asked to
    be two values (`[lower=a & lower=b]`), or a test and its negation (`[punct & !punct]`).
    `lemma` is left alone: two spellings can share a lemma."""
    for node in ast.walk_tests(test):
        if not isinstance(node, ast.TokAnd):
            continue
        wanted: dict[str, str] = {}
        yes: set[tuple[str, str]] = set()
        no: set[tuple[str, str]] = set()
        why = None
        for op in node.operands:
            negated = isinstance(op, ast.TokNot)
            inner = op.operand if isinstance(op, ast.TokNot) else op
            if isinstance(inner, ast.TokFlag):
                key = ("flag", inner.name)
            elif isinstance(inner, ast.TokEq) and inner.attr != "lemma":
                value = inner.value.lower() if inner.attr == "lower" else inner.value
                key = (inner.attr, value)
                negated = negated != inner.negate
                if not negated:
                    other = wanted.setdefault(inner.attr, value)
                    if other != value:
                        why = f"`{inner.attr}` cannot be both {other!r} and {value!r}"
            else:
                continue
            (no if negated else yes).add(key)
        clash = yes & no
        if why is None and clash:
            attr, value = sorted(clash)[0]
            why = (
                f"`{value}` is both required and refused"
                if attr == "flag"
                else (f"`{attr}` is both required and refused to be {value!r}")
            )
        if why is not None:
            ctx.warn(
                "W313",
                f"no token can pass this test: {why}",
                node.pos,
                hint="a token has one value per attribute: did you mean `|` (either) "
                "instead of `&` (both)?",
            )


def _check_attr(ctx: Context, node: ast.TokEq | ast.TokRegex | ast.TokIn) -> None:
    attr = node.attr
    if attr in TOKEN_ATTRIBUTES:
        return
    kind = ctx.attributes.get(attr)
    if kind is None:
        known = (*TOKEN_ATTRIBUTES, *ctx.attributes)
        ctx.error(
            "E301",
            f"unknown token attribute `{attr}`",
            node.pos,
            hint=suggest(attr, known)
            or "attributes: "
            + ", ".join(known)
            + f"; declare a column the document supplies with `external attribute {attr}: str`",
        )
        return
    if kind == "bool":
        ctx.error(
            "E310",
            f"`{attr}` is a bool attribute: test it as a flag",
            node.pos,
            hint=f"write `[{attr}]` or `[!{attr}]`",
        )
    elif kind == "int":
        values = [node.value] if isinstance(node, ast.TokEq) else None
        if isinstance(node, ast.TokIn) and node.lexicon is None:
            values = [" ".join(w.text for w in e.words) for e in node.entries]
        if values is None or not all(v.isdigit() for v in values):
            ctx.error(
                "E310",
                f"`{attr}` is an int attribute: compare it with whole numbers",
                node.pos,
                hint=f"write `[{attr}=3]`, `[{attr}!=0]` or `[{attr} in {{1, 2}}]`",
            )


def _is_multiword(entry: ast.LexEntry) -> bool:
    if len(entry.words) > 1:
        return True
    word = entry.words[0]
    return word.exact and len(tokenize(word.text)) > 1
