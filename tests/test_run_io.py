"""`evx run` on corpora: collections in, CSV/Parquet out, decoding policy, progress and summary, jobs."""

from __future__ import annotations

import csv
import fcntl
import gzip
import io
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from evx.cli import main

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["run", str(RULES), *args], out, err)
    return status, out.getvalue(), err.getvalue()


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """The seed articles as a JSON Lines collection: id (the file name), text, a desk column."""
    rows = [
        {"id": p.name, "text": p.read_text(encoding="utf-8"), "desk": "world"} for p in SEED_FILES
    ]
    path = tmp_path / "seeds.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture(scope="module")
def from_files() -> list[dict[str, object]]:
    """The records of the seed files read as text files, their doc ids cut to the file name."""
    status, out, _err = run(*map(str, SEED_FILES), "--quiet")
    assert status == 0
    return [{**r, "doc": Path(str(r["doc"])).name} for r in lines(out)]


def test_a_jsonl_collection_gives_the_records_of_its_rows(
    collection: Path, from_files: list[dict[str, object]]
) -> None:
    """A .jsonl input is a collection, not one raw text: the records are those of the
    articles as text files, offsets into each row's text, doc the row's id."""
    status, out, err = run(str(collection))
    assert status == 0, err
    assert lines(out) == from_files


def test_jsonl_output_is_unchanged_by_default(tmp_path: Path) -> None:
    """The default output is JSON Lines, Event.to_json per record, documents in order."""
    import evx

    rules = evx.load(RULES)
    status, out, _err = run(str(SEEDS), "--quiet")
    assert status == 0
    want = "".join(
        e.to_json() + "\n"
        for p in SEED_FILES
        for e in rules.extract(p.read_bytes().decode("utf-8"), p.as_posix())
    )
    assert out == want


def test_csv_and_parquet_outputs_hold_the_same_records(
    collection: Path, tmp_path: Path, from_files: list[dict[str, object]]
) -> None:
    """--format csv (or -o *.csv) and -o *.parquet: one row per record, same order and
    values; the output file appears whole."""
    csv_path = tmp_path / "events.csv"
    parquet_path = tmp_path / "events.parquet"
    assert run(str(collection), "-o", str(csv_path), "-q")[0] == 0
    assert run(str(collection), "-o", str(parquet_path), "-q")[0] == 0
    status, out, _err = run(str(collection), "--format", "csv", "-q")
    assert status == 0 and out == csv_path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(out)))
    table = pq.read_table(parquet_path).to_pylist()
    assert len(rows) == len(table) == len(from_files)
    for row, prow, record in zip(rows, table, from_files, strict=True):
        assert (row["type"], row["doc"], int(row["start"])) == (
            record["type"],
            record["doc"],
            record["start"],
        )
        assert (prow["type"], prow["doc"], prow["end"], prow["text"]) == (
            record["type"],
            record["doc"],
            record["end"],
            record["text"],
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "events.csv",
        "events.parquet",
        "seeds.jsonl",
    ]


def test_meta_adds_the_other_columns_to_each_record(collection: Path) -> None:
    """--meta: each record ends with its document's metadata (the row's other columns)."""
    status, out, _err = run(str(collection), "--meta", "-q")
    assert status == 0
    records = lines(out)
    assert records and all(r["meta"] == {"desk": "world"} for r in records)
    assert list(records[0])[-1] == "meta"


def test_parquet_to_a_terminal_or_text_stream_is_refused() -> None:
    """Parquet is binary: without -o on a stream that has no bytes side, exit 2 and say why."""
    status, out, err = run(str(SEEDS), "--format", "parquet")
    assert (status, out) == (2, "")
    assert "binary" in err and "-o" in err


