"""Output sinks write the records of the JSON Lines contract exactly as the events serialize."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import evx
from evx.records.sinks import FORMATS, JsonLinesSink

RULES = Path(__file__).resolve().parent.parent / "rules"

TEXT = (
    "CAIRO (AP) — Hamas freed three hostages on Monday and Israel released 90 Palestinian "
    "prisoners, officials said. “We are close,” said an official who spoke on condition of "
    "anonymity because he was not authorized to brief reporters."
)


@pytest.fixture(scope="module")
def rules() -> evx.RuleSet:
    """The shipped rule packs, loaded once for the module."""
    return evx.load(RULES)


def test_jsonl_sink_writes_each_event_as_its_own_json_line(rules: evx.RuleSet) -> None:
    """One line per record, byte-identical to Event.to_json, documents in the order given."""
    events = rules.extract(TEXT, "wire-1", mentions=True)
    assert len(events) > 3
    stream = io.StringIO()
    sink = FORMATS["jsonl"](stream)
    sink.write([e.to_dict() for e in events[:2]])
    sink.write([])  # a document without events writes nothing
    sink.write([e.to_dict() for e in events[2:]])
    sink.close()
    assert stream.getvalue() == "".join(e.to_json() + "\n" for e in events)
    assert [json.loads(line)["type"] for line in stream.getvalue().splitlines()] == [
        e.type for e in events
    ]


def test_jsonl_sink_keeps_non_ascii_text_unescaped() -> None:
    """Quotes and dashes of wire copy stay readable in the output (UTF-8, not \\u escapes)."""
    stream = io.StringIO()
    JsonLinesSink(stream).write([{"text": "“We are close,” — Gaza"}])
    assert stream.getvalue() == '{"text": "“We are close,” — Gaza"}\n'
