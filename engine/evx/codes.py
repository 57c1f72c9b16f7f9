"""The catalogue of semantic diagnostic codes: what each means and a rule file that triggers it.

Syntax codes (E0xx) live with their parser examples in :mod:`evx.lang.syntax_errors`;
:data:`OTHER_SYNTAX` describes the few raised without a table entry. The snippets here
are run by the test suite (each must raise its code, at the line and column given) and
rendered into ``docs/errors.md`` by :mod:`evx.tools.errordocs`, so the catalogue, the
messages and the docs cannot drift apart.
"""

from __future__ import annotations

import attrs

_PRELUDE = """\
enum Status { completed, expected }
event Release { count: int?  who: str?  status: Status }
lexicon verb = { release, free }
mention Quantity: int { match: [shape=d] | [shape=dd]  value: number(match) }
"""


@attrs.frozen
class CodeInfo:
    """One semantic diagnostic: its code, title, a triggering rule file, and where it points."""

    code: str
    title: str
    explanation: str
    snippet: str  # a whole rule file (prelude included where needed)
    line: int  # where the diagnostic must point
    column: int
    warning: bool = False  # reported, but the rules still load


def _p(body: str) -> str:
    return _PRELUDE + body


_PL = _PRELUDE.count("\n")  # lines taken by the prelude