def test_a_bad_row_fails_alone_with_its_line(collection: Path) -> None:
    """A collection with a broken line: exit 1, the line named, every other row's records."""
    good = collection.read_text(encoding="utf-8").splitlines()
    broken = [*good[:2], '{"id": "x", "text": ', *good[2:]]
    collection.write_text("\n".join(broken) + "\n", encoding="utf-8")
    status, out, err = run(str(collection))
    assert status == 1
    assert f"{collection}:3: D005 not valid JSON" in err
    assert "Traceback" not in err and "1 document failed" in err
    assert {r["doc"] for r in lines(out)} == {p.name for p in SEED_FILES}


def test_a_cp1252_file_fails_with_a_hint_and_reads_with_its_encoding(tmp_path: Path) -> None:
    """D001 and a hint naming --encoding; --encoding cp1252 reads it; replace keeps it;
    skip leaves it out with a note and exit 0."""
    text = SEED_FILES[0].read_text(encoding="utf-8").replace("—", "-")
    text = text.encode("cp1252", "replace").decode("cp1252") + " \u201cWe are close,\u201d he said."
    path = tmp_path / "wire.txt"
    path.write_bytes(text.encode("cp1252"))
    (tmp_path / "utf8").mkdir()
    (tmp_path / "utf8" / "wire.txt").write_text(text, encoding="utf-8")
    status, out, err = run(str(path))
    assert status == 1 and out == ""
    assert "D001 not valid UTF-8" in err and "--encoding" in err
    status, out, err = run(str(path), "--encoding", "cp1252", "-q")
    assert status == 0 and out and err == ""
    same = lines(run(str(tmp_path / "utf8" / "wire.txt"), "-q")[1])
    assert [{**r, "doc": ""} for r in lines(out)] == [{**r, "doc": ""} for r in same]
    status, out, _err = run(str(path), "--on-decode-error", "replace", "-q")
    assert status == 0 and "\ufffd" in out
    status, out, err = run(str(path), "--on-decode-error", "skip")
    assert (status, out) == (0, "")
    assert "skipped" in err and "1 skipped (not decodable)" in err


def test_an_unknown_encoding_is_a_usage_error() -> None:
    """--encoding that Python does not know: exit 2 before any document is read."""
    status, _out, err = run(str(SEEDS), "--encoding", "klingon")
    assert status == 2 and "no such encoding" in err


def test_compressed_files_are_read_transparently(tmp_path: Path, collection: Path) -> None:
    """A .txt.gz and a .jsonl.gz give the same records as the plain files."""
    gz_text = tmp_path / "a.txt.gz"
    gz_text.write_bytes(gzip.compress(SEED_FILES[0].read_bytes()))
    status, out, err = run(str(gz_text), "-q")
    assert status == 0, err
    plain = lines(run(str(SEED_FILES[0]), "-q")[1])
    assert [{**r, "doc": "x"} for r in lines(out)] == [{**r, "doc": "x"} for r in plain]
    gz_rows = tmp_path / "seeds.jsonl.gz"
    gz_rows.write_bytes(gzip.compress(collection.read_bytes()))
    assert run(str(gz_rows), "-q")[1] == run(str(collection), "-q")[1]


def test_a_directory_with_nothing_to_read_fails_and_skipped_files_are_counted(
    tmp_path: Path,
) -> None:
    """No chosen file: exit 1 with D006; otherwise the files a directory held but no glob
    chose are counted in the summary."""
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    status, out, err = run(str(tmp_path))
    assert (status, out) == (1, "")
    assert "D006 no documents here" in err and "--glob" in err
    (tmp_path / "a.txt").write_text("Hamas freed two hostages.", encoding="utf-8")
    status, out, err = run(str(tmp_path))
    assert status == 0 and out
    assert "1 file in directories not read" in err


def test_the_summary_line_counts_documents_events_and_failures(tmp_path: Path) -> None:
    """One closing line: documents, events per type, failures, time; --quiet drops it."""
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe")
    status, _out, err = run(str(SEEDS), str(tmp_path / "bad.txt"))
    assert status == 1
    (summary,) = [line for line in err.splitlines() if line.startswith("evx: 6 documents")]
    assert "events (AnonymousSource" in summary and "HostageRelease" in summary
    assert "1 failed" in summary and summary.endswith(" s")
    status, _out, err = run(str(SEEDS), "--quiet")
    assert (status, err) == (0, "")


