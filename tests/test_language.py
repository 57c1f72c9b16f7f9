"""Semantics of every construct of the rule language, pinned on sentences that read like wire copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import evx

Compile = Callable[..., evx.RuleSet]

EVENT = "event Hit { a: str?  b: str?  n: int?  items: list[str] }\n"


def found(rules: evx.RuleSet, text: str, field: str = "a") -> list[Any]:
    """The value of one field in every event extracted from the text."""
    return [e.fields.to_dict()[field] for e in rules.extract(text)]


def texts(rules: evx.RuleSet, text: str) -> list[str]:
    return [e.text for e in rules.extract(text)]


# ---------------------------------------------------------------- literals and token tests


def test_literal_spans_several_tokens_case_insensitively(compile_rules: Compile) -> None:
    """A quoted string is tokenized like the document and matched by lower-cased text."""
    rules = compile_rules(EVENT + 'rule r -> Hit { match: a:"On condition of anonymity" }')
    text = "The official spoke on condition of anonymity because he was not authorized."
    assert found(rules, text) == ["on condition of anonymity"]


def test_literal_folds_curly_apostrophes(compile_rules: Compile) -> None:
    """`"won't"` in a rule matches "won’t" typed with a curly apostrophe, and the reverse."""
    rules = compile_rules(EVENT + 'rule r -> Hit { match: a:("won\'t" [lemma=release]) }')
    assert found(rules, "Hamas has said it won’t release the remaining captives.") == [
        "won’t release"
    ]


def test_lemma_test_matches_inflections(compile_rules: Compile) -> None:
    """`[lemma=free]` matches freed, frees and freeing; the value is lemmatised too."""
    rules = compile_rules(EVENT + "rule r -> Hit { match: a:[lemma=freed] }")
    text = "Militants freed two captives on Monday and are freeing more while Israel frees others."
    assert found(rules, text) == ["freed", "freeing", "frees"]


def test_attribute_tests_regex_shape_and_flags(compile_rules: Compile) -> None:
    """Regex on text, shape equality, flags and `!=` select the tokens they say."""
    rules = compile_rules(
        EVENT
        + "rule caps -> Hit { match: a:[text=/^[A-Z][a-z]+$/ & !title & alpha] }\n"
        + 'rule shape -> Hit { match: b:([shape="dd,ddd"] | [shape=dd]) }\n'
        + "event Floor { a: str? }\n"
        + 'rule num -> Floor { match: a:("at" "least" [num & lower!="one"]) }\n'
    )
    text = "The raid killed at least 74 Palestinians, and more than 28,000 people have died."
    events = rules.extract(text)
    assert [e.fields.to_dict()["b"] for e in events if e.rule.endswith(":shape")] == [
        "74",
        "28,000",
    ]
    assert [e.text for e in events if e.rule.endswith(":num")] == ["at least 74"]
    assert [e for e in events if e.rule.endswith(":caps")] == []  # every such word is title case


def test_boolean_combinations_in_token_tests(compile_rules: Compile) -> None:
    """`&`, `|`, `!` and parentheses combine token tests as in logic."""
    rules = compile_rules(
        EVENT + "rule r -> Hit { match: a:[(lemma=truce | lower=ceasefire) & !text=/^[A-Z]/] }"
    )
    text = "Ceasefire talks resumed; the truce held, and a ceasefire took effect."
    assert found(rules, text) == ["truce", "ceasefire"]


def test_lower_attribute_keeps_hyphenated_words_whole(compile_rules: Compile) -> None:
    """`[lower="cease-fire"]` matches the hyphenated word as one token."""
    rules = compile_rules(EVENT + 'rule r -> Hit { match: a:([lower="cease-fire"] "deal") }')
    assert found(rules, "A six-week cease-fire deal was on the table.") == ["cease-fire deal"]


# ---------------------------------------------------------------- lexicons


def test_lexicon_bare_words_match_by_lemma_quoted_ones_exactly(compile_rules: Compile) -> None:
    """Bare entries match any inflection; quoted entries only their exact lower-cased text."""
    rules = compile_rules(
        EVENT + 'lexicon rel = { free, "released" }\nrule r -> Hit { match: a:rel "hostages" }'
    )
    text = "Hamas freed hostages. Israel released hostages. Egypt releases hostages."
    assert found(rules, text) == ["freed", "released"]


def test_lexicon_phrases_match_longest_entry(compile_rules: Compile) -> None:
    """Multi-word entries match as phrases, with inflection, and the longest entry wins."""
    rules = compile_rules(
        EVENT + "lexicon rel = { hand, hand over, set free }\nrule r -> Hit { match: a:rel }"
    )
    text = "The group handed over four captives and set free two others."
    assert found(rules, text) == ["handed over", "set free"]


def test_lexicon_from_file_with_canonical_values(compile_rules: Compile) -> None:
    """`lexicon x from "file"` reads one entry per line; `-> value` gives a canonical value."""
    rules = compile_rules(
        EVENT
        + 'lexicon party from "lexicons/parties.txt"\n'
        + "rule r -> Hit { match: a:party [lemma=say] }",
        files={
            "lexicons/parties.txt": "# warring sides\nIsrael\nIsraeli -> Israel\n"
            '"U.S." -> "United States"\nHamas  # the militant group\n'
        },
    )
    text = "Israeli officials say the talks stalled. The U.S. said a deal was close."
    # "officials" sits between "Israeli" and "say": only the U.S. one matches directly
    assert found(rules, text) == ["United States"]


def test_lexicon_in_token_test_uses_single_words(compile_rules: Compile) -> None:
    """`[lemma in lexicon]` tests one token against the lexicon's (lemmatised) entries."""
    rules = compile_rules(
        EVENT
        + "lexicon captive = { hostage, captive, abductee }\n"
        + "rule r -> Hit { match: a:([num] [lemma in captive]) }"
    )
    assert found(rules, "Hamas released three captives and 24 hostages.") == [
        "three captives",
        "24 hostages",
    ]


