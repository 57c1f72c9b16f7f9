"""The `evx` spaCy component: found through its entry point, records and spans on each Doc."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import evx
from evx.errors import DocumentError

spacy = pytest.importorskip("spacy")

from spacy.tokens import Doc, Span, Token  # noqa: E402

from evx.integrations.spacy import from_spacy  # noqa: E402
from evx.integrations.spacy_component import event_arg_spans  # noqa: E402
from evx.integrations.spacy_tokens import EvxTokenizer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEEDS = ROOT / "seeds"

WIRE = (
    "Hamas freed three hostages on Monday, officials said. "
    "Israel and Hamas agreed to a six-week ceasefire, a senior official said."
)


def _pipeline(config: dict[str, Any] | None = None) -> Any:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("evx", config={"rules": str(RULES), **(config or {})})
    return nlp


@pytest.fixture(scope="module")
def nlp() -> Any:
    return _pipeline()


def _summary(events: list[evx.Event]) -> list[tuple[str, int, int, dict[str, Any]]]:
    return [(e.type, e.start, e.end, e.fields.to_dict()) for e in events]


def test_the_factory_is_found_by_name_and_sets_records(nlp: Any) -> None:
    """`nlp.add_pipe("evx")` works without importing evx first, and `doc._.events` holds evx records."""
    doc = nlp(WIRE)
    events = doc._.events
    assert events and all(isinstance(e, evx.Event) for e in events)
    rules = evx.load(RULES)
    assert events == rules.extract(from_spacy(doc))
    release = next(e for e in events if e.type == "HostageRelease")
    assert (release.fields.count, release.fields.released_by) == (3, "Hamas")
    assert {m.type for m in doc._.evx_mentions} >= {"Party", "Quantity"}
    assert all(not rules.compiled.schemas[m.type].is_event for m in doc._.evx_mentions)


def test_records_become_span_groups(nlp: Any) -> None:
    """A Span per record (labelled with its type) and per argument (labelled with its field)."""
    doc = nlp(WIRE)
    spans = doc.spans["evx"]
    assert [(s.text, s.label_) for s in spans] == [(e.text, e.type) for e in doc._.events]
    args = {(s.text, s.label_) for s in doc.spans["evx_args"]}
    assert ("freed", "trigger") in args and ("three", "count") in args
    release = next(e for e in doc._.events if e.type == "HostageRelease")
    found = event_arg_spans(doc, release)
    assert isinstance(found["count"], Span) and found["count"].text == "three"


def test_displacy_renders_the_records(nlp: Any) -> None:
    """displaCy's span style draws the `evx` group."""
    from spacy import displacy

    html = displacy.render(nlp(WIRE), style="span", options={"spans_key": "evx"})
    assert "HostageRelease" in html and "CeasefirePhase" in html


def test_a_doc_without_records_has_empty_ones(nlp: Any) -> None:
    """A Doc the component never saw, or one without events, reads as empty lists."""
    assert spacy.blank("en")("Nothing here.")._.events == []
    doc = nlp("The weather was mild.")
    assert doc._.events == [] and list(doc.spans["evx"]) == []


def test_records_survive_doc_serialization(nlp: Any) -> None:
    """`Doc.to_bytes` / `from_bytes` carry the records and spans."""
    doc = nlp(WIRE)
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert again._.events == doc._.events
    assert [s.text for s in again.spans["evx"]] == [s.text for s in doc.spans["evx"]]


