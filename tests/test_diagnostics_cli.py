"""`evx check` diagnostics: paths as given, hints only where they apply, JSON Lines, --strict."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from evx.cli import main
from evx.cli.diagnostics import DIAGNOSTIC_SCHEMA

WARNED = 'event E { x: str? }\nrule r -> E { match: "a"? }\n'
BROKEN = 'event E { x: str? }\nrule r -> E {\n    match: ( "a" "b"\n    where: x\n}\n'
TYPO = "event E {\n    count: integer?\n}\nrule r -> E { match: count:[num] }\n"


def _check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["check", "--no-cache", *args], out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run from tmp_path, so relative paths are relative to it."""
    cwd = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(cwd)


def test_paths_are_printed_as_the_user_gave_them(in_tmp: Path) -> None:
    """A file under a directory is shown as `dir/file`, a file given directly as given."""
    (in_tmp / "pack" / "sub").mkdir(parents=True)
    (in_tmp / "pack" / "sub" / "bad.rules").write_text(TYPO, encoding="utf-8")
    status, _out, err = _check("pack/")
    assert status == 2
    assert err.startswith("pack/sub/bad.rules:2:12: E105 ")
    status, _out, err = _check("pack/sub/bad.rules")
    assert err.startswith("pack/sub/bad.rules:2:12: E105 ")
    status, _out, err = _check(str(in_tmp / "pack"))
    assert err.startswith(f"{in_tmp / 'pack' / 'sub' / 'bad.rules'}:2:12: E105 ")


def test_an_imported_file_is_shown_under_the_directory_given(in_tmp: Path) -> None:
    """A syntax error in an imported file names it by the path a terminal can open."""
    (in_tmp / "pack").mkdir()
    (in_tmp / "pack" / "main.rules").write_text('import "lib/common.rules"\n', encoding="utf-8")
    (in_tmp / "pack" / "lib").mkdir()
    (in_tmp / "pack" / "lib" / "common.rules").write_text(BROKEN, encoding="utf-8")
    status, _out, err = _check("pack/main.rules")
    assert status == 2
    assert err.startswith("pack/lib/common.rules:4:5: E004 ")
    assert "note: pack/lib/common.rules:3:12: `(` opened here" in err


def test_a_missing_rule_file_gets_no_import_hint(in_tmp: Path) -> None:
    """`evx check /missing.rules`: no "imports are relative to the importing file"."""
    status, _out, err = _check("/missing.rules")
    assert status == 2
    assert "E401" in err
    assert "imports are relative" not in err
    assert "give a rule file or a directory of them" in err
    (in_tmp / "a.rules").write_text('import "gone.rules"\n', encoding="utf-8")
    status, _out, err = _check("a.rules")
    assert "imports are relative to the importing file" in err


def test_json_diagnostics_validate_against_the_schema(in_tmp: Path) -> None:
    """--format json prints one object per diagnostic, valid against the documented schema."""
    (in_tmp / "typo.rules").write_text(TYPO, encoding="utf-8")
    (in_tmp / "broken.rules").write_text(BROKEN, encoding="utf-8")
    (in_tmp / "warned.rules").write_text(WARNED, encoding="utf-8")
    jsonschema.Draft202012Validator.check_schema(DIAGNOSTIC_SCHEMA)
    seen = []
    for name in ("typo.rules", "broken.rules", "warned.rules"):
        status, out, err = _check("--format", "json", name)
        assert err == ""
        lines = out.splitlines()
        assert lines, name
        for line in lines:
            obj = json.loads(line)
            jsonschema.validate(obj, DIAGNOSTIC_SCHEMA)
            seen.append((status, obj))
    (s1, typo), (s2, broken), (s3, warned) = seen
    assert (s1, typo["code"], typo["file"], typo["line"], typo["col"]) == (
        2,
        "E105",
        "typo.rules",
        2,
        12,
    )
    assert typo["end"] == {"line": 2, "col": 20} and typo["hint"] == "did you mean `int`?"
    assert (s2, broken["code"], broken["line"], broken["col"]) == (2, "E004", 4, 5)
    assert broken["related"] == [
        {"file": "broken.rules", "line": 3, "col": 12, "message": "`(` opened here"}
    ]
    assert (s3, warned["code"], warned["severity"]) == (0, "W304", "warning")


def test_a_clean_pack_prints_no_json(in_tmp: Path) -> None:
    """With nothing to report, --format json prints nothing and exits 0."""
    rules = Path(__file__).parent.parent / "rules"
    status, out, _err = _check("--format", "json", str(rules))
    assert (status, out) == (0, "")


def test_strict_fails_on_warnings(in_tmp: Path) -> None:
    """--strict turns a warning into exit status 2."""
    (in_tmp / "warned.rules").write_text(WARNED, encoding="utf-8")
    assert _check("warned.rules")[0] == 0
    status, _out, err = _check("--strict", "warned.rules")
    assert status == 2
    assert "W304" in err and "failing under --strict" in err


SHADOWED = (
    'event E { x: str? }\nrule wide -> E { match: "a" "b"? }\n'
    'rule narrow -> E { match: "a" "b"  where: sentence(match) has "c" }\n'
)


def test_a_shadowed_rule_is_a_warning_with_a_note_in_text_and_json(in_tmp: Path) -> None:
    """W316 points at the beaten rule, notes the rule that beats it, fails --strict, and
    carries the note as `related` in JSON."""
    (in_tmp / "shadowed.rules").write_text(SHADOWED, encoding="utf-8")
    status, _out, err = _check("shadowed.rules")
    assert status == 0
    assert err.startswith("shadowed.rules:3:1: W316 rule `narrow` never makes a record")
    assert "note: shadowed.rules:2:1: `wide` is here" in err and "hint: " in err
    assert _check("--strict", "shadowed.rules")[0] == 2
    status, out, _err = _check("--format", "json", "--strict", "shadowed.rules")
    (obj,) = [json.loads(line) for line in out.splitlines()]
    jsonschema.validate(obj, DIAGNOSTIC_SCHEMA)
    assert (status, obj["code"], obj["severity"], obj["line"], obj["col"]) == (
        2,
        "W316",
        "warning",
        3,
        1,
    )
    assert obj["related"] == [
        {"file": "shadowed.rules", "line": 2, "col": 1, "message": "`wide` is here"}
    ]


AID = Path(__file__).parent / "data" / "explain" / "aid.rules"


def test_dump_shows_each_stage() -> None:
    """--dump ast|ir|plan prints the syntax tree, the checked labels, the compiled programs."""
    status, out, _err = _check("--dump", "ast", str(AID))
    assert status == 0
    assert "RuleDef name='aid_entered' target='AidEntry'" in out
    assert "MentionRef name='Quantity'" in out and "SourcePos" not in out
    status, out, _err = _check("--dump", "ir", str(AID))
    assert out.index("mention Quantity") < out.index("event AidEntry")  # dependency order
    assert "  field status: EntryStatus" in out
    assert "captures: count: int, cargo: str" in out
    status, out, _err = _check("--dump", "plan", str(AID))
    assert "stratum 0: Quantity" in out and "stratum 1: AidEntry" in out
    assert "span enter_verb  @ aid.rules:28:69" in out
    assert "close place, accept" in out
    assert "ok:" not in out
