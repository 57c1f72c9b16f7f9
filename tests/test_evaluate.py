"""`evx eval` and evx.evaluation.evaluate_old: matching predictions to gold, P/R/F1, field accuracy, the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import evx
from evx.cli import main
from evx.evaluation import Counts, GoldError, Report, evaluate, load_gold, values_agree

RULES = """\
enum Status { completed, expected }
event HostageRelease { count: int?  released_by: str?  status: Status }
event CeasefirePhase { duration_days: int?  parties: list[str] }
lexicon side = { Israel, Hamas }
mention N: int { match: [num]+  value: number(match) }
mention Days: int { match: [lower=/^[a-z0-9]+-(day|week)$/]  value: duration(match) }
rule freed -> HostageRelease {
    match: released_by:side? [lemma in {free, release}] count:@N? [lemma in {hostage, captive}]
    set: status = expected if before(match, 3) has { will, would }
         status = completed
}
rule truce -> CeasefirePhase {
    match: (parties:side "and"?)+ [lemma=agree] "to" "a" duration_days:@Days?
           [lemma in {truce, ceasefire}]
}
"""

FREED = "Hamas freed three hostages on Monday, officials said."
TRUCE = "Israel and Hamas agreed to a six-week truce, mediators said."
WILL_RELEASE = "Israel will release 30 captives, an Egyptian official said."
HANDED_OVER = "Qatar said the captives were handed over to the Red Cross."


def hr(evidence: str, count: int | None, released_by: str | None, status: str) -> dict[str, Any]:
    """A HostageRelease gold record."""
    fields = {"count": count, "released_by": released_by, "status": status}
    return {"type": "HostageRelease", "evidence": evidence, "fields": fields}


def cf(evidence: str, duration_days: int | None, parties: list[str]) -> dict[str, Any]:
    """A CeasefirePhase gold record."""
    fields = {"duration_days": duration_days, "parties": parties}
    return {"type": "CeasefirePhase", "evidence": evidence, "fields": fields}


class Case:
    """A rule file, a folder of documents and a folder of gold files under tmp_path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.rules = root / "rules"
        self.docs = root / "docs"
        self.gold = root / "gold"
        for folder in (self.rules, self.docs, self.gold):
            folder.mkdir()
        (self.rules / "hostages.rules").write_text(RULES, encoding="utf-8")

    def doc(self, stem: str, text: str, gold: list[dict[str, Any]] | None) -> None:
        """Write docs/<stem>.txt and, unless gold is None, gold/<stem>.jsonl."""
        (self.docs / f"{stem}.txt").write_text(text, encoding="utf-8")
        if gold is not None:
            lines = "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold)
            (self.gold / f"{stem}.jsonl").write_text(lines, encoding="utf-8")

    def report(self) -> Report:
        """Load the rules and score every document against the gold folder."""
        return evaluate(evx.load(self.rules), [self.docs], self.gold)


@pytest.fixture
def case(tmp_path: Path) -> Case:
    """A fresh rules/docs/gold workspace."""
    return Case(tmp_path)


