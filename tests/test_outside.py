"""What another extractor hands evx: outside mentions as `@Label`, and token columns of its own."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evx
from evx import Document
from evx.errors import DocumentError, RuleCheckError

Compile = Callable[..., evx.RuleSet]

# "Hamas commander Yahya Sinwar ordered the release of two hostages , a senior official said ."
WORDS = [
    "Hamas",
    "commander",
    "Yahya",
    "Sinwar",
    "ordered",
    "the",
    "release",
    "of",
    "two",
    "hostages",
    ",",
    "a",
    "senior",
    "official",
    "said",
    ".",
]

PERSON_RULES = """
external mention Person
event Order { who: str?  count: str? }
rule ordered -> Order { match: who:@Person [lemma=order] [lower=the]? [lemma=release] "of" count:[num] }
"""


def _codes(exc: RuleCheckError) -> list[tuple[str, int, int]]:
    return [(d.code, d.pos.line, d.pos.column) for d in exc.diagnostics if d.pos]


# -- outside mentions ---------------------------------------------------------------------


def test_an_outside_mention_is_read_as_its_label(compile_rules: Compile) -> None:
    """A span handed in as `("Person", 2, 4)` fills `@Person` once the label is declared external."""
    rules = compile_rules(PERSON_RULES)
    doc = Document.from_tokens(WORDS, mentions=[("Person", 2, 4)])
    (event,) = rules.extract(doc)
    assert (event.fields.who, event.fields.count) == ("Yahya Sinwar", "two")
    assert event.text == "Yahya Sinwar ordered the release of two"
    assert rules.external_mentions == ("Person",)


def test_an_outside_mention_can_carry_a_value(compile_rules: Compile) -> None:
    """A fourth item is the mention's value, which a capture of exactly that span takes."""
    rules = compile_rules(PERSON_RULES)
    doc = Document.from_tokens(WORDS, mentions=[("Person", 2, 4, "Sinwar, Yahya")])
    (event,) = rules.extract(doc)
    assert event.fields.who == "Sinwar, Yahya"


@pytest.mark.parametrize("order", [1, -1])
def test_every_mention_starting_at_a_token_is_tried(compile_rules: Compile, order: int) -> None:
    """Of two Person spans at one start, the one the pattern can continue from matches, in either order."""
    rules = compile_rules(PERSON_RULES)
    # "Yahya Sinwar ordered" is not a Person; "Yahya Sinwar" is
    mentions = [("Person", 2, 5), ("Person", 2, 4)][::order]
    (event,) = rules.extract(Document.from_tokens(WORDS, mentions=mentions))
    assert event.fields.who == "Yahya Sinwar"


def test_an_undeclared_outside_label_is_a_coded_error(compile_rules: Compile) -> None:
    """`@Person` without `external mention Person` stays E102, at the reference, with a hint."""
    with pytest.raises(RuleCheckError) as caught:
        compile_rules(
            "event Order { who: str? }\nrule ordered -> Order { match: who:@Person [lemma=order] }\n"
        )
    assert _codes(caught.value) == [("E102", 2, 36)]
    (diag,) = caught.value.diagnostics
    assert "external mention Person" in (diag.hint or "")
    assert "^" in str(caught.value)


def test_an_external_mention_clashes_with_a_mention_of_its_name(compile_rules: Compile) -> None:
    """One label cannot be both supplied from outside and found by a mention rule (E101)."""
    with pytest.raises(RuleCheckError) as caught:
        compile_rules('external mention Person\nmention Person = "Sinwar"\n')
    assert _codes(caught.value) == [("E101", 2, 1)]


def test_other_labels_and_documents_without_mentions_are_fine(compile_rules: Compile) -> None:
    """Mentions of labels no rule declares are ignored; a document with none simply has no match."""
    rules = compile_rules(PERSON_RULES)
    assert rules.extract(Document.from_tokens(WORDS, mentions=[("ORG", 0, 1)])) == []
    assert rules.extract(Document.from_tokens(WORDS)) == []
    assert rules.extract(" ".join(WORDS)) == []


