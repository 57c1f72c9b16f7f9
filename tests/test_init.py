"""`evx init NAME`: the new pack loads without warnings, its examples and its own test pass."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

from evx.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(args), out, err), out.getvalue(), err.getvalue()


def test_a_new_pack_checks_tests_and_runs(tmp_path: Path) -> None:
    """The scaffold is complete: strict check, examples, its generated pytest file, a run."""
    status, out, err = _run("init", "aid_convoys", "--dir", str(tmp_path))
    assert status == 0, err
    pack = tmp_path / "aid_convoys"
    assert sorted(p.name for p in pack.iterdir()) == [
        "aid_convoys.rules",
        "sample.txt",
        "test_aid_convoys.py",
    ]
    assert "event AidConvoys {" in (pack / "aid_convoys.rules").read_text(encoding="utf-8")
    assert _run("check", "--strict", "--no-cache", str(pack))[0] == 0
    status, out, _err = _run("test", "--no-cache", str(pack))
    assert status == 0 and "3 passed, 0 failed" in out
    spec = importlib.util.spec_from_file_location("scaffold_test", pack / "test_aid_convoys.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.test_examples_pass()
    module.test_sample_document()


def test_init_refuses_bad_names_and_existing_directories(tmp_path: Path) -> None:
    """A name that is not lower_case, or a directory already there, is refused with exit 2."""
    status, _out, err = _run("init", "Aid-Convoys", "--dir", str(tmp_path))
    assert status == 2 and "lower-case letters" in err
    (tmp_path / "taken").mkdir()
    status, _out, err = _run("init", "taken", "--dir", str(tmp_path))
    assert status == 2 and "already exists" in err