# ---------------------------------------------------------------- sequences and quantifiers


def test_alternation_and_groups(compile_rules: Compile) -> None:
    """`|` separates alternatives; parentheses group them inside a sequence."""
    rules = compile_rules(
        EVENT + 'rule r -> Hit { match: a:(("six" | "two") "-"? [lemma in {week, month}]) }'
    )
    assert found(rules, "Israel proposed a two month truce, not six weeks.") == [
        "two month",
        "six weeks",
    ]


def test_greedy_and_lazy_repeats_split_differently(compile_rules: Compile) -> None:
    """Greedy `+` takes as much as it can; lazy `+?` as little; the overall match is the same."""
    text = "Negotiators in Cairo said Tuesday that talks would resume."
    greedy = compile_rules(EVENT + 'rule r -> Hit { match: "negotiators" a:[]+ b:[]+ "talks" }')
    lazy = compile_rules(
        EVENT + 'rule r -> Hit { match: "negotiators" a:[]+? b:[]+ "talks" }', name="lazy.rules"
    )
    (g,) = greedy.extract(text)
    (lz,) = lazy.extract(text)
    assert g.text == lz.text == "Negotiators in Cairo said Tuesday that talks"
    assert g.fields.to_dict()["a"] == "in Cairo said Tuesday"
    assert g.fields.to_dict()["b"] == "that"
    assert lz.fields.to_dict()["a"] == "in"
    assert lz.fields.to_dict()["b"] == "Cairo said Tuesday that"


def test_lazy_gap_stops_at_first_anchor(compile_rules: Compile) -> None:
    """A lazy gap before a literal ends at its first occurrence, a greedy one at its last."""
    text = "Hamas released hostages, and Israel released prisoners and hostages."
    lazy = compile_rules(EVENT + 'rule r -> Hit { match: a:("released" []*? "hostages") }')
    greedy = compile_rules(
        EVENT + 'rule r -> Hit { match: a:("released" []* "hostages") }', name="g.rules"
    )
    assert texts(lazy, text) == ["released hostages", "released prisoners and hostages"]
    assert texts(greedy, text) == ["released hostages, and Israel released prisoners and hostages"]


def test_bounded_gap_respects_its_bounds(compile_rules: Compile) -> None:
    """`[]{0,3}` allows up to three tokens between the anchors and no more."""
    rules = compile_rules(EVENT + 'rule r -> Hit { match: a:([lemma=release] []{0,3} "hostages") }')
    assert texts(rules, "Hamas released some of the hostages.") == ["released some of the hostages"]
    assert texts(rules, "Hamas released only some of the remaining hostages.") == []