def run(*args: str) -> tuple[int, str, str]:
    """Run the `evx` command in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- scores


def test_exact_match_scores_perfectly(case: Case) -> None:
    """Gold that the rules reproduce exactly gives P = R = F1 = 1 and every field right."""
    case.doc(
        "a",
        f"{FREED} {TRUCE}\n",
        [hr(FREED, 3, "Hamas", "completed"), cf(TRUCE, 42, ["Israel", "Hamas"])],
    )
    report = case.report()
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (2, 0, 0)
    assert (report.micro.precision, report.micro.recall, report.micro.f1) == (1.0, 1.0, 1.0)
    assert report.type_score("HostageRelease") == Counts(tp=1)
    assert report.type_score("CeasefirePhase") == Counts(tp=1)
    for entry in report.fields:
        assert entry.matched == 1
        assert all(f.agree == f.n == 1 for f in entry.fields)
    assert report.errors == () and report.mismatches == ()


def test_missing_event_lowers_recall_and_is_listed(case: Case) -> None:
    """A gold record no rule finds is a false negative: recall drops, precision does not."""
    case.doc(
        "a",
        f"{FREED} {HANDED_OVER}\n",
        [hr(FREED, 3, "Hamas", "completed"), hr(HANDED_OVER, None, None, "completed")],
    )
    report = case.report()
    counts = report.type_score("HostageRelease")
    assert (counts.tp, counts.fp, counts.fn) == (1, 0, 1)
    assert (counts.precision, counts.recall) == (1.0, 0.5)
    assert counts.f1 == pytest.approx(2 / 3)
    (error,) = report.errors
    assert (error.kind, error.type, error.gold_line, error.text) == (
        "false_negative",
        "HostageRelease",
        2,
        HANDED_OVER,
    )


def test_extra_event_lowers_precision_and_is_listed(case: Case) -> None:
    """A prediction no gold record takes is a false positive: precision drops, recall does not."""
    case.doc("a", f"{FREED} {WILL_RELEASE}\n", [hr(FREED, 3, "Hamas", "completed")])
    report = case.report()
    counts = report.type_score("HostageRelease")
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)
    assert (counts.precision, counts.recall) == (0.5, 1.0)
    (error,) = report.errors
    assert error.kind == "false_positive"
    assert error.rule == "hostages.rules:freed"
    assert error.matched_text == "release 30 captives"
    assert error.text == WILL_RELEASE
    assert error.fields == {"count": 30, "released_by": None, "status": "expected"}


def test_zero_over_zero_is_zero_and_f1_is_one_only_when_p_and_r_are(case: Case) -> None:
    """A type with no gold and no prediction scores 0/0/0 with its zero counts shown."""
    case.doc("a", f"{FREED}\n", [hr(FREED, 3, "Hamas", "completed")])
    report = case.report()
    empty = report.type_score("CeasefirePhase")
    assert (empty.gold, empty.predicted, empty.precision, empty.recall, empty.f1) == (0, 0, 0, 0, 0)
    assert Counts(tp=1).f1 == 1.0
    assert Counts(tp=9, fp=1).f1 < 1.0 and Counts(tp=9, fn=1).f1 < 1.0


# ---------------------------------------------------------------- matching


def test_two_gold_events_in_one_sentence_pair_by_agreeing_fields(case: Case) -> None:
    """Two predictions on one sentence each take the gold record whose fields they share."""
    sentence = "Hamas released two hostages on Sunday, and Israel will release 30 captives."
    # listed in the opposite order to the text: pairing must follow fields, not order
    case.doc(
        "a",
        sentence + "\n",
        [hr(sentence, 30, None, "expected"), hr(sentence, 2, "Hamas", "completed")],
    )
    report = case.report()
    assert report.type_score("HostageRelease") == Counts(tp=2)
    assert report.field_score("HostageRelease", "count").agree == 2
    assert report.mismatches == ()


def test_one_prediction_matches_at_most_one_gold_record(case: Case) -> None:
    """Assignment is one-to-one: a second gold record on the same sentence stays unmatched."""
    sentence = "Hamas freed three hostages, and Qatar said more would follow."
    case.doc(
        "a",
        sentence + "\n",
        [hr(sentence, 3, "Hamas", "completed"), hr(sentence, None, None, "expected")],
    )
    report = case.report()
    assert report.type_score("HostageRelease") == Counts(tp=1, fn=1)
    (missed,) = report.errors
    assert missed.gold_line == 2  # the better-agreeing record 1 took the prediction


def test_assignment_maximizes_matches_when_gold_spans_several_sentences(case: Case) -> None:
    """A gold record spanning two sentences gives up a prediction another record needs."""
    first = "Hamas freed three hostages on Monday."
    second = "Israel will release 30 captives."
    # record 1 spans both sentences and agrees best with the second prediction, which is
    # also the only one record 2 overlaps: a plain greedy pass would leave record 2 unmatched
    case.doc(
        "a",
        f"{first} {second}\n",
        [hr(f"{first} {second}", 30, None, "expected"), hr(second, 30, None, "expected")],
    )
    report = case.report()
    assert report.type_score("HostageRelease") == Counts(tp=2)


def test_prediction_and_gold_on_different_sentences_do_not_match(case: Case) -> None:
    """Overlap is by sentence: a right-looking prediction on another sentence is FP + FN."""
    case.doc("a", f"{FREED} {HANDED_OVER}\n", [hr(HANDED_OVER, 3, "Hamas", "completed")])
    report = case.report()
    assert report.type_score("HostageRelease") == Counts(fp=1, fn=1)


# ---------------------------------------------------------------- field accuracy


def test_field_accuracy_is_counted_over_matched_pairs_only(case: Case) -> None:
    """Field accuracy divides by matched pairs; a missed record's fields do not count."""
    case.doc(
        "a",
        f"{FREED} {HANDED_OVER}\n",
        [hr(FREED, 4, "Hamas", "completed"), hr(HANDED_OVER, 3, "Hamas", "completed")],
    )
    report = case.report()
    (entry,) = [f for f in report.fields if f.type == "HostageRelease"]
    assert entry.matched == 1
    # key fields first, then the rest in declaration order
    assert [(f.field, f.agree, f.n) for f in entry.fields] == [
        ("count", 0, 1),
        ("status", 1, 1),
        ("released_by", 1, 1),
    ]
    (mismatch,) = report.mismatches
    assert (mismatch.gold_line, dict(mismatch.differences)) == (1, {"count": (4, 3)})


