"""W316, a rule an earlier rule always beats: said exactly where the proof holds, and never
wrong (hundreds of generated rule pairs, each warning checked by running the rules)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import evx

PRELUDE = """\
enum Status { completed, expected }
event Release { count: int?  who: str?  status: Status }
lexicon verb = { release, free }
lexicon verbs = { release, free, liberate }
lexicon phrase = { hand over, release }
mention Quantity: int { match: [shape=d] | [shape=dd]  value: number(match) }
"""

CASES = [
    # (what, rule a, rule b, warned)
    (
        "the same pattern, A without where:",
        "verb count:@Quantity",
        'verb count:@Quantity  where: sentence(match) has "now"',
        True,
    ),
    (
        "A's where: is one of B's conjuncts",
        'verb count:@Quantity  where: not sentence(match) has "no"',
        'verb count:@Quantity  where: not sentence(match) has "no" and sentence(match) has "now"',
        True,
    ),
    (
        "A's where: is not B's",
        'verb count:@Quantity  where: sentence(match) has "now"',
        "verb count:@Quantity",
        False,
    ),
    (
        "B an alternation's first option",
        '(verb | "let" "go") count:@Quantity',
        "verb count:@Quantity",
        True,
    ),
    (
        "B an alternation's second option",
        '("let" "go" | verb) count:@Quantity',
        "verb count:@Quantity",
        False,
    ),
    ("B's required part optional in A", "verb count:@Quantity?", "verb count:@Quantity", True),
    (
        "an extra optional part in A",
        'verb count:@Quantity "hostages"?',
        "verb count:@Quantity",
        False,
    ),
    (
        "an extra lazy optional part in A",
        'verb count:@Quantity "hostages"??',
        "verb count:@Quantity",
        False,
    ),
    (
        "a narrower token test",
        "verb [title] count:@Quantity",
        "verb [title & !punct] count:@Quantity",
        True,
    ),
    ("a single-word lexicon A's includes", "verbs count:@Quantity", "verb count:@Quantity", True),
    (
        "a lexicon with phrases before the difference",
        "phrase count:@Quantity?",
        "phrase count:@Quantity",
        False,
    ),
    # on "a b c": B tries "a", fails "c", then "a b" "c"; A keeps "a" and leaves "c" out
    ("an alternation before the difference", '("a" | "a" "b") "c"?', '("a" | "a" "b") "c"', False),
    ("a phrase lexicon after the difference", '"freed"? phrase', '"freed" phrase', True),
    ("a repeat's minimum raised", "verb [title]*", "verb [title]+", True),
    ("a repeat's maximum lowered", "verb [title]{1,3}", "verb [title]{1,2}", False),
    ("a lazy repeat", "verb [title]*?", "verb [title]+?", False),
    (
        "capture names differ, A without where:",
        "who:verb count:@Quantity",
        "trigger:verb count:@Quantity  set: who = text(trigger)",
        True,
    ),
    (
        "capture names differ, A with where:",
        'trigger:verb count:@Quantity  where: not before(trigger, 2) has "no"',
        't:verb count:@Quantity  where: not before(t, 2) has "no"',
        False,
    ),
    (
        "a dependency path",
        "trigger:verb  path: who = trigger >nsubj",
        "trigger:verb count:@Quantity?  path: who = trigger >nsubj",
        False,
    ),
]


def _rules(tmp_path: Path, a: str, b: str) -> evx.RuleSet:
    def rule(name: str, body: str, status: str) -> str:
        sets = "" if "set:" in body else f"  set: status = {status}"
        if "set:" in body:
            body = body.replace("set: ", f"set: status = {status}  ", 1)
        return f"rule {name} -> Release {{ match: {body}{sets} }}\n"

    path = tmp_path / "x.rules"
    path.write_text(PRELUDE + rule("a", a, "completed") + rule("b", b, "expected"), "utf-8")
    return evx.load(path)


@pytest.mark.parametrize(("what", "a", "b", "warned"), CASES, ids=[c[0] for c in CASES])
def test_what_the_check_proves_and_what_it_does_not(
    tmp_path: Path, what: str, a: str, b: str, warned: bool
) -> None:
    """W316 on rule b exactly in the cases the proof covers (docs: check/shadows.py)."""
    rules = _rules(tmp_path, a, b)
    found = [w for w in rules.warnings if w.code == "W316"]
    assert bool(found) == warned, (what, [w.render() for w in rules.warnings])
    if found:
        (warning,) = found
        assert warning.pos is not None and warning.pos.line == PRELUDE.count("\n") + 2
        assert "`b` never makes a record" in warning.message and "`a` (line 7)" in warning.message
        assert warning.related[0].pos.line == PRELUDE.count("\n") + 1


def test_the_first_and_leftmost_modes_are_not_checked(tmp_path: Path) -> None:
    """A `first` label runs each rule's own scan, so an identical later rule can still win
    a span: no W316 there."""
    path = tmp_path / "x.rules"
    path.write_text(
        "event E { x: str?  overlap: first }\n"
        'rule a -> E { match: "a" "b"? }\n'
        'rule b -> E { match: "a" "b"  where: sentence(match) has "c" }\n',
        "utf-8",
    )
    assert not [w for w in evx.load(path).warnings if w.code == "W316"]


# ---------------------------------------------------------------- generated pairs

WORDS = ("a", "b", "c", "d")
TESTS = ("[]", "[lower in { a, b, c }]", "[lower in { a, b }]", "[lower in { a }]", "[!lower=d]")
NARROWER = {  # a test, and tests every token passing which passes it
    "[]": TESTS[1:],
    "[lower in { a, b, c }]": ("[lower in { a, b }]", "[lower in { a }]"),
    "[lower in { a, b }]": ("[lower in { a }]",),
    "[!lower=d]": ("[lower in { a, b, c }]",),
}
LEXICONS = ("ab", "abc", "ph")  # ph has "a" and "a b": two ends at an "a"
QUANTIFIERS = ("?", "*", "+", "{1,2}", "{0,2}", "{1,3}", "{2}", "??", "*?", "+?", "??", "*?")
CONDITIONS = ('sentence(match) has "c"', 'not sentence(match) has "d"', 'inside(match) has "b"')

Node = tuple  # ("lit", w) ("test", t) ("lex", name) ("ref",) ("seq", items) ("alt", options)
# ("rep", body, quantifier)


def render(node: Node) -> str:
    kind = node[0]
    if kind == "lit":
        return f'"{node[1]}"'
    if kind in ("test", "lex"):
        return str(node[1])
    if kind == "ref":
        return "@M"
    if kind == "seq":
        return " ".join(render(n) for n in node[1])
    if kind == "alt":
        return "(" + " | ".join(render(n) for n in node[1]) + ")"
    return f"({render(node[1])}){node[2]}"


class Gen:
    """Random patterns over four words, and variants of them: narrower ones the proof
    covers, and others (lazy parts, dropped optional parts, other alternatives, wider
    tests) that a wrong proof would take for narrower."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pattern(self, depth: int = 0) -> Node:
        rng = self.rng
        r = rng.random()
        if depth > 2 or r < 0.35:
            r = rng.random()
            if r < 0.3:
                return ("lit", rng.choice(WORDS))
            if r < 0.6:
                return ("test", rng.choice(TESTS))
            if r < 0.85:
                return ("lex", rng.choice(LEXICONS))
            return ("ref",)
        if r < 0.6:
            return ("seq", tuple(self.pattern(depth + 1) for _ in range(rng.randint(2, 3))))
        if r < 0.75:
            return ("alt", tuple(self.pattern(depth + 1) for _ in range(rng.randint(2, 3))))
        return ("rep", self.pattern(depth + 1), rng.choice(QUANTIFIERS))

    def variant(self, node: Node) -> Node:
        """The node with one part changed, at a place chosen at random."""
        rng = self.rng
        kind = node[0]
        inner: list[Node] = []
        if kind in ("seq", "alt"):
            inner = list(node[1])
        elif kind == "rep":
            inner = [node[1]]
        if inner and rng.random() < 0.6:  # change something inside
            i = rng.randrange(len(inner))
            inner[i] = self.variant(inner[i])
            return (kind, inner[0], node[2]) if kind == "rep" else (kind, tuple(inner))
        if kind == "test" and node[1] in NARROWER and rng.random() < 0.8:
            return ("test", rng.choice(NARROWER[node[1]]))
        if kind == "test":
            return ("test", rng.choice(TESTS))  # wider, or other
        if kind == "lex":
            return ("lex", rng.choice(LEXICONS))
        if kind == "alt":
            options = list(node[1])
            return rng.choice(
                [
                    ("alt", tuple(options[: rng.randint(1, len(options) - 1)])),
                    ("alt", tuple(options[1:])),
                    ("alt", tuple(reversed(options))),
                ]
            )
        if kind == "rep":
            body, quantifier = node[1], node[2]
            changes = {
                "?": ["", "??"],
                "??": ["", "?"],
                "*": ["+", "", "{1,2}", "*?"],
                "*?": ["+?", "", "*"],
                "+": ["{1,2}", "", "+?", "*?"],
                "+?": ["", "+"],
                "{0,2}": ["{1,2}", "{2}", "?", ""],
                "{1,2}": ["{2}", "", "{1,3}"],
                "{1,3}": ["{1,2}", "{2}", "+"],
                "{2}": ["{1,2}"],
            }[quantifier]
            new = rng.choice(changes)
            return body if new == "" else ("rep", body, new)
        if kind == "seq" and rng.random() < 0.5:  # leave out a part that may be optional
            items = list(node[1])
            del items[rng.randrange(len(items))]
            return ("seq", tuple(items))
        return node


