"""`evx test`: every example and counter runs; an example that holds without its own rule is
warned about (W318), in the diagnostic format of `evx check`, with --strict and --format json."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema

from evx.cli import main
from evx.cli.diagnostics import DIAGNOSTIC_SCHEMA

MERGED = """\
event Source { who: str?  how: str?  overlap: each  merge: who }
rule said -> Source { match: who:[title] "said" }
rule spoke -> Source { match: who:[title] []{0,3} "anonymously"
    example "Officials said they spoke anonymously." => who = "Officials"
}
rule spoke_how -> Source { match: who:[title] []{0,3} "on" "background"  set: how = "background"
    example "Officials said they spoke on background." => who = "Officials", how = "background"
}
"""

STORY = """\
event Release { count: int?  story: count  inherit: count }
mention Quantity: int { match: [shape=d]  value: number(match) }
rule freed -> Release { match: "freed" count:@Quantity "hostages" }
rule welcomed -> Release { match: "the" "release"
    example "Gunmen freed 3 hostages. The release was welcomed." => count = 3
}
"""

SHADOWED = """\
event Release { count: int? }
rule any -> Release { match: "freed" [num]? "hostages" }
rule counted -> Release { match: "freed" [num] "hostages"
    example "They freed 3 hostages."
}
"""


def _test(tmp_path: Path, text: str, *args: str) -> tuple[int, str, str]:
    (tmp_path / "x.rules").write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = main(["test", "--no-cache", str(tmp_path / "x.rules"), *args], out, err)
    return status, out.getvalue(), err.getvalue()


def test_an_example_holding_only_through_a_merged_record_is_warned(tmp_path: Path) -> None:
    """W318 at the example, with its line and caret, when the merged record it passes on
    is there without its rule too; not when the rule adds a value the example expects."""
    status, out, err = _test(tmp_path, MERGED)
    assert status == 0, out + err
    where = f"{tmp_path / 'x.rules'}:4:5: W318 example of `x.rules:spoke` holds without it: "
    assert where in out
    assert "`x.rules:said` makes a record with the values it expects" in out
    assert "is merged into it" in out and "hint: " in out
    assert '    example "Officials said they spoke anonymously."' in out
    assert "spoke_how" not in out.split("hint:")[0]  # its `how` is its own
    assert out.rstrip().endswith("2 passed, 0 failed (2 examples), 1 warning")


def test_an_example_holding_only_through_its_story_is_warned(tmp_path: Path) -> None:
    """W318 when the values come from another record of the story (inherit:)."""
    status, out, _err = _test(tmp_path, STORY)
    assert status == 0
    assert "W318 example of `x.rules:welcomed` holds without it" in out
    assert "takes them from its story" in out


def test_strict_fails_on_the_warning_and_json_prints_diagnostics(tmp_path: Path) -> None:
    """--strict: exit 1 on a warning; --format json: only diagnostics on stdout, valid
    against the schema of `evx check --format json`, the summary on stderr."""
    status, _out, err = _test(tmp_path, MERGED, "--strict")
    assert status == 1 and "1 warning, failing under --strict" in err
    status, out, err = _test(tmp_path, MERGED, "--format", "json", "--strict")
    assert status == 1
    objects = [json.loads(line) for line in out.splitlines()]
    for obj in objects:
        jsonschema.validate(obj, DIAGNOSTIC_SCHEMA)
    assert [(o["code"], o["severity"], o["line"], o["col"]) for o in objects] == [
        ("W318", "warning", 4, 5)
    ]
    assert "2 passed, 0 failed (2 examples), 1 warning" in err


def test_a_failing_example_of_a_shadowed_rule_names_the_rule_that_makes_its_record(
    tmp_path: Path,
) -> None:
    """The example of a rule another always beats fails, and says which rule makes the
    record it expects; as JSON it is E501 at the clause."""
    status, out, _err = _test(tmp_path, SHADOWED)
    assert status == 1
    assert "FAIL x.rules:4:5 x.rules:counted (example)" in out
    assert "lost to overlapping matches" in out
    assert "the record it expects is made by `x.rules:any`" in out
    status, out, err = _test(tmp_path, SHADOWED, "--format", "json")
    assert status == 1
    objects = [json.loads(line) for line in out.splitlines()]
    for obj in objects:
        jsonschema.validate(obj, DIAGNOSTIC_SCHEMA)
    codes = [(o["code"], o["line"], o["col"]) for o in objects]
    assert ("W316", 3, 1) in codes  # the checker's warning that predicts it
    (failure,) = [o for o in objects if o["code"] == "E501"]
    assert (failure["severity"], failure["line"], failure["col"]) == ("error", 4, 5)
    assert failure["message"].startswith("example of `x.rules:counted` fails: matched 1 time")
    assert "0 failed" not in err and "1 failed" in err
