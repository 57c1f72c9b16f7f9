"""Mistakes in rule files: the example tables drive the codes, messages point at file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evx
from evx.codes import CATALOGUE, EXAMPLE_CATALOGUE, LOADER_ONLY
from evx.lang.parser import parse_file
from evx.lang.syntax_errors import RESERVED_CODE, SYNTAX_CASES

SYNTAX_SNIPPETS = [(case.code, ex) for case in SYNTAX_CASES for ex in case.examples]


@pytest.mark.parametrize(("code", "snippet"), SYNTAX_SNIPPETS)
def test_syntax_table_snippets_raise_their_code(code: str, snippet: str) -> None:
    """Every snippet of the syntax table is reported under its own code, with a hint."""
    with pytest.raises(evx.RuleSyntaxError) as info:
        parse_file(snippet, "bad.rules")
    assert info.value.code == code
    assert info.value.diagnostic.hint


def test_syntax_error_renders_position_line_caret_and_expectation() -> None:
    """A syntax error shows file:line:col, the offending line, a caret and what was expected."""
    source = 'rule freed -> HostageRelease {\n  match: "freed" [lemma=]\n}\n'
    with pytest.raises(evx.RuleSyntaxError) as info:
        parse_file(source, "rules/hostages.rules")
    lines = str(info.value).splitlines()
    assert lines[0].startswith("rules/hostages.rules:2:25: E005 ")
    assert "expected" in lines[0]
    assert lines[1] == '      match: "freed" [lemma=]'
    assert lines[2] == " " * 28 + "^"
    assert lines[3].startswith("  hint: ")


def test_unknown_mistake_still_gets_generic_code_and_expectation() -> None:
    """A mistake the table does not know gets E001 with the tokens that would have fitted."""
    with pytest.raises(evx.RuleSyntaxError) as info:
        parse_file("event E { a: int? } }", "x.rules")
    assert info.value.code == "E001"
    assert info.value.pos is not None and (info.value.pos.line, info.value.pos.column) == (1, 21)


def test_reserved_word_as_name() -> None:
    """Reserved words cannot name rules or captures, but stay usable inside lexicons."""
    with pytest.raises(evx.RuleSyntaxError) as info:
        parse_file('rule r -> E { match: value:"a" }', "x.rules")
    assert info.value.code == RESERVED_CODE
    parse_file("lexicon words = { set free, from, in, not }", "x.rules")


@pytest.mark.parametrize("info", CATALOGUE, ids=[i.code for i in CATALOGUE])
def test_catalogue_snippets_raise_their_code_at_their_position(
    info: evx.codes.CodeInfo, tmp_path: Path
) -> None:
    """Each catalogued semantic code is raised by its snippet, pointing where the catalogue says
    (a warning is reported by rules that still load)."""
    (tmp_path / "x.rules").write_text(info.snippet, encoding="utf-8")
    if info.warning:
        diagnostics = evx.load(tmp_path).warnings
    else:
        with pytest.raises(evx.RuleCheckError) as caught:
            evx.load(tmp_path)
        diagnostics = caught.value.diagnostics
    matching = [d for d in diagnostics if d.code == info.code]
    assert matching, [d.code for d in diagnostics]
    pos = matching[0].pos
    assert pos is not None and (pos.line, pos.column) == (info.line, info.column)
    assert matching[0].source_line is not None


@pytest.mark.parametrize("info", EXAMPLE_CATALOGUE, ids=[i.code for i in EXAMPLE_CATALOGUE])
def test_example_codes_are_reported_by_evx_test_where_the_catalogue_says(
    info: evx.codes.CodeInfo, tmp_path: Path
) -> None:
    """Each code `evx test` reports comes from running its snippet's examples, at the
    clause the catalogue names, with the line to put a caret under."""
    from evx.tools.examples import ExampleRunner

    (tmp_path / "x.rules").write_text(info.snippet, encoding="utf-8")
    rules = evx.load(tmp_path)
    assert not rules.warnings  # the snippet is otherwise clean
    runner = ExampleRunner(rules)
    found = [
        d
        for example in rules.examples()
        for d in (runner.run(example).failure, runner.run(example).warning)
        if d is not None
    ]
    assert [d.code for d in found] == [info.code]
    (diagnostic,) = found
    assert diagnostic.severity == ("warning" if info.warning else "error")
    pos = diagnostic.pos
    assert pos is not None and (pos.line, pos.column) == (info.line, info.column)
    assert diagnostic.source_line is not None


def test_every_code_is_documented() -> None:
    """docs/errors.md lists every syntax and semantic code, and those of `evx test`."""
    doc = (Path(__file__).parent.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    codes = {c.code for c in SYNTAX_CASES} | {i.code for i in CATALOGUE} | set(LOADER_ONLY)
    codes |= {i.code for i in EXAMPLE_CATALOGUE}
    codes |= {"E001", RESERVED_CODE, "E015", "E016", "E017", "E018"}
    missing = sorted(c for c in codes if f"`{c}`" not in doc)
    assert not missing


def test_several_mistakes_are_reported_together(tmp_path: Path) -> None:
    """A file with many semantic mistakes reports all of them, sorted by position, in one run."""
    (tmp_path / "hostages.rules").write_text(
        "enum Status { completed, expected }\n"
        "event HostageRelease { count: int?  status: Status  count: int? }\n"
        "lexicon verb = { release, free }\n"
        "rule one -> HostageRelease {\n"
        "  match: verb n:@Quantity [lemma in captives]\n"
        "  set: status = finished\n"
        "}\n"
        "rule one -> HostageRelease { match: verb  set: status = completed }\n"
        "rule two -> HostagRelease { match: verb }\n"
        "rule three -> HostageRelease { match: [lema=free] count:[shape=d]  set: status = completed }\n",
        encoding="utf-8",
    )
    with pytest.raises(evx.RuleCheckError) as caught:
        evx.load(tmp_path)
    got = [(d.code, d.pos.line if d.pos else 0) for d in caught.value.diagnostics]
    assert got == [
        ("E110", 2),
        ("E201", 5),
        ("E102", 5),
        ("E103", 5),
        ("E202", 6),
        ("E101", 8),
        ("E104", 9),
        ("E301", 10),
        ("E202", 10),
    ]
    text = str(caught.value)
    assert "hostages.rules:5:17: E102 unknown label `@Quantity`" in text
    assert text.endswith("9 errors in rule set")


def test_import_cycle_and_missing_lexicon_file(tmp_path: Path) -> None:
    """An import cycle and an unreadable lexicon file are reported with positions, together."""
    (tmp_path / "a.rules").write_text('import "b.rules"\nlexicon x from "nope.txt"\n')
    (tmp_path / "b.rules").write_text('import "a.rules"\n')
    with pytest.raises(evx.RuleCheckError) as caught:
        evx.load(tmp_path / "a.rules")
    codes = {d.code: d for d in caught.value.diagnostics}
    assert set(codes) == {"E402", "E403"}
    assert "a.rules -> b.rules -> a.rules" in codes["E402"].message
    assert codes["E403"].pos is not None and codes["E403"].pos.line == 2


def test_lexicon_file_syntax_error_points_into_the_lexicon_file(tmp_path: Path) -> None:
    """A bad line in a lexicon file is reported at that file's line."""
    (tmp_path / "a.rules").write_text('lexicon x from "words.txt"\n')
    (tmp_path / "words.txt").write_text("release\nfree ->\n")
    with pytest.raises(evx.RuleSyntaxError) as info:
        evx.load(tmp_path)
    assert str(info.value).startswith("words.txt:2:")


