"""`evx diff`: the records two runs disagree on, paired by span, traced to rule and field."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from evx.cli import main
from evx.tools.diff import diff_records

ROOT = Path(__file__).parent.parent


def _rec(
    doc: str, start: int, end: int, rule: str = "h.rules:r", **fields: object
) -> dict[str, object]:
    return {
        "type": "Release",
        "doc": doc,
        "rule": rule,
        "start": start,
        "end": end,
        "text": "x" * (end - start),
        "fields": fields,
    }


OLD = [
    _rec("a", 0, 10, count=3, status="completed"),
    _rec("a", 20, 30, count=None),
    _rec("a", 40, 50, count=1),
    _rec("b", 5, 9, count=2),
]
NEW = [
    _rec("a", 0, 10, count=3, status="completed"),  # the same
    _rec("a", 20, 34, count=4),  # grown by a word, now with a count
    _rec("a", 60, 70, rule="h.rules:other", count=9),  # new
    _rec("b", 5, 9, rule="h.rules:r2", count=2),  # another rule now makes it
]


def test_records_are_paired_by_span_then_by_overlap() -> None:
    """Same span pairs first, then the most overlapping; the rest are added or lost."""
    changes = diff_records(OLD, NEW)
    summary = [(c.kind, c.record["doc"], c.record["start"], c.fields) for c in changes]
    assert summary == [
        ("changed", "a", 20, (("span", "20-30", "20-34"), ("count", None, 4))),
        ("lost", "a", 40, ()),
        ("added", "a", 60, ()),
        ("changed", "b", 5, (("rule", "h.rules:r", "h.rules:r2"),)),
    ]


def test_identical_runs_have_no_changes() -> None:
    """Two equal runs give no change."""
    assert diff_records(OLD, list(reversed(OLD))) == []


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cli_diff_text_json_and_exit_status(tmp_path: Path) -> None:
    """Text lists each change under its document; json is one object per change; exit 1 on changes."""
    old, new = _write(tmp_path / "old.jsonl", OLD), _write(tmp_path / "new.jsonl", NEW)
    out = io.StringIO()
    assert main(["diff", str(old), str(new)], out, io.StringIO()) == 1
    text = out.getvalue()
    assert "  ~ changed Release 20-34" in text and "      count: null -> 4" in text
    assert "  - lost Release 40-50" in text and "  + added Release 60-70" in text
    assert text.rstrip().endswith("1 added, 1 lost, 2 changed (4 records before, 4 after)")
    out = io.StringIO()
    assert main(["diff", str(old), str(new), "--format", "json"], out, io.StringIO()) == 1
    objs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [o["change"] for o in objs] == ["changed", "lost", "added", "changed"]
    assert objs[0]["fields"]["count"] == {"old": None, "new": 4}
    assert main(["diff", str(old), str(old)], io.StringIO(), io.StringIO()) == 0


def test_cli_diff_refuses_what_is_not_records(tmp_path: Path) -> None:
    """A line that is not JSON names the file and line; exit 2."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "Release"}\nnot json\n', encoding="utf-8")
    err = io.StringIO()
    assert main(["diff", str(bad), str(bad)], io.StringIO(), err) == 2
    assert "bad.jsonl:2: not JSON" in err.getvalue()


def test_diff_of_a_rule_change_on_the_shipped_packs(tmp_path: Path) -> None:
    """Dropping the status classifier from one rule of a copy of the packs shows up as that rule's records changing status."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "hostages.rules"
    text = path.read_text(encoding="utf-8")
    start = text.index("rule release_nominal")
    body = text[start:]
    assert "status   = release_status(trigger)" in body
    path.write_text(
        text[:start]
        + body.replace("status   = release_status(trigger)", "status   = completed", 1),
        encoding="utf-8",
    )
    runs = []
    for name, pack in (("old", ROOT / "rules"), ("new", rules)):
        out = io.StringIO()
        assert main(["run", str(pack), str(ROOT / "seeds"), "--no-cache"], out, io.StringIO()) == 0
        runs.append(
            _write(tmp_path / f"{name}.jsonl", [json.loads(x) for x in out.getvalue().splitlines()])
        )
    out = io.StringIO()
    assert main(["diff", str(runs[0]), str(runs[1]), "--format", "json"], out, io.StringIO()) == 1
    objs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert objs
    assert {o["change"] for o in objs} == {"changed"}  # no record gained or lost
    nominal = [o for o in objs if o["new"]["rule"] == "hostages.rules:release_nominal"]
    assert nominal and all(o["fields"]["status"]["new"] == "completed" for o in nominal)
    # records of other rules change only through their stories (inherited fields)
    assert all(set(o["fields"]) <= {"status", "count", "mode"} for o in objs)