def _generated(rng: random.Random, n: int) -> str:
    gen = Gen(rng)
    out = [
        "lexicon ab = { a, b }\nlexicon abc = { a, b, c }\nlexicon ph = { a, a b }\n",
        'mention M = "b" "c"?\n',
    ]
    for i in range(n):
        mode = rng.choice(("longest", "longest", "each", "all"))
        out.append(f"event E{i} {{ x: str?  overlap: {mode} }}\n")
        a = gen.pattern()
        b = gen.variant(a) if rng.random() < 0.9 else gen.pattern()
        where_a = rng.choice(("", "", rng.choice(CONDITIONS)))
        where_b = " and ".join(c for c in {where_a, rng.choice(("", *CONDITIONS))} if c)
        rules = [
            f"rule a{i} -> E{i} {{ match: {render(a)}{'  where: ' + where_a if where_a else ''} }}\n",
            f"rule b{i} -> E{i} {{ match: {render(b)}{'  where: ' + where_b if where_b else ''} }}\n",
        ]
        rules.insert(rng.randint(0, 2), f"rule c{i} -> E{i} {{ match: {render(gen.pattern())} }}\n")
        out.extend(rules)
    return "".join(out)


def test_a_warned_rule_never_makes_a_record_on_random_text(tmp_path: Path) -> None:
    """Over generated rule triples (A, a variant B of it, a third rule C anywhere, in the
    modes W316 checks), every rule W316 names makes no record on a hundred random
    sentences; and the warning is said often enough for that to mean something."""
    rng = random.Random(11)
    warned: set[str] = set()
    fired: set[str] = set()
    for batch in range(8):
        text = _generated(rng, 50)
        path = tmp_path / f"gen{batch}.rules"
        path.write_text(text, "utf-8")
        rules = evx.load(path)
        these = {w.message.split("`")[1] for w in rules.warnings if w.code == "W316"}
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9))) + " ." for _ in range(500)
        ]
        document = "\n\n".join(sentences)  # a paragraph break ends a sentence
        hits = rules.annotate(document).hits  # kept matches: one record each (no resolve:)
        made = {hit.rule.name for kept in hits.values() for hit in kept}
        assert not these & made, f"warned rules made records: {sorted(these & made)}\n{text}"
        warned |= {f"{batch}:{n}" for n in these}
        fired |= {f"{batch}:{n}" for n in made if n.startswith("b")}
    assert len(warned) >= 100  # the check says something
    assert len(fired) >= 100  # and the rules it does not name do make records
