"""Stories: records of one event in a document share what one of them states; provenance
says where each field came from; `document(x)` windows; `--stories` and `--provenance`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import evx
from conftest import RULES, SEEDS
from evx.errors import RuleCheckError
from evx.records.stories import WINDOW, group

Compile = Callable[..., evx.RuleSet]

TRUCE = """\
enum Status { proposed, agreed, in_effect, ended, under_negotiation }
event Truce {
    phase:  int?
    days:   int?
    status: Status?
    parties: list[str]
    story: phase, parties
    inherit: status, days
}
lexicon truce = { ceasefire, truce }
lexicon party = { Israel, Hamas, Russia, Ukraine }
mention Phase: int {
    match: n:{ first, second, third } "phase"
    value: ordinal(n)
}
mention Days: int {
    match: d:[shape=dd] "days"
    value: number(d)
}
classify status(t) -> Status {
    in_effect when near(t, 4) has { "took effect", holding, held }
    agreed    when near(t, 4) has { agreed, signed }
    ended     when near(t, 4) has { collapsed, ended }
    proposed  when near(t, 4) has { proposed }
    otherwise under_negotiation
}
rule truce -> Truce {
    match: trigger:truce
    set: phase   = find(@Phase, sentence(trigger))
         days    = find(@Days, sentence(trigger))
         status  = status(trigger)
         parties = collect(@Party, sentence(trigger))
}
mention Party = party
"""

# A headline without details, a lead that states them, a later phase of its own.
ARTICLE = (
    "Israel and Hamas ceasefire talks resume.\n\n"
    "The first phase of the truce, which took effect on Sunday, lasts 42 days.\n\n"
    "Officials said the ceasefire was still under discussion in Cairo.\n\n"
    "Israel proposed a second phase truce of 60 days.\n\n"
    "The Russia and Ukraine ceasefire collapsed."
)


@pytest.fixture
def truce(compile_rules: Compile) -> evx.RuleSet:
    return compile_rules(TRUCE)


def test_records_inherit_what_their_story_states(truce: evx.RuleSet) -> None:
    events = truce.extract(ARTICLE)
    got = [(e.fields.phase, e.fields.days, e.fields.status, e.fields.parties) for e in events]
    assert got == [
        # the headline joins the first-phase story: its status and length come from the lead
        (None, 42, "in_effect", ("Israel", "Hamas")),
        (1, 42, "in_effect", ()),
        # "the ceasefire was still under discussion": defaulted, so it inherits too
        (None, 42, "in_effect", ()),
        # a second phase is another story: its own statements stay
        (2, 60, "proposed", ("Israel",)),
        # other parties, another story: stated values are kept
        (None, None, "ended", ("Russia", "Ukraine")),
    ]
    headline = events[0]
    assert headline.provenance["status"].how == "inherited"
    assert headline.provenance["status"].rule == "test.rules:truce"
    lead = events[1]
    stated = lead.provenance["status"]
    assert stated.how == "stated"
    assert ARTICLE[stated.start : stated.end] == "truce"
    assert headline.provenance["status"].start == stated.start
    assert events[2].provenance["days"].how == "inherited"
    assert "phase" not in headline.provenance  # null, and not inherited: not in `inherit:`


def test_defaults_are_marked_and_stated_values_kept(compile_rules: Compile) -> None:
    rules = compile_rules(TRUCE)
    events = rules.extract("The truce was discussed. The ceasefire collapsed.")
    # different statuses in one story: each record keeps what it stated or defaulted
    # unless another states it: the first is defaulted, so it takes `ended`
    assert [e.fields.status for e in events] == ["ended", "ended"]
    assert [e.provenance["status"].how for e in events] == ["inherited", "stated"]
    events = rules.extract("The truce was proposed. The ceasefire collapsed.")
    assert [e.fields.status for e in events] == ["proposed", "ended"]


def test_without_story_nothing_is_inherited(compile_rules: Compile) -> None:
    rules = compile_rules(
        TRUCE.replace("    story: phase, parties\n    inherit: status, days\n", "")
    )
    events = rules.extract(ARTICLE)
    assert events[0].fields.status == "under_negotiation"
    assert events[0].provenance["status"].how == "defaulted"
    assert events[0].fields.days is None


def test_story_records(truce: evx.RuleSet) -> None:
    stories = truce.extract(ARTICLE, stories=True)
    assert [(e.fields.phase, e.fields.status, len(e.mentions)) for e in stories] == [
        (1, "in_effect", 3),
        (2, "proposed", 1),
        (None, "ended", 1),
    ]
    first = stories[0]
    assert [m.text for m in first.mentions] == ["ceasefire", "truce", "ceasefire"]
    assert first.start == first.mentions[0].start  # where a reader meets it first
    assert first.fields.parties == ("Israel", "Hamas")
    assert first.to_dict()["mentions"][1] == {
        "start": first.mentions[1].start,
        "end": first.mentions[1].end,
        "text": "truce",
        "rule": "test.rules:truce",
    }
    # one statement per story record: the statements are the per-record output
    flat = truce.extract(ARTICLE)
    assert sorted(m.start for s in stories for m in s.mentions) == [e.start for e in flat]


def test_document_window(compile_rules: Compile) -> None:
    rules = compile_rules(
        TRUCE.replace(
            "    otherwise under_negotiation",
            '    in_effect when document(t) has { "took effect" }\n    otherwise under_negotiation',
        ).replace("    story: phase, parties\n    inherit: status, days\n", "")
    )
    text = "The truce was discussed.\n\nIt took effect on Monday."
    assert [e.fields.status for e in rules.extract(text)] == ["in_effect"]
    assert [e.fields.status for e in rules.extract("The truce was discussed.")] == [
        "under_negotiation"
    ]


def test_document_window_is_answered_once(compile_rules: Compile) -> None:
    rules = compile_rules(
        """
