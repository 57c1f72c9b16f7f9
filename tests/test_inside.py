"""Token tests that read labels: `[@Person]` holds for a token inside a span of `Person`."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evx
from evx import Document
from evx.errors import RuleCheckError

Compile = Callable[..., evx.RuleSet]


def tokens(text: str) -> list[str]:
    """Wire copy written out as its tokens, one space between each."""
    return text.split(" ")


WORDS = tokens(
    "Jordan 's Foreign Minister Ayman Safadi said the talks would resume , a senior official said ."
)
NAMES = {("Ayman", "Safadi"): "Safadi, Ayman", ("Steve", "Witkoff"): "Witkoff, Steve"}


def gazetteer(words: list[str]) -> list[tuple[str, int, int, str]]:
    """A small gazetteer of officials: the full names it knows, as Person mentions."""
    return [
        ("Person", i, i + 2, NAMES[words[i], words[i + 1]])
        for i in range(len(words) - 1)
        if (words[i], words[i + 1]) in NAMES
    ]


STATEMENT_RULES = """
external mention Person
event Statement { speaker: str?  source: str? }
rule named -> Statement { match: speaker:[@Person]+ [lemma in { say, tell }] }
rule unnamed -> Statement { match: source:[lemma=official & !@Person] [lemma=say] }
"""


def _found(rules: evx.RuleSet, doc: Document) -> list[tuple[str, str | None, str | None]]:
    return [(e.rule.split(":")[1], e.fields.speaker, e.fields.source) for e in rules.extract(doc)]


def test_a_token_inside_an_outside_mention_passes_the_test(compile_rules: Compile) -> None:
    """`[@Person]+ said` matches the tokens of a gazetteer's span, as words, not as the span."""
    rules = compile_rules(STATEMENT_RULES)
    doc = Document.from_tokens(WORDS, mentions=gazetteer(WORDS))
    assert _found(rules, doc) == [("named", "Ayman Safadi", None), ("unnamed", None, "official")]


def test_a_negated_test_refuses_the_tokens_inside(compile_rules: Compile) -> None:
    """`[lemma=official & !@Person]` skips an "official" the gazetteer put inside a name."""
    rules = compile_rules(STATEMENT_RULES)
    words = tokens("The official Steve Witkoff said , an official said .")
    # the gazetteer's span starts early: "official Steve Witkoff"
    doc = Document.from_tokens(words, mentions=[("Person", 1, 4)])
    assert _found(rules, doc) == [
        ("named", "official Steve Witkoff", None),
        ("unnamed", None, "official"),
    ]
    (unnamed,) = [e for e in rules.extract(doc) if e.rule.endswith("unnamed")]
    assert unnamed.text == "official said" and unnamed.start == doc.starts[7]
    # the same "official" outside the span is an unnamed source
    words[2] = "said"
    doc = Document.from_tokens(words, mentions=[("Person", 3, 4)])
    assert _found(rules, doc) == [
        ("unnamed", None, "official"),
        ("named", "Witkoff", None),
        ("unnamed", None, "official"),
    ]


def test_the_test_combines_with_columns_and_other_labels(compile_rules: Compile) -> None:
    """`&`, `|`, `!` and parentheses combine label tests with columns and flags."""
    rules = compile_rules(
        "external mention Person\nexternal mention Org\n"
        "event Meeting { who: list[str] }\n"
        "rule met -> Meeting { match: who:[(@Person | @Org) & pos=PROPN & !punct]+ [lemma=meet] }\n"
    )
    words = tokens("U.S. envoy Steve Witkoff and Hamas met in Doha .")
    pos = ["PROPN", "NOUN", "PROPN", "PROPN", "CCONJ", "PROPN", "VERB", "ADP", "PROPN", "PUNCT"]
    doc = Document.from_tokens(
        words, pos=pos, mentions=[("Person", 1, 4), ("Org", 5, 6), ("Org", 8, 9)]
    )
    # "envoy" is inside the Person span but is no PROPN; "and" is inside no span
    (event,) = rules.extract(doc)
    assert event.fields.who == ("Hamas",)
    (event,) = rules.extract(doc.supplied(mentions=[("Org", 4, 5)]))
    assert event.fields.who == ("Hamas",)  # "and" is now inside, but still no PROPN
    pos[4] = "PROPN"
    (event,) = rules.extract(Document.from_tokens(words, pos=pos, mentions=[("Org", 2, 6)]))
    assert event.fields.who == ("Steve Witkoff and Hamas",)