def test_rule_errors_never_leak_a_traceback_from_the_cli(tmp_path: Path) -> None:
    """`evx run` on a bad rule file prints the diagnostics and exits 2."""
    import io

    from evx.cli import main

    (tmp_path / "bad.rules").write_text('rule r -> E { match: "a" ( }\n')
    (tmp_path / "doc.txt").write_text("Hamas freed two hostages.\n")
    out, err = io.StringIO(), io.StringIO()
    status = main(["run", str(tmp_path / "bad.rules"), str(tmp_path / "doc.txt")], out, err)
    assert status == 2
    assert "Traceback" not in err.getvalue()
    assert "bad.rules:1:28: E004" in err.getvalue()


# ---------------------------------------------------------------- property tests

_PIECES = st.sampled_from(
    [
        "rule",
        "mention",
        "event",
        "lexicon",
        "enum",
        "classify",
        "import",
        "match",
        ":",
        "set",
        "value",
        "example",
        "counter",
        "resolve",
        "=",
        "->",
        "=>",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "@",
        "|",
        "&",
        "!",
        "?",
        "*",
        "+",
        "*?",
        "{0,3}",
        "{2}",
        ",",
        "if",
        "has",
        "not",
        "and",
        "or",
        "when",
        "otherwise",
        "in",
        "before(t, 3)",
        "r",
        "E",
        "t",
        "x",
        "lemma",
        "lower",
        "text",
        "shape",
        "punct",
        '"freed"',
        '"a b"',
        "/^[A-Z]/",
        "/[/",
        "3",
        "int",
        "str?",
        "list[str]",
        "nearest",
        "within",
        "sentences",
        "(?=",
        "(?<!",
        "^",
        "$",
        "#",
        "\n",
        "'x",
        '"',
        "number(x)",
        "status_of(t)",
        "merge",
        "overlap",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40).map(" ".join))