def test_exact_and_open_repeat_counts(compile_rules: Compile) -> None:
    """`{n}`, `{m,}` and `{,n}` count tokens exactly as written."""
    rules = compile_rules(
        EVENT
        + 'rule exact -> Hit { match: a:([shape=d]{2} "hostages") }\n'
        + 'rule open -> Hit { match: b:("talks" [!punct]{3,}) }\n'
    )
    events = rules.extract("Talks in Doha resumed late, said 3 4 hostages.")
    assert [e.text for e in events if e.rule.endswith(":exact")] == ["3 4 hostages"]
    assert [e.text for e in events if e.rule.endswith(":open")] == ["Talks in Doha resumed late"]


def test_optional_greedy_and_lazy(compile_rules: Compile) -> None:
    """`X?` takes X when it can; `X??` prefers to leave it out when the rest still matches."""
    text = "The first phase of the deal"
    greedy = compile_rules(EVENT + 'rule r -> Hit { match: "the" a:"first"? []{0,1} "phase" }')
    lazy = compile_rules(
        EVENT + 'rule r -> Hit { match: "the" a:"first"?? []{0,1} "phase" }', name="l.rules"
    )
    assert found(greedy, text) == ["first"]
    assert found(lazy, text) == [None]


# ---------------------------------------------------------------- captures


def test_capture_in_repeat_fills_list_field_with_every_iteration(compile_rules: Compile) -> None:
    """A capture inside a repeat gives every span to a list field, in order."""
    rules = compile_rules(
        EVENT
        + 'lexicon party = { Israel, Hamas, Egypt, Qatar, "United States" }\n'
        + 'rule r -> Hit { match: "mediated" "by" (items:party (","|"and")?)+ }'
    )
    (event,) = rules.extract("Talks mediated by Qatar, Egypt and the United States stalled.")
    assert event.fields.items == ("Qatar", "Egypt")
    assert [a.text for a in event.args["items"]] == ["Qatar", "Egypt"]  # type: ignore[union-attr]


def test_capture_in_repeat_gives_a_scalar_field_its_last_span(compile_rules: Compile) -> None:
    """A scalar field filled from a repeated capture takes the last iteration, as `re` does."""
    rules = compile_rules(EVENT + 'rule r -> Hit { match: "by" (a:[text=/^[A-Z]/] ","?)+ }')
    assert found(rules, "brokered by Qatar, Egypt, Jordan") == ["Jordan"]


def test_optional_capture_left_out_is_null(compile_rules: Compile) -> None:
    """A capture around an optional part that did not match is absent, not an empty string."""
    rules = compile_rules(EVENT + 'rule r -> Hit { match: a:"senior"? b:[lemma=official] }')
    assert [(e.fields.a, e.fields.b) for e in rules.extract("An official said.")] == [
        (None, "official")
    ]


# ---------------------------------------------------------------- lookaround and anchors


def test_lookahead_and_negative_lookahead(compile_rules: Compile) -> None:
    """`(?= X)` requires X next without consuming it; `(?! X)` forbids it."""
    text = "Israel freed 30 prisoners. Hamas freed 3 hostages."
    pos = compile_rules(EVENT + 'rule r -> Hit { match: a:([lemma=free] [num]) (?= "hostages") }')
    neg = compile_rules(
        EVENT + 'rule r -> Hit { match: a:([lemma=free] [num]) (?! "hostages") }', name="n.rules"
    )
    assert texts(pos, text) == ["freed 3"]
    assert texts(neg, text) == ["freed 30"]


def test_lookbehind_and_negative_lookbehind(compile_rules: Compile) -> None:
    """`(?<= X)` requires X just before; `(?<! X)` forbids it; neither is part of the match."""
    text = "Hamas will not release captives. Israel will release prisoners."
    pos = compile_rules(EVENT + 'rule r -> Hit { match: (?<= "will" "not") a:[lemma=release] }')
    neg = compile_rules(
        EVENT + 'rule r -> Hit { match: (?<! "not") a:([lemma=release] []) }', name="n.rules"
    )
    assert [(e.text, e.start) for e in pos.extract(text)] == [("release", 15)]
    assert texts(neg, text) == ["release prisoners"]