def test_string_and_list_fields_are_compared_normalized(case: Case) -> None:
    """Case, spacing and surrounding punctuation of strings, and list order, do not count."""
    case.doc(
        "a",
        f"{FREED} {TRUCE}\n",
        [hr(FREED, 3, "  HAMAS,", "completed"), cf(TRUCE, 42, ["hamas", "Israel."])],
    )
    report = case.report()
    assert report.mismatches == ()
    assert report.field_score("HostageRelease", "released_by").agree == 1
    assert report.field_score("CeasefirePhase", "parties").agree == 1


@pytest.mark.parametrize(
    ("gold", "predicted", "kind", "agree"),
    [
        ("a senior  administration\nofficial", "A Senior Administration Official", None, True),
        ("“the Egyptian official,”", "the Egyptian official", None, True),
        ("Gaza’s Health Ministry", "Gaza's health ministry", None, True),
        ("U.S.", "u.s", None, True),
        (["Israel", "Hamas"], ["hamas", "israel", "Hamas"], None, True),
        (["Israel", "Hamas"], ["Israel"], None, False),
        (2, 2, "int", True),
        (2, "2", None, False),
        (1, True, None, False),
        (None, "", None, False),
        (None, None, None, True),
        ("completed", "Completed", "enum", False),
        ("Qatar", "Egypt", None, False),
    ],
)
def test_values_agree_table(gold: object, predicted: object, kind: str | None, agree: bool) -> None:
    """Strings fold case, spacing, quotes and edge punctuation; ints, enums and null are exact."""
    assert values_agree(gold, predicted, kind) is agree


# ---------------------------------------------------------------- gold files


def test_occurrence_selects_a_later_copy_of_the_evidence(case: Case) -> None:
    """`occurrence: 2` locates the second copy of a repeated evidence string."""
    text = f"{FREED} Talks resumed in Doha on Tuesday. {FREED}\n"
    later = {**hr(FREED, 3, "Hamas", "completed"), "occurrence": 2}
    case.doc("a", text, [hr(FREED, 3, "Hamas", "completed"), later])
    first, second = load_gold(case.gold, str(case.docs / "a.txt"), text)
    assert (first.start, second.start) == (text.index(FREED), text.rindex(FREED))
    assert text[second.start : second.end] == FREED
    assert case.report().type_score("HostageRelease") == Counts(tp=2)


def test_too_large_occurrence_is_a_clear_error(case: Case) -> None:
    """Asking for a copy the text does not have says how many copies there are."""
    case.doc("a", f"{FREED}\n", [{**hr(FREED, 3, "Hamas", "completed"), "occurrence": 2}])
    with pytest.raises(GoldError) as caught:
        case.report()
    assert caught.value.code == "G003"
    assert "occurs 1 time in" in str(caught.value)


def test_evidence_not_in_text_names_gold_file_and_line(case: Case) -> None:
    """Evidence that is not verbatim in the document fails with G003 at its gold line."""
    curly = "Hamas said it won’t release the remaining captives, officials said."
    straight = curly.replace("’", "'")
    case.doc(
        "a",
        f"{FREED} {curly}\n",
        [hr(FREED, 3, "Hamas", "completed"), hr(straight, None, "Hamas", "expected")],
    )
    with pytest.raises(GoldError) as caught:
        case.report()
    error = caught.value
    assert (error.code, error.line, Path(error.path).name) == ("G003", 2, "a.jsonl")
    assert "evidence not found" in str(error)


