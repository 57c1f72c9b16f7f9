"""`evx codegen`: typed fields classes a static checker accepts, and that records really are."""

from __future__ import annotations

import importlib.util
import io
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import evx
from evx.cli import main
from evx.records import events as events_module

RULES = Path(__file__).resolve().parent.parent / "rules"
WIRE = "Hamas freed three hostages on Monday, officials said."


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A registry of generated classes for this test only."""
    monkeypatch.setattr(events_module, "_REGISTERED", {})
    events_module.make_fields_class.cache_clear()
    yield
    monkeypatch.undo()
    events_module.make_fields_class.cache_clear()


def _generate(tmp_path: Path, rules: Path = RULES) -> Path:
    target = tmp_path / "wire_events.py"
    out, err = io.StringIO(), io.StringIO()
    assert main(["codegen", str(rules), "-o", str(target)], out, err) == 0, err.getvalue()
    return target


def _import(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_records_are_instances_of_the_generated_classes(tmp_path: Path, registry: None) -> None:
    """With the generated module imported first, records' fields are its classes, with the same values."""
    plain = [e.fields.to_dict() for e in evx.load(RULES).extract(WIRE)]
    generated = _import(_generate(tmp_path))
    rules = evx.load(RULES)
    events = rules.extract(WIRE)
    release = next(e for e in events if e.type == "HostageRelease")
    assert isinstance(release.fields, generated.HostageReleaseFields)
    assert release.fields.count == 3
    assert [e.fields.to_dict() for e in events] == plain
    assert rules.fields_class("AnonymousSource") is generated.AnonymousSourceFields
    assert pickle.loads(pickle.dumps(events)) == events


def test_a_stale_module_is_warned_about_and_not_used(tmp_path: Path, registry: None) -> None:
    """A generated class that no longer fits its declaration is left out, with a warning."""
    rules_dir = tmp_path / "r"
    rules_dir.mkdir()
    (rules_dir / "a.rules").write_text(
        'event Truce { days: int? }\nrule r -> Truce { match: n:[num] "days"  set: days = number(n) }\n',
        encoding="utf-8",
    )
    _import(_generate(tmp_path, rules_dir))
    (rules_dir / "a.rules").write_text(
        'event Truce { days: str? }\nrule r -> Truce { match: n:[num] "days"  set: days = text(n) }\n',
        encoding="utf-8",
    )
    with pytest.warns(UserWarning, match="no longer fits"):
        (event,) = evx.load(rules_dir).extract("a truce of 42 days")
    assert event.fields.days == "42" and type(event.fields).__module__ != "wire_events"


USER_CODE = """
import evx
from wire_events import HostageReleaseFields

rules = evx.load("rules/")
for event in rules.extract("Hamas freed three hostages on Monday."):
    if isinstance(event.fields, HostageReleaseFields):
        count: int | None = event.fields.count
        status: str = event.fields.status
        print(count, status, event.fields.mode)
"""


@pytest.mark.slow
def test_mypy_strict_accepts_the_typed_fields_and_rejects_misuse(tmp_path: Path) -> None:
    """`mypy --strict` passes code that reads `event.fields.count` as int | None, and fails code that misuses it."""
    _generate(tmp_path)
    (tmp_path / "good.py").write_text(USER_CODE, encoding="utf-8")
    (tmp_path / "bad.py").write_text(
        USER_CODE.replace(
            "count: int | None = event.fields.count", "count: str = event.fields.count"
        ),
        encoding="utf-8",
    )
    (tmp_path / "mypy.ini").write_text("[mypy]\nstrict = True\n", encoding="utf-8")

    def mypy(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--config-file",
                "mypy.ini",
                "--no-incremental",
                name,
                "wire_events.py",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )

    good = mypy("good.py")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = mypy("bad.py")
    assert bad.returncode == 1 and 'has type "int | None"' in bad.stdout, bad.stdout
