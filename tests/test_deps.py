"""Dependency paths: `path:` steps along a hand-set parse from a capture and captures where it ends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evx
from evx import Document
from evx.errors import DocumentError, RuleCheckError

Compile = Callable[..., evx.RuleSet]

# "Hamas militants freed three Thai hostages on Friday ."
ACTIVE = dict(
    words=["Hamas", "militants", "freed", "three", "Thai", "hostages", "on", "Friday", "."],
    heads=[1, 2, 2, 5, 5, 2, 2, 6, 2],
    deps=["compound", "nsubj", "ROOT", "nummod", "amod", "dobj", "prep", "pobj", "punct"],
)
# "Two hostages were released by Hamas ."
PASSIVE = dict(
    words=["Two", "hostages", "were", "released", "by", "Hamas", "."],
    heads=[1, 3, 3, -1, 3, 4, 3],
    deps=["nummod", "nsubjpass", "auxpass", "ROOT", "agent", "pobj", "punct"],
)

RULES = """
event Release { released_by: str?  count: str?  captive: str?  day: str?  modifiers: list[str] }
rule freed -> Release {
    match: trigger:[lemma in { free, release }]
    path:  released_by = trigger >nsubj|agent
           count = trigger >dobj|nsubjpass >nummod [num]
           captive = trigger >dobj|nsubjpass
           day = trigger >prep >pobj [title]
}
"""


def _doc(parse: dict[str, list[object]]) -> Document:
    return Document.from_tokens(
        parse["words"],  # type: ignore[arg-type]
        sentence_starts=[0],
        heads=parse["heads"],  # type: ignore[arg-type]
        deps=parse["deps"],  # type: ignore[arg-type]
    )


def test_paths_capture_the_arguments_of_an_active_verb(compile_rules: Compile) -> None:
    """From the trigger: its subject, its object, the object's number, the object of its preposition."""
    rules = compile_rules(RULES)
    (event,) = rules.extract(_doc(ACTIVE))
    assert event.fields.to_dict() == {
        "released_by": "militants",
        "count": "three",
        "captive": "hostages",
        "day": "Friday",
        "modifiers": [],
    }
    # the record covers every argument the paths reached
    assert event.text == "militants freed three Thai hostages on Friday"
    assert event.args["day"].text == "Friday"


def test_alternative_labels_follow_a_passive(compile_rules: Compile) -> None:
    """`>nsubj|agent` and `>dobj|nsubjpass` find the same roles in the passive; an agent's object needs one more step."""
    rules = compile_rules(
        RULES.replace("released_by = trigger >nsubj|agent", "released_by = trigger >agent >pobj")
    )
    (event,) = rules.extract(_doc(PASSIVE))
    assert (event.fields.released_by, event.fields.count, event.fields.captive) == (
        "Hamas",
        "Two",
        "hostages",
    )
    assert event.fields.day is None  # no path: the capture is absent


def test_stepping_up_to_the_head(compile_rules: Compile) -> None:
    """`<dobj` goes from an object to its verb; a list field gets every token a path reaches."""
    rules = compile_rules(
        "event Release { verb: str?  released_by: str?  modifiers: list[str] }\n"
        "rule by_captive -> Release {\n"
        "    match: captive:[lemma=hostage]\n"
        "    path:  verb = captive <dobj, released_by = captive <dobj >nsubj,\n"
        "           modifiers = captive >\n"
        "}\n"
    )
    (event,) = rules.extract(_doc(ACTIVE))
    assert (event.fields.verb, event.fields.released_by) == ("freed", "militants")
    assert event.fields.modifiers == ("three", "Thai")
    assert rules.extract(_doc(PASSIVE))[0].fields.verb is None  # a subject, not an object


def test_a_path_from_a_span_starts_at_its_head(compile_rules: Compile) -> None:
    """A multi-token capture starts its path at the token whose head lies outside it."""
    rules = compile_rules(
        "event Party { verb: str? }\n"
        'rule r -> Party { match: who:("Hamas" "militants")  path: verb = who <nsubj }\n'
    )
    (event,) = rules.extract(_doc(ACTIVE))
    assert event.fields.verb == "freed"