def test_lookbehind_sees_before_the_window_start(compile_rules: Compile) -> None:
    """Lookbehind can look at tokens before the match start, even a mention span."""
    rules = compile_rules(
        EVENT
        + 'mention Side = "Israel" | "Hamas"\n'
        + "rule r -> Hit { match: (?<= @Side []{0,2}) a:[lemma=free] }"
    )
    assert found(rules, "Hamas on Monday freed two. Then others freed three.") == ["freed"]


def test_anchors_bind_to_sentence_edges(compile_rules: Compile) -> None:
    """`^` and `$` match at the start and end of a sentence, not of a line or document."""
    rules = compile_rules(EVENT + "rule r -> Hit { match: ^ a:[text=/^[A-Z]/] [] }")
    assert found(rules, "Talks resumed. Hamas said no. In Cairo, Israel agreed.") == [
        "Talks",
        "Hamas",
        "In",
    ]


# ---------------------------------------------------------------- mentions and events


def test_mentions_run_before_the_rules_that_use_them(compile_rules: Compile) -> None:
    """A rule may use `@Label` defined later in the file; mentions may use mentions."""
    rules = compile_rules(
        "event Release { who: str?  count: int? }\n"
        "rule r -> Release { match: who:@Actor [lemma=free] count:@Count [lemma=hostage] }\n"
        'mention Actor = @Side | "the" "military"\n'
        'mention Side = "Israel" | "Hamas"\n'
        "mention Count: int { match: [num]+  value: number(match) }\n"
    )
    events = rules.extract("Hamas freed three hostages. The military freed 2 hostages.")
    assert [(e.fields.who, e.fields.count) for e in events] == [("Hamas", 3), ("The military", 2)]


def test_event_fields_are_typed(compile_rules: Compile) -> None:
    """int, str, enum, list and optional fields come out with their declared types."""
    rules = compile_rules(
        "event Truce {\n  days: int?\n  kind: enum { pause, truce }\n  sides: list[str]\n"
        "  note: str?\n}\n"
        "lexicon side = { Israel, Hamas }\n"
        # "42-day" is one token (hyphenated words stay whole), "six weeks" two
        "mention Days: int { match: [lower=/^[a-z0-9]+-(day|week)$/] | [num] [lemma in {day, week}]\n"
        "  value: duration(match) }\n"
        'rule r -> Truce { match: (sides:side "and"?)+ [lemma=agree] "to" "a"? days:@Days?\n'
        "  [lemma=truce]  set: kind = truce }\n"
    )
    (event,) = rules.extract("Israel and Hamas agreed to a 42-day truce.")
    assert event.fields.to_dict() == {
        "days": 42,
        "kind": "truce",
        "sides": ["Israel", "Hamas"],
        "note": None,
    }
    cls = rules.fields_class("Truce")
    assert isinstance(event.fields, cls)
    assert [a.name for a in cls.__attrs_attrs__] == ["days", "kind", "sides", "note"]  # type: ignore[attr-defined]


def test_set_conditions_windows_and_classifier(compile_rules: Compile) -> None:
    """`set:` uses the first assignment whose condition holds; classifiers pick by window."""
    rules = compile_rules(
        "enum Status { completed, expected, refused }\n"
        "event Release { status: Status  mode: enum { rescue, deal }? }\n"
        "classify status_of(t) -> Status {\n"
        '  refused when before(t, 4) has { "won\'t", refuse, will not }\n'
        '  expected when before(t, 3) has { will, would, "expected" "to" }\n'
        "  otherwise completed\n}\n"
        "rule r -> Release { match: t:[lemma in {release, free, rescue}] [!punct]{0,3} "
        "[lemma in {hostage, captive}]\n"
        "  set: status = status_of(t)\n"
        "       mode = rescue if inside(t) has [lemma=rescue] or near(t, 4) has { raid, operation }\n"
        "       mode = deal if sentence(t) has { deal, agreement }\n}\n"
    )
    text = (
        "Hamas won't release the captives. Under the deal, Hamas will free 33 hostages. "
        "A raid rescued two hostages."
    )
    got = [(e.fields.status, e.fields.mode) for e in rules.extract(text)]
    assert got == [("refused", None), ("expected", "deal"), ("completed", "rescue")]