def test_nlp_pipe_with_two_processes_gives_the_same_records(nlp: Any) -> None:
    """`nlp.pipe(texts, n_process=2)` works and agrees with one process."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:6]]
    one = [_summary(d._.events) for d in nlp.pipe(texts)]
    two = [_summary(d._.events) for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert two == one and any(one)


def test_the_component_pickles(nlp: Any) -> None:
    """The component (its compiled rule set) survives pickling, as worker processes need."""
    component = pickle.loads(pickle.dumps(nlp.get_pipe("evx")))
    doc = nlp.make_doc(WIRE)
    nlp.get_pipe("sentencizer")(doc)
    assert _summary(component(doc)._.events) == _summary(nlp(WIRE)._.events)


RULES_ON_ANNOTATIONS = """
event Release { who: str?  count: str?  captive: str? }
rule tagged -> Release {
    match: who:[pos=PROPN & ent_iob=B] [lemma=free & tag=VBD] count:[num] captive:[morph=/Number=Plur/]
}
"""


def test_spacy_annotations_are_columns(compile_rules: Callable[..., evx.RuleSet]) -> None:
    """Hand-set pos, tag, ent_iob, morph and lemmas reach the rules through the component."""
    rules = compile_rules(RULES_ON_ANNOTATIONS)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp.make_doc("Hamas released three hostages.")
    for token, pos, tag, lemma in zip(
        doc,
        ["PROPN", "VERB", "NUM", "NOUN", "PUNCT"],
        ["NNP", "VBD", "CD", "NNS", "."],
        ["Hamas", "free", "three", "hostage", "."],
        strict=True,
    ):
        token.pos_, token.tag_, token.lemma_ = pos, tag, lemma
    doc[3].set_morph("Number=Plur")
    doc.ents = [Span(doc, 0, 1, label="ORG")]
    nlp.get_pipe("sentencizer")(doc)
    edoc = from_spacy(doc)
    assert edoc.column("ent_type")[0] == "ORG" and edoc.column("morph")[3] == "Number=Plur"
    (event,) = rules.extract(edoc)  # "released" matches [lemma=free] only by spaCy's lemma
    assert (event.fields.who, event.fields.count, event.fields.captive) == (
        "Hamas",
        "three",
        "hostages",
    )


def test_rules_needing_a_missing_annotation_fail_the_doc(
    compile_rules: Callable[..., evx.RuleSet], tmp_path: Path
) -> None:
    """On a blank pipeline (no tagger), a rule testing `pos` fails the Doc with D003."""
    compile_rules(RULES_ON_ANNOTATIONS)
    nlp = spacy.blank("en")
    nlp.add_pipe("evx", config={"rules": str(tmp_path / "test.rules")})
    with pytest.raises(DocumentError) as caught:
        nlp("Hamas released three hostages.")
    assert caught.value.code == "D003"


OUTSIDE_RULES = """
external mention PERSON
external mention GPE
external attribute salience: int
event Meeting { who: str?  place: str? }
rule met -> Meeting { match: who:@PERSON [lemma=meet] [!punct]{0,3}? "in" place:@GPE [salience=1]? }
"""


def test_entities_span_groups_and_extensions_reach_the_rules(tmp_path: Path) -> None:
    """`doc.ents`, a span group and a token extension declared in the rules feed `@Label` and tests."""
    (tmp_path / "meet.rules").write_text(OUTSIDE_RULES, encoding="utf-8")
    if not Token.has_extension("salience"):
        Token.set_extension("salience", default=0)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("evx", config={"rules": str(tmp_path / "meet.rules")})
    doc = nlp.make_doc("U.S. envoy Steve Witkoff met Hamas officials in Doha on Sunday.")
    doc.ents = [Span(doc, 8, 9, label="GPE")]
    doc.spans["people"] = [Span(doc, 2, 4, label="PERSON"), Span(doc, 3, 4, label="PERSON")]
    doc[9]._.salience = 1
    doc = nlp(doc)
    (event,) = doc._.events
    assert (event.fields.who, event.fields.place) == ("Steve Witkoff", "Doha")
    assert event.text == "Steve Witkoff met Hamas officials in Doha on"
    # the component's own groups are not read back as mentions on a second run
    again = nlp(doc)
    assert again._.events == [event]


def test_another_owner_of_doc_events_is_refused() -> None:
    """If another component registered `Doc._.events`, the evx component says so instead of shadowing it."""
    from evx.integrations import spacy_component

    original = Doc.get_extension("events")
    Doc.remove_extension("events")
    Doc.set_extension("events", default=None)
    try:
        with pytest.raises(ValueError, match="already registered"):
            spacy_component.EvxComponent(evx.load(RULES))
    finally:
        Doc.remove_extension("events")
        if original is not None:
            Doc.set_extension("events", getter=original[2])


def test_the_seeds_through_spacy_match_a_direct_run(nlp: Any) -> None:
    """Over every seed, the component's records are exactly the rule set's on the same
    (spaCy's blank English) tokens, the header read as evx reads it."""
    rules = evx.load(RULES)
    for path in sorted(SEEDS.glob("*.txt")):
        doc = nlp(path.read_text(encoding="utf-8"))
        assert doc._.events == rules.extract(from_spacy(doc, header=True)), path.name


def _evx_pipeline() -> Any:
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "evx.Tokenizer.v1"}}})
    nlp.add_pipe("evx_sentences")
    nlp.add_pipe("evx", config={"rules": str(RULES)})
    return nlp