event E { n: int? }
lexicon w = { alpha }
rule r -> E { match: w  where: document(match) has { omega } }
"""
    )
    sentences = " ".join(["Alpha beta."] * 300) + " Omega."
    annotation = rules.annotate(sentences)
    assert len(annotation.hits["E"]) == 300
    memo = annotation.ctx.conditions.memo
    # one answer for the document, and at most one per sentence behind it
    assert sum(1 for key in memo if key[1] == -1) == 1
    assert len(memo) <= 302


ITEMS = """\
event Item { n: int?  colour: str?  story: n  inherit: colour }
mention Num: int { match: d:([shape=d] | [shape=dd] | [shape=ddd])  value: number(d) }
rule item -> Item {
    match: "item" n:@Num colour:{ red, blue }?
}
"""


def test_a_story_is_joined_within_the_window(compile_rules: Compile) -> None:
    rules = compile_rules(ITEMS)
    # item 1 is red; 3 items later "item 1" is still its story and inherits red
    near = "Item 1 red. Item 2. Item 3. Item 1."
    assert [e.fields.colour for e in rules.extract(near)] == ["red", None, None, "red"]
    # more than WINDOW other stories later it is not a candidate any more: a new story
    others = " ".join(f"Item {n}." for n in range(2, WINDOW + 3))
    far = rules.extract(f"Item 1 red. {others} Item 1.")
    assert far[-1].fields.n == 1 and far[-1].fields.colour is None
    stories = rules.extract(f"Item 1 red. {others} Item 1.", stories=True)
    assert len(stories) == WINDOW + 3
    assert group([], ["n"]) == []


@pytest.mark.parametrize(
    ("body", "code", "needle"),
    [
        ("story: phas", "E207", "`story: phas` names no field of Truce"),
        ("story: phase  inherit: dayz", "E207", "`inherit: dayz` names no field of Truce"),
        ("inherit: days", "E208", "`inherit:` needs a `story:`"),
    ],
)
def test_story_errors(compile_rules: Compile, body: str, code: str, needle: str) -> None:
    with pytest.raises(RuleCheckError) as err:
        compile_rules(f"event Truce {{ phase: int?  days: int?  {body} }}\n")
    rendered = str(err.value)
    assert code in rendered and needle in rendered


def test_story_and_inherit_are_reserved(compile_rules: Compile) -> None:
    with pytest.raises(evx.RuleSyntaxError) as err:
        compile_rules("event E { story: int? }\n")
    assert "E0" in str(err.value)


def test_cli_stories_and_provenance(tmp_path: Path) -> None:
    def run(*extra: str) -> list[dict[str, object]]:
        done = subprocess.run(
            [sys.executable, "-m", "evx", "run", str(RULES), str(SEEDS), *extra],
            capture_output=True,
            text=True,
            check=True,
        )
        return [json.loads(line) for line in done.stdout.splitlines()]

    flat = run()
    with_provenance = run("--provenance")
    assert len(flat) == len(with_provenance)
    hows = {s["how"] for r in with_provenance for s in r["provenance"].values()}  # type: ignore[attr-defined]
    # The packs' seeds output need not contain a defaulted field; the unit tests above
    # cover `defaulted` on purpose-made rules.
    assert {"stated", "inherited"} <= hows <= {"stated", "defaulted", "inherited"}
    for plain, rich in zip(flat, with_provenance, strict=True):
        provenance = rich.pop("provenance")
        assert rich == plain
        assert isinstance(provenance, dict)
        fields = plain["fields"]
        assert isinstance(fields, dict)
        for name, source in provenance.items():
            assert source["how"] in ("stated", "defaulted", "inherited")
            assert fields[name] not in (None, [])
    alone = run("--no-inherit", "--provenance")
    assert "inherited" not in {s["how"] for r in alone for s in r["provenance"].values()}  # type: ignore[attr-defined]
    assert [r["fields"] for r in alone] != [r["fields"] for r in flat]
    stories = run("--stories")
    story_types = {r["type"] for r in stories if "mentions" in r}
    assert story_types  # the packs declare stories
    covered = sum(len(r["mentions"]) for r in stories if "mentions" in r)  # type: ignore[arg-type]
    assert covered == sum(1 for r in flat if r["type"] in story_types)
    assert len(stories) < len(flat)