def test_malformed_gold_line_names_file_and_line(case: Case) -> None:
    """A gold line without `fields` is rejected as G002 with its line number."""
    case.doc("a", f"{FREED}\n", [hr(FREED, 3, "Hamas", "completed")])
    with (case.gold / "a.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("\n" + json.dumps({"type": "HostageRelease", "evidence": FREED}) + "\n")
    with pytest.raises(GoldError) as caught:
        case.report()
    assert (caught.value.code, caught.value.line) == ("G002", 3)


def test_document_without_gold_is_skipped_not_scored(case: Case) -> None:
    """A document with no gold file is listed as skipped; its predictions are not FPs."""
    case.doc("a", f"{FREED}\n", [hr(FREED, 3, "Hamas", "completed")])
    case.doc("b", f"{WILL_RELEASE}\n", None)
    report = case.report()
    assert [Path(d).name for d in report.skipped] == ["b.txt"]
    assert [Path(d.doc).name for d in report.documents] == ["a.txt"]
    assert report.micro == Counts(tp=1)
    assert "skipped (no gold file): " in report.render_table()


def test_empty_gold_file_makes_every_prediction_a_false_positive(case: Case) -> None:
    """An empty gold file says "no events here", unlike a missing one."""
    case.doc("a", f"{WILL_RELEASE}\n", [])
    report = case.report()
    assert report.skipped == ()
    assert report.micro == Counts(fp=1)


# ---------------------------------------------------------------- the CLI


def _two_documents(case: Case) -> None:
    """One document with a TP per type, a field disagreement and an FN; one with an FP."""
    case.doc(
        "a",
        f"{FREED} {TRUCE} {HANDED_OVER}\n",
        [
            hr(FREED, 3, "Hamas", "completed"),
            cf(TRUCE, 42, ["Israel"]),
            hr(HANDED_OVER, None, None, "completed"),
        ],
    )
    case.doc("b", f"{WILL_RELEASE}\n", [])


def test_cli_prints_the_tables_and_exits_zero(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """`evx eval RULES DOCS --gold DIR` prints P/R/F1, field accuracy and documents; exit 0."""
    _two_documents(case)
    monkeypatch.chdir(case.root)
    status, out, err = run("eval", "rules", "docs", "--gold", "gold")
    assert (status, err) == (0, "")
    assert out == (
        "evx eval: 2 documents scored against gold, 0 skipped (no gold file)\n"
        "\n"
        "type            gold  pred  TP  FP  FN  precision  recall     F1\n"
        "--------------  ----  ----  --  --  --  ---------  ------  -----\n"
        "CeasefirePhase     1     1   1   0   0      1.000   1.000  1.000\n"
        "HostageRelease     2     2   1   1   1      0.500   0.500  0.500\n"
        "--------------  ----  ----  --  --  --  ---------  ------  -----\n"
        "all (micro)        3     3   2   1   1      0.667   0.667  0.667\n"
        "\n"
        "field accuracy over matched pairs\n"
        "type                  field          agree  n  accuracy\n"
        "--------------------  -------------  -----  -  --------\n"
        "CeasefirePhase (n=1)  duration_days      1  1     1.000\n"
        "                      parties            0  1     0.000\n"
        "HostageRelease (n=1)  count              1  1     1.000\n"
        "                      status             1  1     1.000\n"
        "                      released_by        1  1     1.000\n"
        "--------------------  -------------  -----  -  --------\n"
        "all fields                               4  5     0.800\n"
        "\n"
        "documents\n"
        "document    gold  pred  TP  FP  FN  precision  recall     F1\n"
        "----------  ----  ----  --  --  --  ---------  ------  -----\n"
        "docs/a.txt     3     2   2   0   1      1.000   0.667  0.800\n"
        "docs/b.txt     0     1   0   1   0      0.000   0.000  0.000\n"
    )


def test_cli_json_output_shape(case: Case) -> None:
    """`--json --errors` prints one JSON object: micro, types, fields, documents, errors."""
    _two_documents(case)
    status, out, _ = run(
        "eval", str(case.rules), str(case.docs), "--gold", str(case.gold), "--json", "--errors"
    )
    assert status == 0
    data = json.loads(out)
    assert list(data) == [
        "gold_dir",
        "micro",
        "types",
        "fields",
        "documents",
        "skipped",
        "errors",
        "mismatches",
    ]
    counts = ["gold", "predicted", "tp", "fp", "fn", "precision", "recall", "f1"]
    assert list(data["micro"]) == counts
    assert [t["type"] for t in data["types"]] == ["CeasefirePhase", "HostageRelease"]
    assert list(data["types"][1]) == ["type", *counts]
    assert data["types"][1]["precision"] == 0.5
    assert data["fields"][0] == {
        "type": "CeasefirePhase",
        "matched": 1,
        "fields": [
            {"field": "duration_days", "agree": 1, "n": 1, "accuracy": 1.0},
            {"field": "parties", "agree": 0, "n": 1, "accuracy": 0.0},
        ],
    }
    assert list(data["documents"][0]) == ["doc", "gold_file", *counts]
    assert [(e["kind"], Path(e["doc"]).name) for e in data["errors"]] == [
        ("false_negative", "a.txt"),
        ("false_positive", "b.txt"),
    ]
    assert data["mismatches"][0]["differences"] == {
        "parties": {"gold": ["Israel"], "predicted": ["Israel", "Hamas"]}
    }


def test_cli_errors_lists_false_positives_and_negatives(case: Case) -> None:
    """`--errors` adds one block per FP, FN and field disagreement after the tables."""
    _two_documents(case)
    status, out, _ = run(
        "eval", str(case.rules), str(case.docs), "--gold", str(case.gold), "--errors"
    )
    assert status == 0
    assert "FN HostageRelease " in out and f"evidence: {HANDED_OVER}" in out
    assert "FP HostageRelease " in out and "(hostages.rules:freed)" in out
    assert 'parties: gold ["Israel"], predicted ["Israel", "Hamas"]' in out
    assert out.rstrip().endswith(
        "1 false positive, 1 false negative, 1 matched with differing fields"
    )


def test_cli_bad_gold_exits_one_without_traceback(case: Case) -> None:
    """Gold that cannot be used is a message and exit 1, not a traceback."""
    case.doc("a", f"{FREED}\n", [hr("Hamas freed 3 hostages.", 3, "Hamas", "completed")])
    status, out, err = run("eval", str(case.rules), str(case.docs), "--gold", str(case.gold))
    assert (status, out) == (1, "")
    assert "a.jsonl:1: G003 evidence not found" in err
    assert "Traceback" not in err
    status, _, err = run("eval", str(case.rules), str(case.docs), "--gold", str(case.root / "nope"))
    assert status == 1 and "G001 gold directory not found" in err


def test_cli_rule_error_exits_two(case: Case) -> None:
    """A broken rule file stops `evx eval` with the rule diagnostics and exit 2."""
    case.doc("a", f"{FREED}\n", [])
    (case.rules / "broken.rules").write_text("rule r HostageRelease { }\n", encoding="utf-8")
    status, _, err = run("eval", str(case.rules), str(case.docs), "--gold", str(case.gold))
    assert status == 2 and "E002" in err


# ---------------------------------------------------------------- event-level gold


def event(kind: str, anchors: list[str], **fields: Any) -> dict[str, Any]:
    """An event-level gold record (devset/CONVENTIONS.md)."""
    return {"type": kind, "anchors": anchors, "fields": fields}


def test_event_level_gold_scores_events_found_and_first_records(case: Case) -> None:
    """One record per event: found if a record's sentence holds an anchor, fields read on the
    first record of each event, records on a page without events counted apart."""
    story = f"{WILL_RELEASE} {FREED} Hamas freed the hostages later, officials said."
    case.doc(
        "story",
        story,
        [
            # one release, said twice: the first record ("will release 30") is the one scored
            event(
                "HostageRelease",
                ["will release 30", "freed the hostages later"],
                count=30,
                released_by="Israel",
                status="completed",
            ),
        ],
    )
    case.doc(
        "missed",
        HANDED_OVER,
        [
            event(
                "HostageRelease", ["handed over"], count=None, released_by=None, status="completed"
            )
        ],
    )
    case.doc("offtopic", FREED, [])  # a page without events that still gives a record
    report = case.report()
    assert isinstance(report, evx.evaluation.EventReport)
    (releases,) = [t for t in report.types if t.type == "HostageRelease"]
    assert (releases.gold, releases.found) == (2, 1)
    # "Hamas freed three hostages" counts for no event (story) and no page wants it
    # (offtopic): two false records; "freed the hostages later" gives none
    assert releases.predicted == 3 and releases.correct == 1
    status = [f for f in report.fields if f.field == "status"]
    assert [(f.agree, f.n) for f in status] == [(0, 1)]  # first record says expected
    count = [f for f in report.fields if f.field == "count"]
    assert [(f.agree, f.n) for f in count] == [(1, 1)]
    assert (report.empty_pages, report.false_on_empty) == (1, 1)
    kinds = sorted({f.kind for f in report.findings})
    assert kinds == ["false", "field", "missed"]
    assert "0.500" in report.render_table()  # recall 1 of 2


def test_an_anchor_not_found_once_is_a_clear_error(case: Case) -> None:
    """Anchors are looked up verbatim and must be unique: G003 names the file and line."""
    case.doc(
        "a",
        f"{FREED} {FREED}",
        [
            event(
                "HostageRelease",
                ["Hamas freed three"],
                count=3,
                released_by="Hamas",
                status="completed",
            )
        ],
    )
    with pytest.raises(GoldError) as caught:
        case.report()
    assert caught.value.code == "G003" and caught.value.line == 1
    assert "found 2 times" in str(caught.value)