def test_with_evx_tokens_the_seeds_give_the_records_of_evx_run() -> None:
    """evx's tokenizer and sentences in a blank pipeline: every seed's records, whole
    (type, document, rule, offsets, text, evidence sentence, fields, arguments, provenance),
    are those of the plain engine over the same files, as `evx run rules/ seeds/` reads them."""
    rules = evx.load(RULES)
    plain = list(rules.run([SEEDS]))
    nlp = _evx_pipeline()
    through: list[evx.Event] = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc = nlp.make_doc(path.read_text(encoding="utf-8"))
        doc._.evx_doc_id = str(path)
        through += nlp(doc)._.events
    assert len(plain) == 138
    assert [e.to_dict() for e in through] == [e.to_dict() for e in plain]
    assert through == plain


def test_with_spacys_own_tokens_the_seeds_give_other_records(nlp: Any) -> None:
    """spaCy's tokenizer splits `six-week` and `cease-fire` at the hyphen, so the packs,
    written against evx's tokens, find fewer records: why the evx tokenizer exists."""
    rules = evx.load(RULES)
    plain = list(rules.run([SEEDS]))
    through = [e for p in sorted(SEEDS.glob("*.txt")) for e in nlp(p.read_text("utf-8"))._.events]
    assert len(through) < len(plain)
    assert [t.text for t in nlp.make_doc("a six-week cease-fire")] == [
        "a", "six", "-", "week", "cease", "-", "fire",
    ]  # fmt: skip
    assert {e.doc for e in through} == {"<spacy>"}


def test_records_name_the_document_given(nlp: Any) -> None:
    """`doc._.evx_doc_id` names the records' document; without it they say `<spacy>`."""
    doc = nlp.make_doc(WIRE)
    doc._.evx_doc_id = "wire-7"
    assert {e.doc for e in nlp(doc)._.events} == {"wire-7"}
    assert {e.doc for e in nlp(WIRE)._.events} == {"<spacy>"}
    docs = []
    for k, text in enumerate([WIRE, WIRE]):
        made = nlp.make_doc(text)
        made._.evx_doc_id = f"wire-{k}"
        docs.append(made)
    assert [{e.doc for e in d._.events} for d in nlp.pipe(docs)] == [{"wire-0"}, {"wire-1"}]


DATED_RULES = """
event Release { count: str?  date: str? }
rule freed -> Release {
    match: [lemma=free] count:[num] [lemma=hostage] ("on" day:[title])?
    set: date = date(day)
}
rule dateline -> Release { match: count:"CAIRO" }
"""


def test_the_header_is_read_unless_switched_off(tmp_path: Path) -> None:
    """A date header gives relative dates their anchor, and its words are not matched;
    `"header": False` reads them as words."""
    (tmp_path / "dated.rules").write_text(DATED_RULES, encoding="utf-8")
    text = "date 2025-01-21\nCAIRO (AP) — Hamas freed three hostages on Monday.\n"
    found = {}
    for header in (True, False):
        nlp = spacy.blank("en")
        nlp.tokenizer = EvxTokenizer(nlp.vocab)
        config = {"rules": str(tmp_path / "dated.rules"), "header": header}
        nlp.add_pipe("evx", config=config)
        found[header] = [(e.rule.split(":")[1], e.fields.date) for e in nlp(text)._.events]
    assert found[True] == [("freed", "2025-01-20")]
    assert found[False] == [("dateline", None), ("freed", None)]


def test_entities_are_read_token_by_token(tmp_path: Path) -> None:
    """`[@PERSON]` reads the tokens of `doc.ents` spans, as `@PERSON` reads the spans."""
    (tmp_path / "said.rules").write_text(
        "external mention PERSON\nevent Said { who: str? }\n"
        "rule said -> Said { match: who:[@PERSON & !punct]+ [lemma=say] }\n",
        encoding="utf-8",
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("evx", config={"rules": str(tmp_path / "said.rules")})
    doc = nlp.make_doc("U.S. envoy Steve Witkoff said a deal was close.")
    doc.ents = [Span(doc, 1, 4, label="PERSON")]
    (event,) = nlp(doc)._.events
    assert event.fields.who == "envoy Steve Witkoff"