def test_outside_mentions_serve_conditions_and_collect(compile_rules: Compile) -> None:
    """`@Label` works wherever labels do: in `has` conditions and in `collect`."""
    rules = compile_rules(
        "external mention Person\n"
        "event Release { count: str?  people: list[str] }\n"
        "rule r -> Release {\n"
        '  match: [lemma=release] "of" count:[num] [lemma=hostage]\n'
        "  set: people = collect(@Person, sentence(count))\n"
        "  where: before(count, 6) has @Person\n"
        "}\n"
    )
    doc = Document.from_tokens(WORDS, mentions=[("Person", 2, 4), ("Person", 0, 1)])
    (event,) = rules.extract(doc)
    assert event.fields.people == ("Hamas", "Yahya Sinwar")
    assert rules.extract(Document.from_tokens(WORDS, mentions=[("Person", 0, 1)])) == []


@pytest.mark.parametrize(
    "mention,message",
    [
        (("Person", 2), "give \\(label, start, end\\)"),
        (("Person", 4, 2), "0 <= start < end"),
        (("Person", 3, 3), "0 <= start < end"),
        (("Person", 0, 99), "0 <= start < end"),
        (("", 0, 1), "labels are names"),
        (("Person", 0, 1, 7), "use a str"),
        (("Person", True, 2), "0 <= start < end"),
    ],
)
def test_bad_mentions_are_value_errors(mention: tuple[object, ...], message: str) -> None:
    """A mention outside the tokens, empty, unlabelled or with a non-text value is refused."""
    with pytest.raises(ValueError, match=message):
        Document.from_tokens(WORDS, mentions=[mention])


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 12),
    spans=st.lists(st.tuples(st.integers(0, 11), st.integers(1, 4)), max_size=8),
)
def test_every_outside_span_is_found_under_overlap_all(
    n: int, spans: list[tuple[int, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With `overlap: all`, `@P` matches exactly the distinct spans handed in, whatever they are."""
    rules = _all_spans_rules(tmp_path_factory)
    given_spans = {(s, min(s + w, n)) for s, w in spans if s < n}
    doc = Document.from_tokens(
        ["w"] * n, sentence_starts=[0], mentions=[("P", s, e) for s, e in given_spans]
    )
    found = {(e.start // 2, (e.end + 1) // 2) for e in rules.extract(doc)}
    assert found == given_spans


_ALL_SPANS: dict[str, evx.RuleSet] = {}


def _all_spans_rules(factory: pytest.TempPathFactory) -> evx.RuleSet:
    if "rules" not in _ALL_SPANS:
        path = factory.mktemp("all") / "all.rules"
        path.write_text(
            "external mention P\nevent E { who: str?  overlap: all }\n"
            "rule r -> E { match: who:@P }\n",
            encoding="utf-8",
        )
        _ALL_SPANS["rules"] = evx.load(path)
    return _ALL_SPANS["rules"]


# -- declared attributes --------------------------------------------------------------------

ATTRIBUTE_RULES = """
external attribute salience: int
external attribute is_name: bool
external attribute role: str
event Order { who: str?  count: str? }
rule named -> Order { match: who:[is_name]+ [lemma=order] }
rule salient -> Order { match: count:[num & salience=2] [lemma=hostage] }
rule role -> Order { match: who:[role in { official, spokesman }] [lower=said] }
"""


def _attribute_doc(**overrides: object) -> Document:
    columns: dict[str, object] = {
        "salience": [0] * 8 + [2] + [0] * 7,
        "is_name": [False, False, True, True] + [False] * 12,
        "role": [""] * 13 + ["official", "", ""],
    }
    columns.update(overrides)
    return Document.from_tokens(WORDS, **columns)  # type: ignore[arg-type]


def test_declared_columns_of_each_type_are_tested(compile_rules: Compile) -> None:
    """A rule file declares str, int and bool columns; rules test them; the document supplies them."""
    rules = compile_rules(ATTRIBUTE_RULES)
    assert rules.attributes == {"salience": "int", "is_name": "bool", "role": "str"}
    got = {(e.rule.split(":")[1], e.text) for e in rules.extract(_attribute_doc())}
    assert got == {
        ("named", "Yahya Sinwar ordered"),
        ("salient", "two hostages"),
        ("role", "official said"),
    }


def test_a_declared_column_the_document_lacks_is_a_document_error(compile_rules: Compile) -> None:
    """Without the column a rule tests, the document fails with D003 naming it and the rules."""
    rules = compile_rules(ATTRIBUTE_RULES)
    with pytest.raises(DocumentError) as caught:
        rules.extract(Document.from_tokens(WORDS, salience=[0] * 16, role=[""] * 16))
    assert caught.value.code == "D003"
    assert "`is_name`" in str(caught.value) and "test.rules:named" in str(caught.value)


@pytest.mark.parametrize(
    "column,values",
    [
        ("salience", ["0"] * 16),
        ("salience", [True] * 16),
        ("is_name", [0] * 16),
        ("role", [1] * 16),
    ],
)
def test_a_column_of_the_wrong_type_is_a_document_error(
    compile_rules: Compile, column: str, values: list[object]
) -> None:
    """Values of another type than declared fail the document (D007) instead of never matching."""
    rules = compile_rules(ATTRIBUTE_RULES)
    with pytest.raises(DocumentError) as caught:
        rules.extract(_attribute_doc(**{column: values}))
    assert caught.value.code == "D007"
    assert f"`{column}`" in str(caught.value)


@pytest.mark.parametrize(
    "declaration,test,code,column",
    [
        ("external attribute rank: int", '[rank="high"]', "E310", 23),
        ("external attribute rank: int", "[rank=/^1/]", "E310", 23),
        ("external attribute rank: int", "[rank in verb]", "E310", 23),
        ("external attribute named: bool", "[named=yes]", "E310", 23),
        ("external attribute role: str", "[role]", "E301", 23),
        ("external attribute rank: float", "[rank=1]", "E105", 26),
        ("external attribute punct: bool", "[punct]", "E112", 1),
        ("external attribute lemma: str", "[lemma=x]", "E112", 1),
        ("external attribute pos: str", "[pos=X]", "E112", 1),
        ("external attribute rank: int", "[rnak=1]", "E301", 23),
    ],
)
def test_declared_attribute_mistakes_are_coded(
    compile_rules: Compile, declaration: str, test: str, code: str, column: int
) -> None:
    """Bad types, built-in names and tests that do not fit the declared type each get a code and position."""
    with pytest.raises(RuleCheckError) as caught:
        compile_rules(
            declaration + "\nlexicon verb = { order }\nevent E { x: str? }\n"
            f"rule r -> E {{ match: {test} verb }}\n"
        )
    found = [(d.code, d.pos.line, d.pos.column) for d in caught.value.diagnostics if d.pos]
    line = 1 if code in ("E105", "E112") else 4
    assert (code, line, column) in found, found


def test_an_undeclared_attribute_says_how_to_declare_it(compile_rules: Compile) -> None:
    """E301 for an unknown attribute points at `external attribute`."""
    with pytest.raises(RuleCheckError) as caught:
        compile_rules("event E { x: str? }\nrule r -> E { match: [sentiment=neg] }\n")
    (diag,) = caught.value.diagnostics
    assert diag.code == "E301" and "external attribute sentiment" in (diag.hint or "")


def test_whole_numbers_in_sets_and_inequalities(compile_rules: Compile) -> None:
    """An int column is tested with `=`, `!=` and `in { ... }` of whole numbers."""
    rules = compile_rules(
        "external attribute rank: int\nevent E { x: str? }\n"
        "rule r -> E { match: x:[rank in { 1, 2 }] [rank!=0] }\n"
    )
    doc = Document.from_tokens(["a", "b", "c", "d"], rank=[2, 5, 0, 0])
    assert [e.text for e in rules.extract(doc)] == ["a b"]


def test_supplied_flags_replace_the_built_in_ones(compile_rules: Compile) -> None:
    """`punct=` replaces evx's own flag for that document only; documents without it keep evx's."""
    rules = compile_rules(
        'event E { x: str? }\nrule r -> E { match: "said" x:[!punct]+ }\n', name="flags.rules"
    )
    words = ["officials", "said", "--", "privately"]
    assert [e.fields.x for e in rules.extract(Document.from_tokens(words))] == []
    own = Document.from_tokens(words, punct=[False, False, False, False])
    assert [e.fields.x for e in rules.extract(own)] == ["-- privately"]
    # the same words again, without the override: the class cache must not carry it over
    assert [e.fields.x for e in rules.extract(Document.from_tokens(words))] == []


def test_supplied_flags_must_be_booleans() -> None:
    """A flag override holds booleans only."""
    with pytest.raises(ValueError, match="must hold booleans"):
        Document.from_tokens(["a", "b"], alpha=[1, 0])


# -- lemmas that are not lemmas ---------------------------------------------------------------


def test_a_lemma_column_of_lower_cased_words_is_warned_about() -> None:
    """`lemma=` holding just the lower-cased words gets W103 instead of silently losing lemma matching."""
    lowered = [w.lower() for w in WORDS]
    doc = Document.from_tokens(WORDS, lemma=lowered)
    assert [w[:4] for w in doc.warnings] == ["W103"]
    real = [*lowered]
    real[4], real[9] = "order", "hostage"
    assert Document.from_tokens(WORDS, lemma=real).warnings == ()
    assert Document.from_tokens(WORDS).warnings == ()
    # too few inflected words to judge: no warning
    assert Document.from_tokens(["Hamas", "freed"], lemma=["hamas", "freed"]).warnings == ()


# -- extract() inputs and pickling ----------------------------------------------------------


def test_extract_reads_a_path_and_refuses_other_types(tmp_path: Path) -> None:
    """`extract(Path)` reads the file (named by its path); anything else is a clear TypeError."""
    rules = evx.load(Path(__file__).resolve().parent.parent / "rules")
    story = tmp_path / "wire.txt"
    story.write_text("Hamas freed three hostages on Monday, officials said.\n", encoding="utf-8")
    events = rules.extract(story)
    assert events and {e.doc for e in events} == {str(story)}
    assert events == rules.extract(story.read_text(encoding="utf-8"), doc_id=str(story))
    with pytest.raises(DocumentError) as caught:
        rules.extract(tmp_path / "missing.txt")
    assert caught.value.code == "D004"
    with pytest.raises(TypeError, match=r"takes text.*not int"):
        rules.extract(42)  # type: ignore[arg-type]


def test_events_and_rule_sets_pickle(compile_rules: Compile) -> None:
    """Records (with their generated field classes) and rule sets survive a pickle round trip."""
    rules = compile_rules(PERSON_RULES)
    doc = Document.from_tokens(WORDS, mentions=[("Person", 2, 4)])
    events = rules.extract(doc)
    assert pickle.loads(pickle.dumps(events)) == events
    again = pickle.loads(pickle.dumps(rules))
    assert again.extract(pickle.loads(pickle.dumps(doc))) == events
    assert type(pickle.loads(pickle.dumps(events[0])).fields) is rules.fields_class("Order")


# -- adding to a document evx tokenized, and examples -----------------------------------------


def test_supplied_adds_mentions_and_columns_to_a_document(compile_rules: Compile) -> None:
    """`doc.supplied(...)` keeps evx's own tokens and adds another step's mentions and columns."""
    rules = compile_rules(PERSON_RULES + ATTRIBUTE_RULES.replace("event Order", "event Other"))
    text = (
        "Hamas commander Yahya Sinwar ordered the release of two hostages, a senior official said."
    )
    doc = Document.from_text(text, "wire-3")
    n = len(doc)
    added = doc.supplied(
        mentions=[("Person", 2, 4)], salience=[0] * n, is_name=[False] * n, role=[""] * n
    )
    assert added.words == doc.words and added.text == doc.text and added.id == "wire-3"
    assert doc.mentions == () and not doc.has_column("role")  # the original is unchanged
    (event,) = [e for e in rules.extract(added) if e.type == "Order"]
    assert event.fields.who == "Yahya Sinwar"
    assert text[event.start : event.end] == event.text
    again = added.supplied(mentions=[("Person", 0, 1)], punct=[False] * n)
    assert [m[:3] for m in again.mentions] == [("Person", 0, 1), ("Person", 2, 4)]
    assert again.flags_supplied == ("punct",) and not any(again.column("punct"))
    with pytest.raises(ValueError, match="role has 1 entries"):
        doc.supplied(role=["x"])


def test_examples_run_with_neutral_columns_and_say_why_outside_rules_miss(
    compile_rules: Compile,
) -> None:
    """In `evx test`, declared columns are neutral and there are no outside mentions; a miss says so."""
    from evx.tools.examples import run_example

    rules = compile_rules(
        "external mention Person\nexternal attribute known: bool\n"
        "event Statement { speaker: str? }\n"
        "rule by_person -> Statement {\n"
        '  match: speaker:@Person [lemma=say]  example "Safadi said it." => speaker = "Safadi"\n'
        "}\n"
        "rule by_word -> Statement {\n"
        '  match: speaker:[title & !known] [lemma=tell]  example "Safadi told reporters." => speaker = "Safadi"\n'
        "}\n"
    )
    results = {ex.rule: run_example(rules, ex) for ex in rules.examples()}
    assert results["test.rules:by_word"] is None
    assert "brings no outside mentions" in (results["test.rules:by_person"] or "")