def test_any_rule_text_gives_rules_or_a_rule_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """Whatever the rule text, loading it succeeds or raises a RuleSyntaxError/RuleCheckError."""
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "f.rules").write_text(text, encoding="utf-8")
    try:
        evx.load(folder)
    except (evx.RuleSyntaxError, evx.RuleCheckError) as exc:
        assert str(exc)


_PRELUDE = (
    "event E { who: str?  n: int?  k: enum { a, b }? }\n"
    'mention Side = "Israel" | "Hamas"\n'
    "mention N: int { match: [num]+  value: number(match) }\n"
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=25).map(" ".join))
def test_any_pattern_compiles_and_runs_or_is_rejected(
    tmp_path_factory: pytest.TempPathFactory, pattern: str
) -> None:
    """A random pattern either is rejected with a rule error or runs on real copy without crashing."""
    folder = tmp_path_factory.mktemp("fuzzpat")
    (folder / "f.rules").write_text(
        _PRELUDE + f"rule r -> E {{ match: {pattern} }}\n", encoding="utf-8"
    )
    try:
        rules = evx.load(folder)
    except (evx.RuleSyntaxError, evx.RuleCheckError):
        return
    text = (
        "Hamas freed 3 hostages on Monday, and Israel released 90 prisoners. "
        "“We are very close,” he said. The official wasn't authorized to speak."
    )
    for event in rules.extract(text):
        assert text[event.start : event.end] == event.text