def test_example_clauses_run_as_tests(compile_rules: Compile) -> None:
    """Examples must fire with their values and counters must not; failures say why."""
    from evx.tools.examples import run_example

    rules = compile_rules(
        "event Release { count: int? }\n"
        "mention N: int { match: [num]  value: number(match) }\n"
        "rule r -> Release {\n  match: [lemma=free] count:@N [lemma=hostage]\n"
        '  example "Hamas freed three hostages." => count = 3\n'
        '  example "Hamas freed four hostages." => count = 5\n'
        '  counter "Hamas freed no one."\n'
        '  counter "Israel freed 30 hostages."\n}\n'
    )
    outcomes = [run_example(rules, ex) for ex in rules.examples()]
    assert outcomes[0] is None
    assert outcomes[1] is not None and "count: expected 5, got 4" in outcomes[1]
    assert outcomes[2] is None
    assert outcomes[3] is not None and "counter-example" in outcomes[3]


def test_import_brings_in_definitions_of_another_file(compile_rules: Compile) -> None:
    """`import "file"` makes that file's lexicons and mentions usable, relative to the importer."""
    rules = compile_rules(
        'import "shared/common.rules"\nevent E { who: str? }\nrule r -> E { match: who:@Side [lemma=say] }\n',
        files={"shared/common.rules": 'mention Side = "Israel" | "Hamas"\n'},
    )
    assert [e.fields.who for e in rules.extract("Hamas said it accepted.")] == ["Hamas"]


# ---------------------------------------------------------------- overlaps and sentences


def test_overlapping_matches_keep_the_longest(compile_rules: Compile) -> None:
    """By default, of overlapping matches of one type the longest survives."""
    rules = compile_rules(
        "event Truce { days: str? }\n"
        "rule short -> Truce { match: [lemma=truce] }\n"
        'rule long -> Truce { match: days:([num] "-" "day")? [lemma=truce] }\n'
    )
    events = rules.extract("They agreed a 42 - day truce.")
    assert [(e.rule, e.text) for e in events] == [("test.rules:long", "42 - day truce")]


def test_overlap_all_keeps_every_distinct_span(compile_rules: Compile) -> None:
    """`overlap: all` keeps overlapping matches, dropping only exact duplicates."""
    rules = compile_rules(
        "event Truce { days: str?  overlap: all }\n"
        "rule short -> Truce { match: [lemma=truce] }\n"
        "rule dup -> Truce { match: [lower=truce] }\n"
        'rule long -> Truce { match: "42" "-" "day" [lemma=truce] }\n'
    )
    events = rules.extract("They agreed a 42 - day truce.")
    assert sorted(e.text for e in events) == ["42 - day truce", "truce"]


def test_matches_do_not_cross_sentences(compile_rules: Compile) -> None:
    """A pattern is matched within one sentence; gaps do not run into the next."""
    rules = compile_rules(EVENT + 'rule r -> Hit { match: a:([lemma=release] []* "hostages") }')
    assert texts(rules, "Hamas will release them. The hostages are in Gaza.") == []


def test_resolve_and_merge_join_a_follow_up_to_its_source(compile_rules: Compile) -> None:
    """`resolve:` replaces an anaphor by the nearest earlier span; `merge:` joins the records."""
    rules = compile_rules(
        "event Source { source: str  count: int?  reason: str?  merge: source }\n"
        "mention Officials = [num] [lemma=official]\n"
        "rule said -> Source { match: source:@Officials [lemma in {say, acknowledge}]\n"
        "  set: count = number(source) }\n"
        'rule anon -> Source { match: source:"they" [lemma=speak] "on" "condition" "of" '
        '"anonymity" "because" reason:[!punct]+\n'
        "  resolve: source = nearest @Officials within 2 sentences }\n"
    )
    text = (
        "Three officials acknowledged that progress had been made. "
        "They spoke on condition of anonymity because they weren't authorized to discuss the talks."
    )
    (event,) = rules.extract(text)
    assert event.fields.to_dict() == {
        "source": "Three officials",
        "count": 3,
        "reason": "they weren't authorized to discuss the talks",
    }
    assert event.sentence == text
    assert event.args["source"] == evx.Arg(0, 15, "Three officials")


