"""docs/embedding.md stays true: its worked example (a gazetteer feeding evx) runs as written."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "embedding.md"


def test_the_worked_example_runs() -> None:
    """The gazetteer example's code block runs and its assertions hold."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(
        r"<!-- embedding-example -->\s*```python\n(.*?)```\s*<!-- /embedding-example -->",
        text,
        re.S,
    )
    assert found, "the example block is missing from docs/embedding.md"
    exec(compile(found.group(1), str(DOC), "exec"), {"__name__": "embedding_example"})
