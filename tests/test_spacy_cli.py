"""`evx run --spacy PIPELINE`: the command line reads its documents through a spaCy pipeline."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from evx.cli import main

pytest.importorskip("spacy")

RULES = """\
event Release { count: str?  date: str? }
rule freed -> Release {
    match: [lemma=free] count:[num] [lemma=hostage] ("on" day:[title])?
    set: date = date(day)
}
rule with_pos -> Release { match: [pos=PROPN] count:[num] [lemma=hostage] }
"""


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "r.rules").write_text(RULES.split("rule with_pos")[0], encoding="utf-8")
    (tmp_path / "pos.rules").write_text(RULES, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "date 2025-01-21\nCAIRO (AP) — Hamas freed three hostages on Monday.\n\n"
        "Israel freed 90 prisoners, officials said.\n",
        encoding="utf-8",
    )
    (docs / "b.txt").write_text("Militants freed two hostages late on Sunday.\n")
    return tmp_path


def test_run_through_a_blank_pipeline(workspace: Path) -> None:
    """`--spacy blank:en` gives records whose offsets index the file, with the header's date."""
    status, out, err = _run(
        "run", str(workspace / "r.rules"), str(workspace / "docs"), "--spacy", "blank:en"
    )
    assert status == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["doc"].rsplit("/", 1)[-1], r["text"]) for r in records] == [
        ("a.txt", "freed three hostages on Monday"),
        ("b.txt", "freed two hostages"),
    ]
    first = records[0]
    text = (workspace / "docs" / "a.txt").read_text(encoding="utf-8")
    assert text[first["start"] : first["end"]] == first["text"]
    assert first["fields"] == {"count": "three", "date": "2025-01-20"}


def test_jobs_and_spacy_give_the_same_output(workspace: Path) -> None:
    """Worker processes load the pipeline themselves and give the same records."""
    args = ("run", str(workspace / "r.rules"), str(workspace / "docs"), "--spacy", "blank:en")
    (status, out, _), (status1, out1, _) = _run(*args, "--jobs", "2"), _run(*args)
    assert (status, out) == (status1, out1) and out


def test_a_missing_pipeline_is_one_clear_error(workspace: Path) -> None:
    """A pipeline that cannot be loaded stops the run before any document, with exit 2."""
    status, out, err = _run(
        "run", str(workspace / "r.rules"), str(workspace / "docs"), "--spacy", "no_such_pipeline"
    )
    assert (status, out) == (2, "")
    assert "--spacy no_such_pipeline: cannot load the pipeline" in err


def test_rules_needing_a_tagger_fail_each_document_on_a_blank_pipeline(workspace: Path) -> None:
    """A blank pipeline sets no `pos`: rules that test it fail each document with D003, exit 1."""
    status, _out, err = _run(
        "run", str(workspace / "pos.rules"), str(workspace / "docs"), "--spacy", "blank:en"
    )
    assert status == 1
    assert err.count("D003") == 2


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def evx_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved pipeline with evx's tokenizer and sentences (what a user would ship)."""
    import spacy

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "evx.Tokenizer.v1"}}})
    nlp.add_pipe("evx_sentences")
    path = tmp_path_factory.mktemp("pipeline") / "evx_en"
    nlp.to_disk(path)
    return path


@pytest.mark.parametrize(
    "limits",
    [
        (),
        ("--max-sentence-tokens", "8"),
        ("--max-document-chars", "900", "--max-sentence-tokens", "12"),
    ],
    ids=["no limits", "sentence limit", "both limits"],
)
def test_a_pipeline_with_evx_tokens_gives_the_plain_run(
    evx_pipeline: Path, limits: tuple[str, ...]
) -> None:
    """`--spacy PATH` of a pipeline with evx's tokenizer and sentences: the same bytes as the
    plain run over the seeds, and the same W101 and W102 warnings under the same limits."""
    args = ("run", str(ROOT / "rules"), str(ROOT / "seeds"), *limits)
    status, plain, plain_err = _run(*args)
    status2, through, through_err = _run(*args, "--spacy", str(evx_pipeline))
    assert (status, status2) == (0, 0)
    assert through == plain and len(plain.splitlines()) > 100
    warnings = sorted(line for line in plain_err.splitlines() if " W10" in line)
    assert sorted(line for line in through_err.splitlines() if " W10" in line) == warnings
    if limits:
        assert warnings and all(w.split()[2] in ("W101", "W102") for w in warnings)
        assert any(" W102 " in w for w in warnings) == ("--max-document-chars" in limits)


def test_the_limits_hold_for_any_pipeline(workspace: Path) -> None:
    """Through spaCy's own tokens too, a long sentence is cut (W101) and a long document read
    in pieces (W102), with offsets that still index the file."""
    args = ("run", str(workspace / "r.rules"), str(workspace / "docs"), "--spacy", "blank:en")
    status, out, err = _run(*args, "--max-sentence-tokens", "4", "--max-document-chars", "60")
    assert status == 0, err
    assert "W101" in err and "W102" in err
    text = (workspace / "docs" / "a.txt").read_text(encoding="utf-8")
    records = [r for r in map(json.loads, out.splitlines()) if r["doc"].endswith("a.txt")]
    # "on Monday" lies past the cut: the match stops before it
    assert [r["text"] for r in records] == ["freed three hostages"]
    for record in records:
        assert text[record["start"] : record["end"]] == record["text"]
    status, out, err = _run(*args)
    assert "W10" not in err
    assert json.loads(out.splitlines()[0])["text"] == "freed three hostages on Monday"