def test_unresolved_anaphor_gives_no_record(compile_rules: Compile) -> None:
    """A follow-up with nothing to refer to within its window produces nothing."""
    rules = compile_rules(
        "event Source { source: str }\n"
        "mention Officials = [num] [lemma=official]\n"
        'rule anon -> Source { match: source:"they" [lemma=speak] "anonymously"\n'
        "  resolve: source = nearest @Officials within 1 sentences }\n"
    )
    assert rules.extract("They spoke anonymously.") == []


# ---------------------------------------------------------------- outside tokenization


def test_caller_tokens_and_extra_attributes(compile_rules: Compile) -> None:
    """Documents built from another tokenizer's words carry extra columns rules can test."""
    rules = compile_rules(EVENT + "rule r -> Hit { match: a:[pos=PROPN]+ [lemma=say] }")
    words = ["Egyptian", "official", "Ahmed", "Hassan", "said", "talks", "resumed", "."]
    pos = ["ADJ", "NOUN", "PROPN", "PROPN", "VERB", "NOUN", "VERB", "PUNCT"]
    doc = evx.Document.from_tokens(words, pos=pos, doc_id="wire-1")
    (event,) = rules.extract(doc)
    assert (event.doc, event.fields.a) == ("wire-1", "Ahmed Hassan")


def test_missing_attribute_is_a_clear_document_error(compile_rules: Compile) -> None:
    """A rule that needs `pos` on a document without it fails that document with D003."""
    rules = compile_rules(EVENT + "rule r -> Hit { match: a:[pos=PROPN] }")
    with pytest.raises(evx.DocumentError) as info:
        rules.extract("Ahmed Hassan said talks resumed.")
    assert info.value.code == "D003"
    assert "pos" in str(info.value)


def test_clitic_literal_matches_the_possessive_token(compile_rules: Compile) -> None:
    """A literal `"'s"` is the possessive token it is in text, curly or straight."""
    rules = compile_rules(EVENT + 'rule r -> Hit { match: a:([lemma=child] "\'s" "release") }')
    assert found(rules, "Officials welcomed the children’s release on Sunday.") == [
        "children’s release"
    ]


def test_an_unknown_escape_in_a_literal_stays_as_written_without_a_warning(
    tmp_path: Path,
) -> None:
    """`"\\T"` is a backslash and a T, as in Python, and loading it warns about nothing
    (found by the long fuzz run: Python's own DeprecationWarning leaked out)."""
    import warnings

    path = tmp_path / "escape.rules"
    path.write_text('event E { }\nrule r -> E { match: "a\\Tb" }\n', encoding="utf-8")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        rules = evx.load(path, cache_dir=None)  # parsed here, not read from the cache
    assert [str(w.message) for w in seen] == []
    assert rules.event_types == ("E",)


# ---------------------------------------------------------------- sum()

SUM_RULES = (
    EVENT
    + """
mention Num: int {
    match: [num]+
    value: number(match)
}
lexicon people = { women, babies, men, officers, sergeant }
rule r -> Hit {
    match: "rescued" x:@Num [!punct]{0,2}? people ("and" y:@Num [!punct]{0,2}? people)?
    set: n = sum(x, y)
}
"""
)


def test_sum_adds_the_numbers_that_are_there(compile_rules: Compile) -> None:
    """Two groups freed together are one count; a missing optional term adds nothing."""
    rules = compile_rules(SUM_RULES)
    assert found(rules, "Soldiers rescued 62 women and four babies on Friday.", "n") == [66]
    assert found(rules, "Soldiers rescued 62 women on Friday.", "n") == [62]


def test_sum_refuses_a_value_that_is_not_a_number(compile_rules: Compile) -> None:
    """`sum` of a text capture is E202 at its argument; `sum()` with nothing is E111."""
    bad = EVENT + 'rule r -> Hit { match: "freed" x:"men"  set: n = sum(x) }'
    with pytest.raises(evx.RuleCheckError) as caught:
        compile_rules(bad)
    assert "E202" in str(caught.value) and "`sum` adds numbers" in str(caught.value)
    with pytest.raises(evx.RuleCheckError) as caught:
        compile_rules(EVENT + 'rule r -> Hit { match: "freed"  set: n = sum() }')
    assert "E111" in str(caught.value)
