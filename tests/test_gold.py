"""The gold files themselves: well-formed, typed per EVENTS.md, evidence verbatim in the articles."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVENTS = ROOT.parent / "shared" / "design" / "EVENTS.md"


def _checker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "gold_check", ROOT / "seeds" / "gold" / "check.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("articles", "gold"),
    [
        (ROOT / "seeds", ROOT / "seeds" / "gold"),
        (ROOT / "tests" / "data" / "heldout", ROOT / "tests" / "data" / "heldout" / "gold"),
        (ROOT / "tests" / "data" / "heldout2", ROOT / "tests" / "data" / "heldout2" / "gold"),
    ],
    ids=["seeds", "heldout", "heldout2"],
)
def test_gold_files_validate(
    articles: Path, gold: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every gold line parses, has the fields of its type in order, and quotes its article."""
    argv = ["--articles", str(articles), "--gold", str(gold)]
    if SHARED_EVENTS.is_file():  # the design document sits beside the clone in CI
        argv += ["--events", str(SHARED_EVENTS)]
    status = _checker().main(argv)
    assert status == 0, capsys.readouterr().err
