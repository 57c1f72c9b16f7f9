"""The catalogue of known syntax mistakes: a code, a message, a hint and snippets showing each.

The same table drives the parser's messages (Lark's ``match_examples`` finds the entry whose
snippets fail in the same parser state) and the tests (every snippet must raise its code).
"""

from __future__ import annotations

import attrs


@attrs.frozen
class SyntaxCase:
    """One kind of syntax mistake: code, what went wrong, how to fix it, snippets showing it."""

    code: str
    message: str
    hint: str
    examples: tuple[str, ...]


GENERIC_CODE = "E001"

SYNTAX_CASES: tuple[SyntaxCase, ...] = (
    SyntaxCase(
        "E002",
        "a rule needs `->` and the event or mention it produces",
        "write `rule name -> EventType { match: ... }`",
        (
            "rule r HostageRelease { }",
            'rule r { match: "freed" }',
            "rule r -> { }",
        ),
    ),
    SyntaxCase(
        "E003",
        "a clause keyword must be followed by `:`",
        'write `match: "freed" [lemma in captive]`, `set: status = completed`',
        (
            'rule r -> E { match "freed" }',
            'rule r -> E { match: "a" set status = x }',
            'mention M { match "a" }',
        ),
    ),
    SyntaxCase(
        "E004",
        "unclosed group: `(` without its `)`",
        "add the missing `)`; groups and lookarounds must close before the next clause",
        (
            'rule r -> E { match: ( "a" "b" }',
            'rule r -> E { match: ( "a" | "b" set: x = 1 }',
            'rule r -> E { match: (?= "a" }',
            'rule r -> E { match: "a" ( }',
            'mention M = ( "a" "b"',
        ),
    ),
    SyntaxCase(
        "E005",
        "a token test `[attr = ...]` needs a value",
        'give a value after `=`: a word, a "string", a number or a /regex/, e.g. `[lemma=free]`',
        (
            'rule r -> E { match: "a" [lemma=] }',
            "rule r -> E { match: [lower!=] }",
            "mention M = [shape= ]",
        ),
    ),
    SyntaxCase(
        "E006",
        "unclosed token test: `[` without its `]`",
        "close the token test with `]`, e.g. `[lemma in captive]`",
        (
            "rule r -> E { match: [lemma=free }",
            'rule r -> E { match: [lemma=free "x" }',
            "mention M = [lower in x",
            "rule r -> E { match: [lemma=free set: x = 1 }",
        ),
    ),
    SyntaxCase(
        "E007",
        "a lexicon's entries go between braces",
        'write `lexicon name = { release, free, set free }` or `lexicon name from "file.txt"`',
        (
            "lexicon verbs = release, free",
            'lexicon verbs = "release"',
            "lexicon verbs { release }",
        ),
    ),
    SyntaxCase(
        "E008",
        "an event field needs a type after `:`",
        "write `name: int`, `name: str?`, `name: list[str]` or `name: enum { a, b }`",
        (
            "event E { count }",
            "event E { count: }",
            "event E { count int }",
        ),
    ),
    SyntaxCase(
        "E009",
        "an example's expected values are `field = value` pairs",
        'write `example "..." => count = 3, status = completed`',
        (
            'rule r -> E { example "x" => count }',
            'rule r -> E { example "x" => 3 }',
            'rule r -> E { example "x" => count = }',
        ),
    ),
    SyntaxCase(
        "E010",
        "a statement must start with a keyword",
        "top-level statements are `import`, `external`, `lexicon`, `enum`, `event`, "
        "`mention`, `rule`, `classify` and `condition`",
        (
            'match: "a"',
            "foo bar",
            "rules r -> E { }",
            "Rule r -> E { }",
        ),
    ),
    SyntaxCase(
        "E011",
        "a string is not closed on its line",
        "close the string with the same quote it opened with: \"...\" or '...'",
        (
            'rule r -> E { match: "freed }',
            "mention M = 'freed",
            'lexicon x = { "a, b }',
        ),
    ),
    SyntaxCase(
        "E012",
        "a quantifier must follow what it repeats",
        "put `?`, `*`, `+` or `{m,n}` right after a token, group or reference: `[]{0,3}`",
        (
            "rule r -> E { match: * [] }",
            'rule r -> E { match: ( + "a" ) }',
            "mention M = ? [lemma=free]",
        ),
    ),
    SyntaxCase(
        "E014",
        "a `set` assignment is `field = expression [if condition]`",
        "e.g. `set: mode = rescue if near(trigger, 6) has { raid, operation }`",
        (
            "rule r -> E { set: mode rescue }",
            "rule r -> E { set: = rescue }",
            "rule r -> E { set: mode = rescue if }",
        ),
    ),
    SyntaxCase(
        "E021",
        "a named condition is `condition name(capture) = condition`",
        "name one parameter in parentheses, then `=` and the condition, e.g. "
        "`condition on_topic(t) = document(t) has armed_context`",
        (
            'condition c t = sentence(t) has "x"',
            'condition c(t) sentence(t) has "x"',
            'condition c(t, u) = sentence(t) has "x"',
            'condition c() = sentence(t) has "x"',
            "condition c(t) =",
            'condition (t) = sentence(t) has "x"',
        ),
    ),
    SyntaxCase(
        "E020",
        "unclosed block: `{` without its `}`",
        "close the block with `}`; the note shows where it was opened",
        (
            'rule r -> E { match: "a" "b"',
            "event E { count: int?",
            'rule r -> E { match: "a"\nrule s -> E { match: "b" }',
            'classify c(t) -> S { a when near(t, 3) has "x" otherwise b',
        ),
    ),
)

# Reserved words cannot name rules, captures, fields or lexicons (E013); they stay free
# as words inside lexicons and strings.
RESERVED_WORDS = frozenset(
    {
        "import",
        "external",
        "attribute",
        "lexicon",
        "from",
        "enum",
        "event",
        "mention",
        "rule",
        "classify",
        "condition",
        "match",
        "set",
        "value",
        "example",
        "counter",
        "resolve",
        "path",
        "where",
        "overlap",
        "merge",
        "story",
        "inherit",
        "nearest",
        "within",
        "if",
        "has",
        "not",
        "and",
        "or",
        "when",
        "otherwise",
        "in",
        "null",
        "true",
        "false",
    }
)

RESERVED_CODE = "E013"
