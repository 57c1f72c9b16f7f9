"""Documents too long to read whole are read in pieces, with offsets into the whole text."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import evx
from evx.cli import main
from evx.text.document import Document
from evx.text.pieces import piece_bounds

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@given(
    st.text(alphabet=st.sampled_from("ab .\n!?”"), max_size=400),
    st.integers(min_value=1, max_value=60),
)
def test_pieces_cover_the_text_in_order_each_within_the_limit(text: str, limit: int) -> None:
    bounds = piece_bounds(text, limit)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    for (_, end), (start, _) in itertools.pairwise(bounds):
        assert end == start
    assert all(0 < e - s <= limit for s, e in bounds) or bounds == [(0, 0)]


def test_a_cut_prefers_a_paragraph_then_a_sentence_then_a_space() -> None:
    text = "One two. Three four.\n\nFive six. Seven eight nine ten eleven"
    assert piece_bounds(text, 30)[0] == (0, 22)  # after the blank line
    text = "One two three four. Five six seven eight nine ten eleven twelve"
    assert piece_bounds(text, 30)[0] == (0, 20)  # after "four. "
    assert piece_bounds("aaaa bbbb cccc dddd", 12)[0] == (0, 10)  # after a space
    assert piece_bounds("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]
    assert piece_bounds("short", None) == [(0, 5)] == piece_bounds("short", 5)


def test_pieces_are_documents_over_the_whole_text() -> None:
    text = "Hamas freed two hostages.\n\nIsrael agreed to a truce. " * 3
    pieces = list(Document.pieces_of(text, "d", max_chars=60))
    assert len(pieces) > 1
    assert all(p.text is text for p in pieces)
    words = [w for p in pieces for w in p.words]
    assert words == list(Document.from_text(text, "d").words)
    for p in pieces:
        assert all(text[s:e] == w for s, e, w in zip(p.starts, p.ends, p.words, strict=True))
    assert pieces[0].warnings[0].startswith(f"W102 a document of {len(text)} characters")
    assert not any(w.startswith("W102") for p in pieces[1:] for w in p.warnings)


def test_a_long_document_gives_the_records_of_its_pieces(tmp_path: Path) -> None:
    """Two seed articles in one file, cut between them: the records are those of each
    article alone, their offsets shifted into the whole file; W102 says it was cut."""
    first = SEEDS[1].read_text(encoding="utf-8")  # the longest
    second = SEEDS[3].read_text(encoding="utf-8")  # the shortest
    joined = first.rstrip("\n") + "\n\n" + second
    path = tmp_path / "joined.txt"
    path.write_text(joined, encoding="utf-8")
    offset = len(first.rstrip("\n")) + 2
    # the last paragraph break before the limit is the one between them, and the rest fits
    limit = offset + 3
    assert "\n" not in joined[offset:limit] and len(second) <= limit

    def run(*args: str) -> tuple[int, list[dict[str, object]], str]:
        out, err = io.StringIO(), io.StringIO()
        status = main(["run", str(RULES), *args, "--no-inherit", "--quiet"], out, err)
        return status, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()

    status, records, err = run(str(path), "--max-document-chars", str(limit))
    assert status == 0
    assert "W102 a document of" in err and "2 pieces" in err
    rules = evx.load(RULES)
    want = [e.to_dict() for e in rules.extract(first, str(path), inherit=False)]
    for e in rules.extract(second, str(path), inherit=False):
        d = e.to_dict()
        d["start"] += offset
        d["end"] += offset
        for spans in d["args"].values():
            for span in spans if isinstance(spans, list) else [spans]:
                span["start"] += offset
                span["end"] += offset
        want.append(d)
    assert records == want
    for r in records:
        assert joined[r["start"] : r["end"]] == r["text"]  # type: ignore[misc]
    # whole, the same file gives no W102
    status, _, err = run(str(path))
    assert status == 0 and "W102" not in err


def test_a_negative_limit_is_a_usage_error_not_a_failed_document(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for flag in ("--max-document-chars", "--max-sentence-tokens"):
        try:
            main(["run", str(RULES), str(SEEDS[0]), flag, "-5"])
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"{flag} -5 was accepted")
        err = capsys.readouterr().err
        assert "is negative" in err and "D900" not in err
