"""Hostile rule files read nothing outside the rule set, and no run loses the output it had."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import evx
from evx.cli import main
from evx.cli.progress import plural

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEEDS = ROOT / "seeds"


def _codes(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(evx.RuleCheckError) as caught:
        evx.load(path, **kwargs)  # type: ignore[arg-type]
    return caught.value.codes


# ---------------------------------------------------------------- confinement


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ", "../outside.rules"])
def test_an_import_outside_the_rule_set_is_refused_unread(tmp_path: Path, target: str) -> None:
    """E404, and nothing of the file's content in the message."""
    (tmp_path / "outside.rules").write_text("event Secret { }\n", encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.rules").write_text(f'import "{target}"\nevent E {{ }}\n', encoding="utf-8")
    with pytest.raises(evx.RuleCheckError) as caught:
        evx.load(rules)
    assert caught.value.codes == ["E404"]
    message = str(caught.value)
    assert "root:" not in message and "PATH=" not in message and "Secret" not in message


def test_a_lexicon_file_outside_or_not_regular_is_refused(tmp_path: Path) -> None:
    """`lexicon x from "/dev/zero"` is outside (E404); a FIFO inside is not a regular file
    (E403): neither blocks or grows memory."""
    rules = tmp_path / "rules"
    rules.mkdir()

    def body(source: str) -> str:
        return f'event E {{ }}\nrule r -> E {{ match: words }}\nlexicon words from "{source}"\n'

    (rules / "x.rules").write_text(body("/dev/zero"), encoding="utf-8")
    assert _codes(rules) == ["E404"]
    os.mkfifo(rules / "pipe.txt")
    (rules / "x.rules").write_text(body("pipe.txt"), encoding="utf-8")
    assert _codes(rules) == ["E403"]


def test_a_symlink_out_of_the_rule_set_is_followed_before_the_check(tmp_path: Path) -> None:
    """A link inside the rule directory that points outside is outside."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "lib.rules").write_text("event Lib { }\n", encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "lib.rules").symlink_to(outside / "lib.rules")
    (rules / "main.rules").write_text('import "lib.rules"\nevent E { }\n', encoding="utf-8")
    assert _codes(rules / "main.rules") == ["E404"]
    loaded = evx.load(rules / "main.rules", allow_outside=[outside])
    assert "Lib" in loaded.event_types


def test_the_shipped_packs_are_inside_their_own_root() -> None:
    """Confinement costs the shipped packs nothing: their imports and lexicons are local."""
    assert evx.load(RULES).event_types


# ---------------------------------------------------------------- text the API can hold


def test_lone_surrogates_in_api_text_still_give_writable_json() -> None:
    """Text with a lone surrogate (only the API can pass one) gives records whose JSON is
    valid UTF-8, and regex token tests do not fail on it."""
    rules = evx.load(RULES)
    events = rules.extract("Hamas freed three hostages \udc80 on Monday, officials said \ud800.")
    assert events
    for event in events:
        line = event.to_json()
        line.encode("utf-8")
        assert json.loads(line)["type"] == event.type


# ---------------------------------------------------------------- output safety


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Enough documents for a run to take a few seconds."""
    docs = tmp_path / "docs"
    docs.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(60):
        shutil.copy(seeds[i % len(seeds)], docs / f"{i:03}.txt")
    return docs


def _start(out: Path, docs: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "evx", "run", str(RULES), str(docs), "-o", str(out), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_progress(out: Path) -> None:
    """Until the second document's records are being written, so the first is whole (bytes
    alone can be half of the first document's records, and an interrupt then leaves a
    journal of 0 documents: that race made the resume test fail now and then)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for partial in out.parent.glob(f".{out.name}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):  # renamed as the run ends
                if b"001.txt" in partial.read_bytes():
                    return
        time.sleep(0.05)
    raise AssertionError("the run wrote no second document in a minute")


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_keeps_the_previous_output_and_the_partial_one_beside_it(
    tmp_path: Path, corpus: Path, jobs: str
) -> None:
    """SIGINT: exit 130, one line, no traceback (workers included); -o as it was; what
    was written is in FILE.partial, whole lines only."""
    out = tmp_path / "events.jsonl"
    out.write_text("previous good output\n", encoding="utf-8")
    run = _start(out, corpus, "--jobs", jobs, "--no-cache")
    _wait_for_progress(out)
    run.send_signal(signal.SIGINT)
    _stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 130
    assert b"Traceback" not in stderr and b"interrupted after" in stderr
    assert out.read_text(encoding="utf-8") == "previous good output\n"
    partial = tmp_path / "events.jsonl.partial"
    assert str(partial).encode() in stderr
    lines = partial.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["type"] for line in lines)


@pytest.mark.slow
def test_sigkill_leaves_the_previous_output_whole(tmp_path: Path, corpus: Path) -> None:
    """Killed outright, a run leaves -o as it was (the new records were never renamed)."""
    out = tmp_path / "events.jsonl"
    out.write_text("previous good output\n", encoding="utf-8")
    run = _start(out, corpus, "--no-cache")
    _wait_for_progress(out)
    run.kill()
    run.communicate(timeout=60)
    assert out.read_text(encoding="utf-8") == "previous good output\n"


def test_a_finished_run_replaces_the_output_whole(tmp_path: Path) -> None:
    """The new file appears in one rename, and no temporary file is left behind."""
    out = tmp_path / "events.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    status = main(["run", str(RULES), str(SEEDS), "-o", str(out)])
    assert status == 0
    assert out.read_text(encoding="utf-8").count("\n") > 100
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("target", ["dir", "missing/events.jsonl"])
def test_a_bad_output_target_is_a_message(
    tmp_path: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o naming a directory, or a file in a directory that does not exist: exit 2."""
    (tmp_path / "dir").mkdir()
    status = main(["run", str(RULES), str(SEEDS), "-o", str(tmp_path / target)])
    assert status == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and ("is a directory" in err or "does not exist" in err)


@pytest.mark.slow
@pytest.mark.parametrize(("jobs", "suffix"), [("1", "jsonl"), ("2", "jsonl"), ("1", "csv")])
def test_resume_goes_on_from_an_interrupted_run_to_the_same_bytes(
    tmp_path: Path, corpus: Path, jobs: str, suffix: str
) -> None:
    """Ctrl-C, then --resume: the output is byte for byte that of a run never stopped,
    the documents already written are not processed again, and nothing is left over."""
    whole = tmp_path / f"whole.{suffix}"
    assert main(["run", str(RULES), str(corpus), "-o", str(whole), "-q"]) == 0
    out = tmp_path / f"events.{suffix}"
    run = _start(out, corpus, "--jobs", jobs, "--no-cache")
    _wait_for_progress(out)
    run.send_signal(signal.SIGINT)
    _stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 130 and b"--resume goes on from there" in stderr
    journal = json.loads((tmp_path / f"events.{suffix}.partial.journal").read_text("utf-8"))
    assert 0 < journal["documents"] < 60
    command = [sys.executable, "-m", "evx", "run", str(RULES), str(corpus), "-o", str(out)]
    resumed = subprocess.run(
        [*command, "--resume", "--jobs", jobs],
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    done = journal["documents"]
    assert f"resumed after the {plural(done, 'document')}" in resumed.stderr
    assert f"evx: {plural(60 - done, 'document')} (" in resumed.stderr
    assert out.read_bytes() == whole.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["docs", whole.name, out.name])


def test_resume_refuses_other_inputs_and_keeps_the_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    # an interrupted run's leftovers, made by hand: two seed documents written
    docs = sorted(SEEDS.glob("*.txt"))
    assert main(["run", str(RULES), *map(str, docs[:2]), "-o", str(out), "-q"]) == 0
    partial = tmp_path / "events.jsonl.partial"
    out.rename(partial)
    from evx.cli.resume import Journal, Tally

    tally = Tally().done(str(docs[0]), False, None).done(str(docs[1]), False, None)
    tally = Tally(tally.documents, tally.ids, 0, partial.stat().st_size)
    Journal("jsonl", tally).save(tmp_path / "events.jsonl.partial.journal")
    before = partial.read_bytes()
    # other inputs: refused, the partial file kept
    err = io.StringIO()
    status = main(["run", str(RULES), *map(str, docs[1:]), "-o", str(out), "--resume"], None, err)
    assert status == 2 and "not those of the interrupted run" in err.getvalue()
    assert partial.read_bytes() == before and not out.exists()
    # the same inputs: the two are not run again, the rest are
    err = io.StringIO()
    status = main(["run", str(RULES), *map(str, docs), "-o", str(out), "--resume"], None, err)
    assert status == 0, err.getvalue()
    assert "resumed after the 2 documents" in err.getvalue()
    whole = tmp_path / "whole.jsonl"
    assert main(["run", str(RULES), *map(str, docs), "-o", str(whole), "-q"]) == 0
    assert out.read_bytes() == whole.read_bytes()
    assert not partial.exists()


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ([], "nothing to resume"),
        (["--format", "parquet"], "cannot be continued"),
    ],
)
def test_resume_without_a_resumable_run_is_a_message(
    tmp_path: Path, extra: list[str], needle: str
) -> None:
    err = io.StringIO()
    out = tmp_path / "events.out"
    status = main(["run", str(RULES), str(SEEDS), "-o", str(out), "--resume", *extra], None, err)
    assert status == 2 and needle in err.getvalue()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("when", ["starting", "running"])
def test_killing_a_jobs_run_leaves_no_worker_tracebacks(
    tmp_path: Path, corpus: Path, when: str
) -> None:
    """SIGKILL of the parent of `--jobs 2`, while its workers start (they are reading the
    pickled rules) or while they work: they exit, printing nothing (stderr is a pipe they
    share with the parent, so reading it to the end waits for every one of them)."""
    out = tmp_path / "events.jsonl"
    run = _start(out, corpus, "--jobs", "2", "--no-cache")
    if when == "running":
        _wait_for_progress(out)
    else:
        time.sleep(1.5)
    run.kill()
    _stdout, stderr = run.communicate(timeout=120)
    assert b"Traceback" not in stderr, stderr.decode(errors="replace")
    assert b"Error" not in stderr, stderr.decode(errors="replace")
