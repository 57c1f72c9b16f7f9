"""The `evx` command: JSON Lines out, exit codes, bad documents, stdin, jobs and the other verbs."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from evx.cli import main, split_rules_and_inputs

RULES = """\
enum Status { completed, expected }
event HostageRelease { count: int?  status: Status }
mention N: int { match: [num]+  value: number(match) }
rule freed -> HostageRelease {
    match: [lemma in {free, release}] count:@N? [lemma in {hostage, captive}]
    set: status = expected if before(match, 3) has { will, would }
         status = completed
    example "Hamas freed three hostages on Monday." => count = 3, status = completed
    counter "Hamas holds about 100 hostages."
}
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "hostages.rules").write_text(RULES, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "CAIRO (AP) — Hamas freed three hostages on Monday. Israel will release 30 captives.\n",
        encoding="utf-8",
    )
    (docs / "b.txt").write_text("Talks stalled in Doha, officials said.\n", encoding="utf-8")
    (docs / "c.txt").write_text("Militants released two captives late on Sunday.\n")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


def test_run_prints_json_lines_in_document_order(workspace: Path) -> None:
    """`evx run RULES DOCS` prints one record per line, documents sorted, fields typed."""
    status, out, err = run("run", str(workspace / "rules"), str(workspace / "docs"), "--quiet")
    assert (status, err) == (0, "")
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["doc"].rsplit("/", 1)[-1], r["text"], r["fields"]) for r in records] == [
        ("a.txt", "freed three hostages", {"count": 3, "status": "completed"}),
        ("a.txt", "release 30 captives", {"count": 30, "status": "expected"}),
        ("c.txt", "released two captives", {"count": 2, "status": "completed"}),
    ]
    first = records[0]
    assert list(first) == [
        "type",
        "doc",
        "rule",
        "start",
        "end",
        "text",
        "sentence",
        "fields",
        "args",
    ]
    assert first["rule"] == "hostages.rules:freed"
    assert first["sentence"] == "Hamas freed three hostages on Monday."
    text = (workspace / "docs" / "a.txt").read_text(encoding="utf-8")
    assert text[first["start"] : first["end"]] == first["text"]
    assert first["args"]["count"] == {"start": 25, "end": 30, "text": "three"}


def test_bad_document_is_reported_and_others_still_come_out(workspace: Path) -> None:
    """A document that is not UTF-8 fails alone: exit 1, a clear message, the rest processed."""
    (workspace / "docs" / "b2.txt").write_bytes(b"Hamas freed \xff\xfe two hostages.")
    status, out, err = run("run", str(workspace / "rules"), str(workspace / "docs"))
    assert status == 1
    assert "b2.txt: D001 not valid UTF-8" in err
    assert "1 document failed" in err
    assert "Traceback" not in err
    assert len(out.splitlines()) == 3


def test_missing_input_file_is_a_document_error(workspace: Path) -> None:
    """An input path that does not exist is reported per document, exit 1."""
    status, _out, err = run("run", str(workspace / "rules"), str(workspace / "nope.txt"))
    assert status == 1
    assert "nope.txt: D004 cannot read" in err


def test_output_file_and_jobs_give_identical_bytes(workspace: Path) -> None:
    """`-o FILE` writes the same bytes as stdout, and `--jobs 2` the same as one process."""
    _s, out, _e = run("run", str(workspace / "rules"), str(workspace / "docs"))
    target = workspace / "out.jsonl"
    status, nothing, _e = run(
        "run", str(workspace / "rules"), str(workspace / "docs"), "-o", str(target), "--jobs", "2"
    )
    assert (status, nothing) == (0, "")
    assert target.read_text(encoding="utf-8") == out


def test_stdin_is_read_with_a_dash(workspace: Path) -> None:
    """`-` reads one document from standard input."""
    proc = subprocess.run(
        [sys.executable, "-m", "evx.cli", "run", str(workspace / "rules"), "-"],
        input=b"Gunmen freed 4 hostages.",
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (record,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert (record["doc"], record["fields"]["count"]) == ("-", 4)


def test_rule_errors_exit_2(workspace: Path) -> None:
    """A rule file that does not check exits with status 2 and its diagnostics."""
    (workspace / "rules" / "more.rules").write_text('rule x -> Nope { match: "a" }\n')
    status, out, err = run("run", str(workspace / "rules"), str(workspace / "docs"))
    assert (status, out) == (2, "")
    assert "more.rules:1:11: E104" in err


def test_check_test_and_schema_verbs(workspace: Path) -> None:
    """`evx check`, `evx test` and `evx schema` report on the rules."""
    status, out, _ = run("check", str(workspace / "rules"))
    assert status == 0 and out.startswith("ok: 1 rules, 1 mentions, 1 event types")
    status, out, _ = run("test", str(workspace / "rules"))
    assert status == 0 and "2 passed, 0 failed" in out
    status, out, _ = run("schema", str(workspace / "rules"))
    schema = json.loads(out)
    fields = schema["$defs"]["HostageRelease"]["properties"]["fields"]["properties"]
    assert fields["status"] == {"enum": ["completed", "expected"]}
    assert fields["count"] == {"anyOf": [{"type": "integer"}, {"type": "null"}]}


def test_failing_example_makes_evx_test_fail(workspace: Path) -> None:
    """An example whose values are wrong fails `evx test` with the differing field."""
    path = workspace / "rules" / "hostages.rules"
    path.write_text(RULES.replace("count = 3,", "count = 4,"), encoding="utf-8")
    status, out, _ = run("test", str(workspace / "rules"))
    assert status == 1
    assert "count: expected 4, got 3" in out


def test_arguments_split_into_rules_then_inputs(workspace: Path) -> None:
    """Leading rule files and directories holding .rules files are rules; the rest inputs."""
    rules, inputs = split_rules_and_inputs(
        [
            str(workspace / "rules"),
            str(workspace / "rules" / "hostages.rules"),
            str(workspace / "docs"),
            "-",
        ]
    )
    assert rules == [str(workspace / "rules"), str(workspace / "rules" / "hostages.rules")]
    assert inputs == [str(workspace / "docs"), "-"]


def test_a_cut_sentence_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    """W101 on stderr, exit 0, the events still out; the limit is an option."""
    doc = tmp_path / "long.txt"
    doc.write_text("Hamas freed three hostages on Monday , " * 800, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    rules = str(Path(__file__).resolve().parent.parent / "rules")
    status = main(["run", rules, str(doc), "--max-sentence-tokens", "1000"], out, err)
    assert status == 0
    assert "W101 a sentence of 5,600 tokens" in err.getvalue()
    assert out.getvalue().count('"HostageRelease"') > 100
    out, err = io.StringIO(), io.StringIO()
    assert main(["run", rules, str(doc), "--max-sentence-tokens", "0"], out, err) == 0
    assert "W101" not in err.getvalue()