def test_nested_overlapping_and_adjacent_spans(compile_rules: Compile) -> None:
    """A token is inside when any span covers it: nested, overlapping and touching spans alike."""
    rules = compile_rules(
        "external mention P\nevent E { x: str?  overlap: all }\nrule r -> E { match: x:[@P] }\n"
    )
    words = list("abcdefghij")
    doc = Document.from_tokens(
        words,
        sentence_starts=[0],
        mentions=[("P", 0, 4), ("P", 1, 2), ("P", 3, 5), ("P", 5, 6), ("P", 8, 9)],
    )
    assert [e.fields.x for e in rules.extract(doc)] == list("abcdefi")


def test_rules_own_mentions_can_be_tested(compile_rules: Compile) -> None:
    """A label the rules find (`mention Official`) is tested like an outside one, whatever the order the rules are written in."""
    rules = compile_rules(
        "event Statement { speaker: str?  source: str? }\n"
        "rule named -> Statement { match: speaker:[@Official & title]+ [lemma=say] }\n"
        "rule unnamed -> Statement { match: source:[lemma=official & !@Official] [lemma=say] }\n"
        "lexicon titles = { minister, envoy, official }\n"
        "mention Official = [lemma in titles] [title]+\n"
    )
    text = (
        "Foreign Minister Ayman Safadi said the talks would resume, a senior official said. "
        "Official Steve Witkoff said a deal was close."
    )
    got = [(e.fields.speaker, e.fields.source) for e in rules.extract(text)]
    assert got == [
        ("Minister Ayman Safadi", None),
        (None, "official"),
        ("Official Steve Witkoff", None),
    ]
    assert rules.compiled.checked.label_deps["Statement"] == frozenset({"Official"})


def test_a_label_testing_itself_is_a_cycle(compile_rules: Compile) -> None:
    """`mention Name = [@Name]+` needs itself to be found: E108, as with `@Name`."""
    with pytest.raises(RuleCheckError) as caught:
        compile_rules("mention Name = [title & !@Name]+\n")
    assert [d.code for d in caught.value.diagnostics] == ["E108"]


def test_an_undeclared_label_in_a_test_is_e102(compile_rules: Compile) -> None:
    """`[@Person]` without a declaration is E102 at the `@`, with a caret and a hint to declare it."""
    with pytest.raises(RuleCheckError) as caught:
        compile_rules(
            "event Statement { speaker: str? }\n"
            "rule r -> Statement { match: speaker:[title & !@Person]+ [lemma=say] }\n"
        )
    (diag,) = caught.value.diagnostics
    assert (diag.code, diag.pos.line, diag.pos.column) == ("E102", 2, 48)
    assert "external mention Person" in (diag.hint or "")
    assert "test.rules:2:48" in str(caught.value)
    assert "^" in str(caught.value)
    with pytest.raises(RuleCheckError) as caught:
        compile_rules(
            "mention Party = { Hamas, Israel }\nevent E { x: str? }\n"
            "rule r -> E { match: x:[@Pary] }\n"
        )
    (diag,) = caught.value.diagnostics
    assert diag.code == "E102" and "Party" in (diag.hint or "")


def test_the_same_words_in_another_document_are_answered_again(compile_rules: Compile) -> None:
    """Token classes are remembered by word, but the inside answer is the document's: no carry-over."""
    rules = compile_rules(STATEMENT_RULES)
    first = Document.from_tokens(WORDS, mentions=gazetteer(WORDS))
    moved = Document.from_tokens(WORDS, mentions=[("Person", 13, 15)])  # "senior official"
    assert [r for r, _s, _o in _found(rules, first)] == ["named", "unnamed"]
    assert _found(rules, moved) == [("named", "senior official", None)]
    assert _found(rules, Document.from_tokens(WORDS)) == [("unnamed", None, "official")]
    assert [r for r, _s, _o in _found(rules, first)] == ["named", "unnamed"]