def test_error_docs_are_generated_from_the_catalogue() -> None:
    """docs/errors.md is exactly what the catalogue renders (regenerate with python -m evx.tools.errordocs)."""
    from evx.tools.errordocs import render_markdown

    doc = (Path(__file__).parent.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    assert doc == render_markdown()


def test_nested_bounded_repeats_are_limited(tmp_path: Path) -> None:
    """Nested `{m,n}` repeats that would expand past the state limit are an error, not a hang."""
    (tmp_path / "x.rules").write_text(
        'event E { a: str? }\nrule r -> E { match: ([]{0,400} "a"){1,400} }\n', encoding="utf-8"
    )
    with pytest.raises(evx.RuleCheckError) as caught:
        evx.load(tmp_path)
    assert caught.value.codes == ["E307"]
    assert "160,400 token states (limit 2,000)" in str(caught.value)


def test_overlap_on_an_event_rule_is_reported(tmp_path: Path) -> None:
    """`overlap:` belongs to the event type; on an event rule it would silently do nothing."""
    (tmp_path / "x.rules").write_text(
        'event E { a: str? }\nrule r -> E { match: "truce"  overlap: all }\n', encoding="utf-8"
    )
    with pytest.raises(evx.RuleCheckError) as caught:
        evx.load(tmp_path)
    assert caught.value.codes == ["E206"]
    assert "event E" in str(caught.value)


def test_every_code_the_engine_raises_is_in_a_catalogue() -> None:
    """A new diagnostic code cannot ship without a catalogue entry (and so a test and docs)."""
    import re

    from evx.codes import OTHER_SYNTAX

    known = {c.code for c in SYNTAX_CASES} | {i.code for i in CATALOGUE}
    known |= set(LOADER_ONLY) | set(OTHER_SYNTAX) | {RESERVED_CODE}
    known |= {i.code for i in EXAMPLE_CATALOGUE}
    known.add("E000")  # the root EvxError's placeholder, never reported on its own
    known |= {"W101", "W102", "W103"}  # a document's warnings: in the header of errors.md
    engine = Path(__file__).parent.parent / "engine" / "evx"
    used = {
        code
        for path in engine.rglob("*.py")
        for code in re.findall(r"\"([EW]\d{3})\"", path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no codes at all"
    assert sorted(used - known) == []


_NESTED = {
    "token test negations": lambda n: "[" + "!" * n + "punct]",
    "token test parentheses": lambda n: "[" + "(" * n + "punct" + ")" * n + "]",
    "lookarounds": lambda n: '"a" ' + "(?= " * n + '"b"' + ")" * n,
    "repeats": lambda n: '"a" ' + "(" * n + '"b"' + ")?" * n,
    "alternatives": lambda n: '("a" | ' * n + '"b"' + ")" * n,
}


@pytest.mark.parametrize("construct", sorted(_NESTED))
@pytest.mark.parametrize("depth", [40, 1_000, 10_000])
def test_deep_nesting_loads_or_is_refused_never_a_crash(
    tmp_path: Path, construct: str, depth: int
) -> None:
    """Nesting a few dozen levels works; past 128 levels it is E019 at the deepest place,
    not a RecursionError (which came at about 486 levels before)."""
    pattern = _NESTED[construct](depth)
    (tmp_path / "x.rules").write_text(
        f"event E {{ }}\nrule r -> E {{ match: {pattern} }}\n", encoding="utf-8"
    )
    if depth == 40:
        rules = evx.load(tmp_path)
        rules.extract("a b punct , .")
        return
    with pytest.raises(evx.RuleSyntaxError) as caught:
        evx.load(tmp_path)
    assert caught.value.code == "E019"
    assert caught.value.pos is not None and caught.value.pos.line == 2


def test_deep_conditions_and_calls_are_refused_too(tmp_path: Path) -> None:
    """`not not ...` in conditions and `join(join(...))` in expressions: the same limit."""
    for body in (
        'match: x:"a"  where: ' + "not " * 5_000 + 'before(x, 2) has "b"',
        'match: x:"a"  where: ' + "(" * 5_000 + 'before(x, 2) has "b"' + ")" * 5_000,
        'match: x:"a"  set: t = ' + "join(" * 5_000 + "x" + ")" * 5_000,
    ):
        (tmp_path / "x.rules").write_text(
            f"event E {{ t: str? }}\nrule r -> E {{ {body} }}\n", encoding="utf-8"
        )
        with pytest.raises(evx.RuleSyntaxError) as caught:
            evx.load(tmp_path)
        assert caught.value.code == "E019"


UNCLOSED = [
    (
        'event E { x: str? }\nrule r -> E {\n    match: ( "a" "b"\n    where: x\n}\n',
        "E004",
        (4, 5),
        (3, 12),
        "`(` opened here",
    ),
    ('rule r -> E {\n  match: "a" (?= "b" "c"\n}\n', "E004", (3, 1), (2, 14), "`(?=` opened here"),
    ('rule r -> E {\n  match: [lemma=free "x"\n}\n', "E006", (2, 22), (2, 10), "`[` opened here"),
    (
        'event E { x: str? }\nrule my_rule -> E {\n    match: "a" "b"\n',
        "E020",
        (3, 16),
        (2, 19),
        "rule `my_rule` opened its `{` here",
    ),
    (
        'rule first -> E {\n  match: "a"\nrule second -> E { match: "b" }\n',
        "E020",
        (3, 1),
        (1, 17),
        "rule `first` opened its `{` here",
    ),
    (
        "event Release {\n  count: int?\n",
        "E020",
        (2, 13),
        (1, 15),
        "event `Release` opened its `{` here",
    ),
]


@pytest.mark.parametrize(("source", "code", "at", "opened", "note"), UNCLOSED)
def test_unclosed_brackets_point_where_they_were_opened(
    source: str, code: str, at: tuple[int, int], opened: tuple[int, int], note: str
) -> None:
    """An unclosed `(`, `[` or `{` gets its own code and a note at the bracket that opened it."""
    with pytest.raises(evx.RuleSyntaxError) as info:
        parse_file(source, "bad.rules")
    diagnostic = info.value.diagnostic
    assert diagnostic.code == code
    assert diagnostic.pos is not None and (diagnostic.pos.line, diagnostic.pos.column) == at
    (related,) = diagnostic.related
    assert (related.pos.line, related.pos.column) == opened
    assert related.message == note
    rendered = str(info.value)
    assert f"note: bad.rules:{opened[0]}:{opened[1]}: {note}" in rendered


def test_an_unclosed_rule_names_the_rule() -> None:
    """The issue's example: an unclosed rule `{` says which rule, not only "the end of the file"."""
    with pytest.raises(evx.RuleSyntaxError) as info:
        parse_file('rule my_rule -> E {\n  match: "a"\n', "bad.rules")
    first = str(info.value).splitlines()[0]
    assert "E020 unclosed block: rule `my_rule` has no closing `}`" in first


def test_a_closed_bracket_with_a_mistake_inside_is_not_called_unclosed() -> None:
    """`[lemma=]` is a missing value (E005), not an unclosed test, though `[` is open there."""
    with pytest.raises(evx.RuleSyntaxError) as info:
        parse_file('rule r -> E { match: "a" [lemma=] }', "bad.rules")
    assert info.value.code == "E005"
    assert info.value.diagnostic.related == ()


def test_an_unknown_field_type_is_one_error_not_a_cascade(tmp_path: Path) -> None:
    """The issue's `integer?`: one E105 with its hint, no E201/E203/E205 for every use of the field."""
    (tmp_path / "e.rules").write_text(
        "event E {\n    count: integer?\n    status: str?\n    story: count\n}\n"
        "mention Q: int { match: [num] value: number(match) }\n"
        'rule r -> E {\n    match: count:@Q "hostages"\n    set: status = "x" if count\n'
        '    example "3 hostages" => count = 3\n}\n'
        'rule r2 -> E {\n    match: n:[num] "hostages"\n    set: count = number(n)\n'
        '    example "3 hostages" => count = 3\n}\n',
        encoding="utf-8",
    )
    with pytest.raises(evx.RuleCheckError) as info:
        evx.load(tmp_path / "e.rules")
    assert info.value.codes == ["E105"]
    assert "did you mean `int`?" in str(info.value)


def test_a_broken_copy_of_the_hostage_pack_gets_one_error(tmp_path: Path) -> None:
    """In a copy of the shipped packs with `count: integer?`, the only error is the E105."""
    import shutil

    rules = Path(__file__).parent.parent / "rules"
    copy = tmp_path / "rules"
    shutil.copytree(rules, copy)
    path = copy / "hostages.rules"
    text = path.read_text(encoding="utf-8")
    assert "count:          int?" in text
    path.write_text(
        text.replace("count:          int?", "count:          integer?", 1), encoding="utf-8"
    )
    with pytest.raises(evx.RuleCheckError) as info:
        evx.load(copy)
    assert info.value.codes == ["E105"]


@pytest.mark.parametrize(
    ("test", "warned"),
    [
        ("[lower=three & lower=four]", True),
        ("[punct & !punct]", True),
        ("[lower!=three & lower=three]", True),
        ("[!(lower=three) & lower=three]", True),
        ("[lower=Three & lower=three]", False),  # lower-cased alike
        ("[lemma=free & lemma=freed]", False),  # one lemma, two spellings
        ("[lower=three | lower=four]", False),
        ("[num & !lower=one]", False),
    ],
)
def test_token_tests_no_token_can_pass_are_warned(tmp_path: Path, test: str, warned: bool) -> None:
    """W313 fires on contradictory `&` tests and only on them."""
    (tmp_path / "x.rules").write_text(
        "enum S { done }\nevent E { status: S }\n"
        f'rule r -> E {{ match: "freed" {test}  set: status = done }}\n',
        encoding="utf-8",
    )
    codes = [w.code for w in evx.load(tmp_path).warnings]
    assert ("W313" in codes) == warned, codes


def test_a_repeated_rule_is_warned_only_when_it_can_never_fire(tmp_path: Path) -> None:
    """W315 needs the same target, pattern and `where:`; a different `where:` may keep other matches."""
    head = "enum S { a, b }\nevent E { status: S }\n"
    same = 'rule r -> E { match: "freed"  set: status = a }\nrule r2 -> E { match:  "freed" set: status = b }\n'
    other = 'rule r -> E { match: "freed"  set: status = a  where: not sentence(match) has "not" }\nrule r2 -> E { match: "freed"  set: status = b }\n'
    (tmp_path / "x.rules").write_text(head + same, encoding="utf-8")
    (w315,) = [w for w in evx.load(tmp_path).warnings if w.code == "W315"]
    assert w315.pos is not None and w315.pos.line == 4 and "`r` (line 3)" in w315.message
    (tmp_path / "x.rules").write_text(head + other, encoding="utf-8")
    assert "W315" not in [w.code for w in evx.load(tmp_path).warnings]