CATALOGUE: tuple[CodeInfo, ...] = (
    CodeInfo(
        "E101",
        "duplicate definition",
        "Rule, mention, lexicon, event, enum, classifier and named condition names are global "
        "across the files loaded together; two definitions of one name would make every "
        "reference ambiguous. Classifiers and named conditions are both called by name, so "
        "they need names different from each other's and from the built-in functions'.",
        _p(
            "lexicon verb = { hand over }\nrule r -> Release { match: verb  set: status = completed }\n"
        ),
        _PL + 1,
        1,
    ),
    CodeInfo(
        "E102",
        "unknown @label",
        "`@Name` (a pattern element, or a token test `[@Name]`) refers to a mention or event type; none of that name is defined.",
        _p("rule r -> Release { match: @Quantiy verb  set: status = completed }\n"),
        _PL + 1,
        28,
    ),
    CodeInfo(
        "E103",
        "unknown lexicon",
        "A bare name in a pattern or `[attr in name]` must be a lexicon; quote literal words.",
        _p('rule r -> Release { match: verbs "hostages"  set: status = completed }\n'),
        _PL + 1,
        28,
    ),
    CodeInfo(
        "E104",
        "rule targets an unknown event type",
        "`rule name -> Type` must name an `event` declared in some loaded file.",
        _p("rule r -> Relase { match: verb  set: status = completed }\n"),
        _PL + 1,
        11,
    ),
    CodeInfo(
        "E105",
        "unknown type",
        "Field types are int, str, bool, list[T], enum { ... } or the name of a declared enum.",
        _p("event Truce { days: integer? }\n"),
        _PL + 1,
        21,
    ),
    CodeInfo(
        "E106",
        "unknown function",
        "Expressions call normalizers (number, duration, ordinal, date), text/lower, "
        "classifiers, and, in conditions, windows and named conditions. A named condition is "
        "true or false, not a value: `set: x = on_topic(t)` is this error too (write "
        "`set: x = value if on_topic(t)`).",
        _p(
            "rule r -> Release { match: n:@Quantity verb  set: count = numbr(n), status = completed }\n"
        ),
        _PL + 1,
        59,
    ),
    CodeInfo(
        "E107",
        "unknown name in an expression",
        "A bare name in an expression is a capture of the rule (or `match`), or a member of "
        "the enum the field has.",
        _p("rule r -> Release { match: verb  set: who = actor, status = completed }\n"),
        _PL + 1,
        45,
    ),
    CodeInfo(
        "E108",
        "labels depend on each other in a cycle",
        "A mention that needs another mention to be found, which needs the first, can never "
        "be found: labels run in dependency order.",
        _p('mention A = @B verb\nmention B = @A "hostages"\n'),
        _PL + 2,
        13,
    ),
    CodeInfo(
        "E109",
        "classifier result is not a member of its enum",
        "Each `member when ...` line and `otherwise` must name a member of the classifier's "
        "result enum.",
        _p(
            'classify st(x) -> Status {\n  ended when before(x, 3) has "will"\n  otherwise completed\n}\n'
        ),
        _PL + 2,
        3,
    ),
    CodeInfo(
        "E110",
        "duplicate field",
        "A field name appears twice in one event declaration.",
        "event Truce { days: int?  days: int? }\n",
        1,
        27,
    ),
    CodeInfo(
        "E111",
        "wrong arguments to a function",
        "Normalizers, text/lower, classifiers and named conditions take one capture; "
        "before/after/near take a capture and a token count; clause/sentence/inside take a "
        "capture.",
        _p('rule r -> Release { match: verb  set: status = completed if before(3) has "will" }\n'),
        _PL + 1,
        61,
    ),
    CodeInfo(
        "E112",
        "external attribute that evx already has",
        "`external attribute` declares a token column the document supplies; the built-in "
        "columns (`text`, `lower`, `lemma`, `shape`), flags (`punct`, `num`, ...) and spaCy's "
        "(`pos`, `tag`, `dep`, ...) need no declaration. A document may still bring its own "
        "flag values (`Document.from_tokens(punct=[...])`).",
        "external attribute punct: bool\n",
        1,
        1,
    ),
    CodeInfo(
        "E113",
        "named conditions or classifiers call each other in a cycle",
        "A call of a named condition (or a classifier) stands for its body written in its "
        "place; a condition that calls itself, directly or through other conditions and "
        "classifiers, would need its own verdict to decide and can never be written out. The "
        "message names the cycle (`busy -> calm -> busy`) and points at the call that closes "
        "it.",
        _p(
            'condition busy(t) = near(t, 3) has "will" or calm(t)\ncondition calm(t) = not busy(t)\nrule r -> Release { match: t:verb  set: status = completed  where: busy(t) }\n'
        ),
        _PL + 2,
        25,
    ),
    CodeInfo(
        "E201",
        "capture is not a field and is not used",
        "A capture fills the field of the same name; a capture with another name must be used "
        "by a `set:` expression or condition, or it is probably a typo.",
        _p("rule r -> Release { match: cuont:@Quantity verb  set: status = completed }\n"),
        _PL + 1,
        28,
    ),
    CodeInfo(
        "E202",
        "type mismatch",
        "A capture or expression gives a value of another type than the field holds (text "
        "into an int field, a name that is not an enum member, null into a required field).",
        _p("rule r -> Release { match: count:[shape=dd] verb  set: status = completed }\n"),
        _PL + 1,
        28,
    ),
    CodeInfo(
        "E203",
        "assignment to an unknown field",
        "`set:` assigns a field the event type does not declare.",
        _p("rule r -> Release { match: verb  set: status = completed, mode = rescue }\n"),
        _PL + 1,
        59,
    ),
    CodeInfo(
        "E204",
        "required field never filled",
        "A field without `?` must be filled by a capture or a `set:` in every rule producing "
        "the type.",
        _p("rule r -> Release { match: verb }\n"),
        _PL + 1,
        1,
    ),
    CodeInfo(
        "E205",
        "example expects an unknown field or a value of the wrong type",
        "The `=> field = value` pairs of an example must name fields of the type, with values "
        "of their types.",
        _p(
            'rule r -> Release {\n  match: verb  set: status = completed\n  example "They will release 3." => cnt = 3\n}\n'
        ),
        _PL + 3,
        37,
    ),
    CodeInfo(
        "E206",
        "clause not allowed in this kind of rule",
        "Mentions compute one `value:`; event rules use `set:` and `resolve:`.",
        _p("rule r -> Release { match: verb  value: text(match)  set: status = completed }\n"),
        _PL + 1,
        1,
    ),
    CodeInfo(
        "E207",
        "merge, story, inherit or resolve names an unknown field or capture",
        "`merge: field`, `story: fields` and `inherit: fields` must name fields of the event; "
        "`resolve: capture = ...` a capture of the rule.",
        "event Source { who: str  merge: whom }\n",
        1,
        26,
    ),
    CodeInfo(
        "E208",
        "inherit without a story",
        "A record inherits fields from the other records of its story, so `inherit:` needs a "
        "`story:` that says which records tell of the same event.",
        "event Truce { phase: int?  days: int?  inherit: days }\n",
        1,
        40,
    ),
    CodeInfo(
        "E301",
        "unknown token attribute",
        "Token tests read text, lower, lemma, shape, and pos, tag, ent, dep when the input "
        "provides them; flags are punct, num, digit, alpha, title, upper.",
        _p("rule r -> Release { match: [lema=free]  set: status = completed }\n"),
        _PL + 1,
        29,
    ),
    CodeInfo(
        "E302",
        "invalid regular expression",
        "Token regexes use Python `re` syntax.",
        _p("rule r -> Release { match: [text=/[A-Z/] verb  set: status = completed }\n"),
        _PL + 1,
        29,
    ),
    CodeInfo(
        "E303",
        "unknown overlap policy",
        "Overlap policies are `longest` (default) and `all`.",
        "event Truce { days: int?  overlap: widest }\n",
        1,
        27,
    ),
    CodeInfo(
        "W304",
        "pattern can match no tokens (a warning)",
        "A pattern whose parts are all optional can match the empty sequence. Empty matches "
        "are never reported, so the rule matches only where its optional parts do; the "
        "warning asks the author to make that explicit by making one part required.",
        _p('rule r -> Release { match: verb? (?= "hostages")  set: status = completed }\n'),
        _PL + 1,
        28,
        warning=True,
    ),
    CodeInfo(
        "W308",
        "a window too small for its pattern: the condition can never hold (a warning)",
        "`before(x, n)`, `after(x, n)` and each side of `near(x, n)` hold at most n tokens and "
        "leave out the capture itself; a `has` pattern that needs more tokens than that can "
        "never be found there, so the condition is always false (a classifier case never "
        "fires). Widen the window, or shorten the pattern.",
        _p(
            'rule r -> Release { match: t:verb  set: status = completed if before(t, 1) has ("will" "not") }\n'
        ),
        _PL + 1,
        63,
        warning=True,
    ),
    CodeInfo(
        "W310",
        "a lexicon nothing uses (a warning)",
        "No pattern, token test, condition or classifier names the lexicon: most often a "
        "rule meant to use it and spells it otherwise, or it is left over.",
        _p(
            "lexicon captive = { hostage, captive }\nrule r -> Release { match: verb count:@Quantity  set: status = completed }\n"
        ),
        _PL + 1,
        1,
        warning=True,
    ),
    CodeInfo(
        "W311",
        "a classifier nothing calls (a warning)",
        "No `set:` or `value:` calls the classifier, so its cases never decide anything.",
        _p(
            'classify st(t) -> Status { expected when near(t, 3) has "will" otherwise completed }\nrule r -> Release { match: verb count:@Quantity  set: status = completed }\n'
        ),
        _PL + 1,
        1,
        warning=True,
    ),
    CodeInfo(
        "W312",
        "a mention nothing references (a warning)",
        "No pattern, `collect`/`find` or `resolve:` reads the mention's label (`@Name`): its "
        "spans are found in every document but only output with `evx run --mentions`.",
        _p(
            "mention Party = { Hamas, Israel }\nrule r -> Release { match: verb count:@Quantity  set: status = completed }\n"
        ),
        _PL + 1,
        1,
        warning=True,
    ),
    CodeInfo(
        "W313",
        "a token test no token can pass (a warning)",
        "An `&` asks one attribute to be two values (`[lower=three & lower=four]`), or asks "
        "for a test and its negation (`[punct & !punct]`): no token passes, so the pattern "
        "element never matches. `|` is either; `&` is both.",
        _p(
            "rule r -> Release { match: verb [lower=three & lower=four] count:@Quantity  set: status = completed }\n"
        ),
        _PL + 1,
        34,
        warning=True,
    ),
    CodeInfo(
        "W314",
        "an empty lexicon (a warning)",
        "A lexicon with no entries matches nothing: a rule that needs it can never match.",
        _p(
            "lexicon none = { }\nrule r -> Release { match: verb none? count:@Quantity  set: status = completed }\n"
        ),
        _PL + 1,
        1,
        warning=True,
    ),
    CodeInfo(
        "W315",
        "a rule that repeats an earlier one (a warning)",
        "Two rules of one event type with the same pattern and the same `where:` find the "
        "same spans; a span found by two rules is kept once, for the rule written first, so "
        "the later one never makes a record (its `set:` lines never apply).",
        _p(
            "rule r -> Release { match: verb count:@Quantity  set: status = completed }\nrule r2 -> Release { match: verb  count:@Quantity  set: status = expected }\n"
        ),
        _PL + 2,
        1,
        warning=True,
    ),
    CodeInfo(
        "W316",
        "a rule an earlier rule always beats (a warning)",
        "Wherever the rule matches, an earlier rule of the same event type matches the same "
        "span (its pattern takes this one's path first: the same pattern, or one with more "
        "alternatives after this one's, a greedy `?` where this one is required, a wider token "
        "test, a lower repeat minimum) and its `where:` holds too; the span is kept once, for "
        "the rule written first, so this one never makes a record. Checked in the `longest`, "
        "`each` and `all` modes, and only where it can be proved; `engine/evx/check/shadows.py` "
        "says what it can and cannot prove. Move the more specific rule first, or remove it.",
        _p(
            "rule r -> Release { match: verb count:@Quantity?  set: status = completed }\nrule r2 -> Release { match: verb count:@Quantity  set: status = expected }\n"
        ),
        _PL + 2,
        1,
        warning=True,
    ),
    CodeInfo(
        "W317",
        "a capture that never reaches a field (a warning)",
        "The capture is read only by `set:` lines that never run: a field's lines run only "
        "when its own capture (the capture named like it) left it empty, so not at all when "
        "that capture is on every path of the pattern; and the first line that gives a value "
        "wins, so none after a line with no `if` that assigns a constant. In a mention, a "
        "capture neither `value:` nor `where:` reads. A capture counts as read by a `set:` line "
        "that can run (its value or its `if`, classifier calls included), `where:`, `resolve:` "
        "or a `path:`; a capture nothing reads at all in an event rule is E201.",
        _p(
            'rule r -> Release { match: t:verb status:{ released -> completed }  set: status = expected if near(t, 3) has "will" }\n'
        ),
        _PL + 1,
        28,
        warning=True,
    ),
    CodeInfo(
        "W319",
        "a named condition nothing uses (a warning)",
        "No `where:`, `if`, classifier case or other named condition calls the condition, so "
        "it decides nothing: most often a rule meant to call it and spells it otherwise, or it "
        "is left over.",
        _p(
            'condition soon(t) = near(t, 3) has "will"\nrule r -> Release { match: verb count:@Quantity  set: status = completed }\n'
        ),
        _PL + 1,
        1,
        warning=True,
    ),
    CodeInfo(
        "E305",
        "capture inside a lookaround",
        "Lookarounds test context without consuming it, so a capture inside one has no value.",
        _p("rule r -> Release { match: verb (?= n:@Quantity)  set: status = completed }\n"),
        _PL + 1,
        37,
    ),
    CodeInfo(
        "E306",
        "token test on a lexicon with multi-word entries",
        "`[attr in lexicon]` tests one token; a lexicon with phrases is used as a pattern "
        "element instead (its bare name).",
        _p(
            "lexicon hand = { hand over, release }\nrule r -> Release { match: [lemma in hand]  set: status = completed }\n"
        ),
        _PL + 2,
        29,
    ),
    CodeInfo(
        "E307",
        "repeat bound too large",
        "Bounded repeats expand into states; above 500 use `*` or `+`.",
        _p('rule r -> Release { match: verb []{0,900} "hostages"  set: status = completed }\n'),
        _PL + 1,
        33,
    ),
    CodeInfo(
        "E309",
        "rule without a match clause",
        "Every rule and block mention needs `match:`.",
        _p("rule r -> Release { set: status = completed }\n"),
        _PL + 1,
        1,
    ),
    CodeInfo(
        "E310",
        "token test does not fit the attribute's declared type",
        "A `bool` attribute is tested as a flag (`[is_name]`), an `int` one with whole numbers "
        "(`[rank=3]`, `[rank in {1, 2}]`); regexes and lexicons test `str` attributes only.",
        _p(
            "external attribute rank: int\n"
            'rule r -> Release { match: verb [rank="high"]  set: status = completed }\n'
        ),
        _PL + 2,
        34,
    ),
    CodeInfo(
        "E311",
        "dependency path from an unknown capture, or to a taken name",
        "A `path:` entry starts at a capture of the rule's `match:` pattern (or at `match`, "
        "the whole match) and names a capture of its own, different from the pattern's.",
        _p(
            "rule r -> Release { match: trigger:verb  path: who = trigr >nsubj  "
            "set: status = completed }\n"
        ),
        _PL + 1,
        48,
    ),
    CodeInfo(
        "E401",
        "rule file cannot be read",
        "An imported file does not exist or is not UTF-8; imports are relative to the "
        "importing file.",
        'import "no_such_file.rules"\n',
        1,
        1,
    ),
)