# ---------------------------------------------------------------- progress, in processes


def _evx(*args: str) -> list[str]:
    return [sys.executable, "-m", "evx", "run", str(RULES), *args]


@pytest.mark.slow
@pytest.mark.parametrize("sized", [True, False])
def test_the_progress_bar_shows_on_a_terminal(tmp_path: Path, sized: bool) -> None:
    """Under a pseudo-terminal (sized like a window, or of no size as some CI give), stderr
    shows tqdm's bar (documents of the total, tok/s, events, failures), then the summary;
    stdout (a file) holds only records."""
    master, slave = pty.openpty()
    if sized:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    records = tmp_path / "stdout.jsonl"
    with records.open("wb") as stdout:
        proc = subprocess.Popen(
            _evx(str(SEEDS)), stdout=stdout, stderr=slave, stdin=subprocess.DEVNULL
        )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(master)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "/5 [" in screen and "tok/s" in screen and "failed" in screen
    assert "evx: 5 documents" in screen
    assert all(json.loads(line) for line in records.read_text(encoding="utf-8").splitlines())


@pytest.mark.slow
def test_no_progress_bar_through_a_pipe() -> None:
    """With stderr a pipe there is no bar (no carriage returns), only the summary."""
    proc = subprocess.run(_evx(str(SEEDS)), capture_output=True, check=False, timeout=120)
    assert proc.returncode == 0
    err = proc.stderr.decode()
    assert "\r" not in err and "tok/s" not in err
    assert err.startswith("evx: 5 documents") and err.count("\n") == 1


@pytest.mark.slow
def test_jobs_give_the_same_bytes_on_a_collection(collection: Path, tmp_path: Path) -> None:
    """--jobs 2 on a collection with a bad row: byte-identical output and the same errors."""
    text = collection.read_text(encoding="utf-8")
    collection.write_text(text + "{oops\n" + text, encoding="utf-8")
    one = run(str(collection), "-q")
    two = run(str(collection), "-q", "--jobs", "2")
    assert one == two and one[0] == 1


def test_stories_and_provenance_reach_every_format_and_every_worker(tmp_path: Path) -> None:
    flags = ("--stories", "--provenance", "--quiet")
    status, out, _ = run(*map(str, SEED_FILES), *flags)
    assert status == 0
    records = lines(out)
    assert any(r.get("mentions") for r in records)  # some story has several statements
    assert all("provenance" in r for r in records)
    # in worker processes: the same bytes
    status, out_jobs, _ = run(*map(str, SEED_FILES), *flags, "--jobs", "2")
    assert status == 0 and out_jobs == out

    status, _, _ = run(*map(str, SEED_FILES), *flags, "-o", str(tmp_path / "s.csv"))
    assert status == 0
    with (tmp_path / "s.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert json.loads(row["mentions"]) == record.get("mentions", [])
        assert json.loads(row["provenance"]) == record["provenance"]

    status, _, _ = run(*map(str, SEED_FILES), *flags, "-o", str(tmp_path / "s.parquet"))
    assert status == 0
    table = pq.read_table(tmp_path / "s.parquet").to_pylist()
    assert len(table) == len(records)
    for row, record in zip(table, records, strict=True):
        assert row["mentions"] == record.get("mentions", [])
        assert dict(row["provenance"]) == record["provenance"]


def test_without_the_flags_tables_have_no_story_or_provenance_columns(tmp_path: Path) -> None:
    status, _, _ = run(str(SEED_FILES[0]), "--quiet", "-o", str(tmp_path / "s.csv"))
    assert status == 0
    header = (tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "mentions" not in header and "provenance" not in header