def test_label_tests_serve_conditions_lookarounds_and_paths(compile_rules: Compile) -> None:
    """`has [@Person]`, a lookbehind `(?<= [@Person])` and a path's end test read the labels too."""
    rules = compile_rules(
        "external mention Person\n"
        "event Statement { source: str?  speaker: str? }\n"
        "rule unnamed -> Statement {\n"
        "  match: source:[lemma=official] [lemma=say]\n"
        "  where: not sentence(source) has [@Person & title]\n"
        "}\n"
        'rule after_name -> Statement { match: (?<= [@Person] ",") source:[lemma=spokesman] }\n'
        "rule subject -> Statement {\n"
        "  match: trigger:[lemma=say]\n"
        "  path: speaker = trigger >nsubj [@Person]\n"
        "}\n"
    )
    words = tokens("Ayman Safadi , spokesman , said an official said .")
    heads = [1, 5, 1, 1, 1, 5, 7, 8, 8, 5]
    deps = [
        "compound",
        "nsubj",
        "punct",
        "appos",
        "punct",
        "ROOT",
        "det",
        "nsubj",
        "ccomp",
        "punct",
    ]
    doc = Document.from_tokens(
        words, heads=heads, deps=deps, mentions=[("Person", 0, 2)], sentence_starts=[0]
    )
    got = {(e.rule.split(":")[1], e.fields.source, e.fields.speaker) for e in rules.extract(doc)}
    # the second "said" has a subject, "official", outside every Person span: no speaker
    assert got == {
        ("after_name", "spokesman", None),
        ("subject", None, "Safadi"),
        ("subject", None, None),
    }
    # the name in a sentence of its own: the official is an unnamed source again (and
    # its longer match hides the path rule's "said")
    words = tokens("Ayman Safadi arrived on Monday . An official said .")
    n = len(words)
    doc = Document.from_tokens(
        words,
        heads=[*range(7), 8, 8, 9][:n],
        deps=["dep"] * 7 + ["nsubj", "ROOT", "punct"],
        mentions=[("Person", 0, 2)],
        sentence_starts=[0, 6],
    )
    got = {(e.rule.split(":")[1], e.fields.source, e.fields.speaker) for e in rules.extract(doc)}
    assert got == {("unnamed", "official", None)}


def test_rule_sets_with_label_tests_pickle_and_dump(compile_rules: Compile) -> None:
    """The test survives pickling (a worker's copy) and shows as one token state in `--dump plan`."""
    from evx.tools.dump import dump_plan

    rules = compile_rules(STATEMENT_RULES)
    doc = Document.from_tokens(WORDS, mentions=gazetteer(WORDS))
    again = pickle.loads(pickle.dumps(rules))
    assert again.extract(doc) == rules.extract(doc)
    plan = dump_plan(rules)
    assert "token [@Person]" in plan and "token [lemma=official & !@Person]" in plan


@settings(max_examples=80, deadline=None)
@given(
    words=st.lists(st.sampled_from(["a", "b", ","]), min_size=1, max_size=14),
    spans=st.lists(st.tuples(st.integers(0, 13), st.integers(1, 5)), max_size=6),
)
def test_runs_of_inside_tokens_are_the_merged_spans(
    words: list[str], spans: list[tuple[int, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`[@P]+` (its DFA), `x:[@P]+` (the VM) and `[@P]` under `all` agree with the spans' cover."""
    rules = _run_rules(tmp_path_factory)
    n = len(words)
    given_spans = sorted({(s, min(s + w, n)) for s, w in spans if s < n})
    covered = sorted({i for s, e in given_spans for i in range(s, e)})
    runs: list[tuple[int, int]] = []
    for i in covered:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    doc = Document.from_tokens(
        words, sentence_starts=[0], mentions=[("P", s, e) for s, e in given_spans]
    )
    found: dict[str, list[tuple[int, int]]] = {"plain": [], "vm": [], "one": [], "word": []}
    for hit_label, hits in rules.annotate(doc).hits.items():
        found[hit_label.lower()] = [(h.start, h.end) for h in hits]
    assert found["plain"] == runs
    assert found["vm"] == runs
    assert found["one"] == [(i, i + 1) for i in covered]
    outside_a = [i for i, w in enumerate(words) if w == "a" and i not in covered]
    assert found["word"] == [(i, i + 1) for i in outside_a]


_RUN_RULES: dict[str, evx.RuleSet] = {}


def _run_rules(factory: pytest.TempPathFactory) -> evx.RuleSet:
    if "rules" not in _RUN_RULES:
        path = factory.mktemp("inside") / "inside.rules"
        path.write_text(
            "external mention P\n"
            "event Plain { }\nevent Vm { x: str? }\nevent One { overlap: all }\n"
            "event Word { overlap: all }\n"
            "rule plain -> Plain { match: [@P]+ }\n"
            "rule vm -> Vm { match: x:[@P]+ }\n"
            "rule one -> One { match: [@P] }\n"
            "rule word -> Word { match: [!@P & lower=a] }\n",
            encoding="utf-8",
        )
        rules = evx.load(path)
        by_name = {r.name: r for r in rules.compiled.rules}
        assert by_name["plain"].ends is not None and by_name["vm"].ends is None
        assert by_name["one"].fixed == 1 and by_name["word"].fixed == 1
        _RUN_RULES["rules"] = rules
    return _RUN_RULES["rules"]