EXAMPLE_CATALOGUE: tuple[CodeInfo, ...] = (
    CodeInfo(
        "E501",
        "an example or counter-example does not hold (`evx test`)",
        "`evx test` runs every `example` and `counter` clause: an example must give a record "
        "from its rule (or merged into one) with the values it expects, a counter-example "
        "none. The text report says what happened instead (did not match, lost to an "
        "overlapping match, other values, and which rule makes the record the example "
        "expects when another does); `evx test --format json` reports each failure as this "
        "code, at the clause.",
        _p(
            'rule r -> Release { match: verb count:@Quantity  set: status = completed\n    example "They freed 3 of them." => count = 4 }\n'
        ),
        _PL + 2,
        5,
    ),
    CodeInfo(
        "W318",
        "an example that holds without its rule (`evx test`, a warning)",
        "The example holds, but the record with the values it expects also rests on another "
        "rule (its rule's record was merged into it by `merge:`, or took the values from its "
        "story), and with its own rule left out the example holds all the same: it no "
        "longer tests its rule, which may be shadowed or broken. Give it a text where the "
        "rule states what the example expects, or expect only what the rule itself gives. "
        "`evx test` reports it (`--strict` fails on it); `evx check` does not run examples.",
        "event Source { who: str?  overlap: each  merge: who }\n"
        'rule said -> Source { match: who:[title] "said" }\n'
        'rule spoke -> Source { match: who:[title] []{0,3} "anonymously"\n'
        '    example "Officials said they spoke anonymously." => who = "Officials" }\n',
        4,
        5,
        warning=True,
    ),
)
"""Codes `evx test` reports about examples; their snippets are run by the test suite too."""