def test_a_document_without_a_parse_fails_with_d003(compile_rules: Compile) -> None:
    """Rules with paths need `head` and `dep`: without them the document fails clearly."""
    rules = compile_rules(RULES)
    with pytest.raises(DocumentError) as caught:
        rules.extract(Document.from_tokens(ACTIVE["words"]))  # type: ignore[arg-type]
    assert caught.value.code == "D003" and "`head`" in str(caught.value)


@pytest.mark.parametrize(
    "clause,code,message",
    [
        ("path: who = trigr >nsubj", "E311", "which the match does not capture"),
        ("path: trigger = trigger >nsubj", "E311", "reuses the name"),
        ("path: who = trigger >nsubj, who = trigger >dobj", "E311", "reuses the name"),
        ("path: who = trigger >nsubj [rank=1]", "E301", "unknown token attribute"),
        ("path: extra = trigger >nsubj", "E201", "is not a field"),
    ],
)
def test_path_mistakes_are_coded(
    compile_rules: Compile, clause: str, code: str, message: str
) -> None:
    """A path from an unknown capture, a reused name, a bad end test or an unused capture is reported."""
    with pytest.raises(RuleCheckError) as caught:
        compile_rules(
            f"event E {{ who: str? }}\nrule r -> E {{ match: trigger:[lemma=free]  {clause} }}\n"
        )
    found = [(d.code, d.message) for d in caught.value.diagnostics]
    assert any(c == code and message in m for c, m in found), found


def test_paths_are_for_event_rules(compile_rules: Compile) -> None:
    """A mention computes a value; `path:` in one is E206."""
    with pytest.raises(RuleCheckError) as caught:
        compile_rules("mention M { match: t:[lemma=free]  path: x = t >nsubj }\n")
    assert [d.code for d in caught.value.diagnostics] == ["E206"]


@settings(max_examples=60, deadline=None)
@given(choices=st.lists(st.integers(0, 30), min_size=1, max_size=12))
def test_a_bare_step_down_finds_exactly_the_children(
    choices: list[int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On any tree, `kids = t >` captures each token's children, in token order."""
    n = len(choices)
    heads = [0] + [choices[i] % i for i in range(1, n)]  # each token's head comes before it
    words = [f"w{i}" for i in range(n)]
    doc = Document.from_tokens(words, sentence_starts=[0], heads=heads, deps=["x"] * n)
    rules = _children_rules(tmp_path_factory)
    got = {e.fields.t: list(e.fields.kids) for e in rules.extract(doc)}
    assert got == {w: [words[c] for c in range(1, n) if heads[c] == i] for i, w in enumerate(words)}


_CHILDREN: list[evx.RuleSet] = []


def _children_rules(factory: pytest.TempPathFactory) -> evx.RuleSet:
    if not _CHILDREN:
        path = factory.mktemp("deps") / "kids.rules"
        path.write_text(
            "event E { t: str?  kids: list[str]  overlap: each }\n"
            "rule r -> E { match: t:[]  path: kids = t > }\n",
            encoding="utf-8",
        )
        _CHILDREN.append(evx.load(path))
    return _CHILDREN[0]


def test_a_parsed_spacy_doc_feeds_the_paths(compile_rules: Compile, tmp_path: Path) -> None:
    """A spaCy Doc with a hand-set parse gives the same records through the component."""
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    compile_rules(RULES)
    nlp = spacy.blank("en")
    nlp.add_pipe("evx", config={"rules": str(tmp_path / "test.rules")})
    heads = [h if h >= 0 else i for i, h in enumerate(ACTIVE["heads"])]  # type: ignore[operator]
    sdoc = Doc(
        nlp.vocab,
        words=ACTIVE["words"],
        heads=heads,
        deps=ACTIVE["deps"],
        sent_starts=[True] + [False] * 8,
    )
    (event,) = nlp(sdoc)._.events
    assert (event.fields.released_by, event.fields.count, event.fields.day) == (
        "militants",
        "three",
        "Friday",
    )