LOADER_ONLY = {
    "E402": "import cycle: two or more files import each other (tested with real files)",
    "E403": "lexicon file cannot be read: missing, not UTF-8, not a regular file (a FIFO or "
    "device), or over the size limit (tested with real files)",
    "E404": "import or lexicon file outside the rule set: imports and lexicon files must lie "
    "under the directories given (symlinks resolved), and imports must be `.rules` files; "
    "--allow-outside DIR admits another directory (tested with real files)",
}


def by_code() -> dict[str, CodeInfo]:
    """The catalogue indexed by code."""
    return {info.code: info for info in CATALOGUE}


OTHER_SYNTAX: dict[str, tuple[str, str]] = {
    "E001": (
        "unexpected token",
        "The parser met a token no rule of the grammar allows there; "
        "the message lists what would have fitted.",
    ),
    "E013": (
        "reserved word used as a name",
        "Keywords (match, set, value, in, if, ...) cannot "
        "name rules, captures, fields or lexicons; they stay usable inside lexicons and strings.",
    ),
    "E015": ("more than one match clause", "A rule has one `match:`; join alternatives with `|`."),
    "E016": ("resolve window not in sentences", "`resolve: x = nearest @L within N sentences`."),
    "E017": ("bad repeat bounds", "`{m,n}` needs m <= n; `{}` is empty."),
    "E018": ("empty string literal or lexicon entry", "An empty string matches no token."),
    "E019": (
        "constructs nested too deep",
        "Token tests, lookarounds, repeats, conditions and calls may nest at most 128 levels "
        "(real rules nest a handful); name inner parts as mentions or lexicons instead. A "
        "call of a named condition or classifier counts as its body written in its place, so "
        "a chain of them that nests deeper is refused too (reported by the checker, with the "
        "other problems of the files).",
    ),
}
