"""Output sinks write the records of the JSON Lines contract exactly as the events serialize."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import evx
from evx.records.sinks import (
    FORMATS,
    CsvSink,
    DocumentText,
    JsonLinesSink,
    Layout,
    ParquetSink,
    Record,
)

RULES = Path(__file__).resolve().parent.parent / "rules"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

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
    sink = FORMATS["jsonl"].open(stream)
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


# ---------------------------------------------------------------- CSV and Parquet


@pytest.fixture(scope="module")
def seed_records(rules: evx.RuleSet) -> list[list[Record]]:
    """The records of every seed article, one list per document."""
    return [
        [e.to_dict() for e in rules.extract(p.read_text(encoding="utf-8"), p.name)]
        for p in sorted(SEEDS.glob("*.txt"))
    ]


def test_csv_has_one_row_per_record_with_fields_flattened(
    rules: evx.RuleSet, seed_records: list[list[Record]]
) -> None:
    """A header of the scalar keys, fields.<name> for every declared field, args; one row
    per record in order; lists and spans as JSON text, null as an empty cell."""
    stream = io.StringIO()
    layout = rules.layout()
    sink = FORMATS["csv"].open(stream, layout)
    for records in seed_records:
        sink.write(records)
    sink.close()
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    flat = [r for records in seed_records for r in records]
    assert len(rows) == len(flat)
    header = list(rows[0])
    assert header[:7] == ["type", "doc", "rule", "start", "end", "text", "sentence"]
    assert header[-1] == "args" and "fields.count" in header and "fields.parties" in header
    for row, record in zip(rows, flat, strict=True):
        assert (row["type"], row["doc"], int(row["start"]), row["text"]) == (
            record["type"],
            record["doc"],
            record["start"],
            record["text"],
        )
        for name, value in record["fields"].items():
            cell = row[f"fields.{name}"]
            if value is None:
                assert cell == ""
            elif isinstance(value, list):
                assert json.loads(cell) == value
            else:
                assert cell == str(value)
        assert json.loads(row["args"]) == record["args"]
        declared = set(record["fields"])
        assert all(
            row[c] == "" for c in header if c.startswith("fields.") and c[7:] not in declared
        )


def test_csv_writes_metadata_as_json_and_cleans_lone_surrogates(rules: evx.RuleSet) -> None:
    """With meta the last column is the document's metadata as JSON; text the API gave
    with a lone surrogate is written with U+FFFD instead of failing."""
    stream = io.StringIO()
    sink = CsvSink(stream, Layout(rules.layout().schemas, meta=True))
    (record,) = [e.to_dict() for e in rules.extract("Hamas freed two hostages.", "a")][:1]
    record = {**record, "sentence": "odd \ud800 text", "meta": {"source": "wire", "n": 3}}
    sink.write([record])
    (row,) = csv.DictReader(io.StringIO(stream.getvalue()))
    assert json.loads(row["meta"]) == {"source": "wire", "n": 3}
    assert row["sentence"] == "odd \ufffd text"
    stream.getvalue().encode("utf-8")


def test_parquet_rows_equal_the_records_with_types_from_the_declarations(
    rules: evx.RuleSet, seed_records: list[list[Record]], tmp_path: Path
) -> None:
    """Read back, every row is its record (args as a map of span lists); the columns are
    typed as evx schema types the fields, and the file carries the JSON Schema."""
    path = tmp_path / "events.parquet"
    with path.open("wb") as stream:
        sink = FORMATS["parquet"].open(stream, rules.layout())
        for records in seed_records:
            sink.write(records)
        sink.close()
    table = pq.read_table(path)
    flat = [r for records in seed_records for r in records]
    assert table.num_rows == len(flat)
    fields = table.schema.field("fields").type
    assert fields.field("count").type == pa.int64()
    assert fields.field("parties").type == pa.list_(pa.string())
    assert fields.field("status").type == pa.string()
    assert b"HostageRelease: ReleaseStatus" in fields.field("status").metadata[b"evx.type"]
    assert json.loads(table.schema.metadata[b"evx.schema"]) == rules.json_schema()
    for row, record in zip(table.to_pylist(), flat, strict=True):
        assert {k: row[k] for k in ("type", "doc", "rule", "start", "end", "text", "sentence")} == {
            k: record[k] for k in ("type", "doc", "rule", "start", "end", "text", "sentence")
        }
        assert {k: v for k, v in row["fields"].items() if k in record["fields"]} == record["fields"]
        args = {name: spans for name, spans in row["args"]}
        assert args == {
            name: value if isinstance(value, list) else [value]
            for name, value in record["args"].items()
        }


def test_a_field_name_declared_with_two_types_holds_json_text_in_parquet(
    compile_rules: Callable[..., evx.RuleSet], tmp_path: Path
) -> None:
    """Two event types with a field `n` of int and list[str]: Parquet stores `n` as JSON
    text, so both fit one column."""
    rules = compile_rules(
        """
event A { n: int? }
event B { n: list[str] }
mention Num: int { match: [num]  value: number(match) }
rule a -> A { match: "freed" n:@Num }
rule b -> B { match: n:"talks" }
"""
    )
    records = [e.to_dict() for e in rules.extract("Hamas freed 3 and talks began.", "x")]
    assert {r["type"] for r in records} == {"A", "B"}
    path = tmp_path / "x.parquet"
    with path.open("wb") as stream:
        sink = ParquetSink(stream, rules.layout())
        sink.write(records)
        sink.close()
    table = pq.read_table(path)
    assert table.schema.field("fields").type.field("n").type == pa.string()
    values = {row["type"]: json.loads(row["fields"]["n"]) for row in table.to_pylist()}
    assert values == {"A": 3, "B": ["talks"]}


# ---------------------------------------------------------------- HTML


def test_html_sink_draws_each_document_and_writes_the_page_when_closed(
    rules: evx.RuleSet,
) -> None:
    """Records in, one page out on close (nothing before: the summary counts every
    document); mention records get a colour and a summary row of their own; a lone
    surrogate in a text becomes U+FFFD; a page cannot be continued."""
    assert FORMATS["html"].page and not FORMATS["html"].resumable
    assert not any(FORMATS[name].page for name in ("jsonl", "csv", "parquet"))
    text = TEXT + " \ud800"
    events = rules.extract(text, "wire-1", mentions=True)
    stream = io.StringIO()
    sink = FORMATS["html"].open(stream, rules.layout(mentions=True, provenance=True))
    sink.write(
        [e.to_dict(provenance=True) for e in events],
        DocumentText("wire-1", text, None, tuple(e.merged for e in events)),
    )
    sink.write([], DocumentText("broken.txt", "", "broken.txt: D002 binary data"))
    assert stream.getvalue() == ""
    sink.close()
    page = stream.getvalue()
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</body></html>\n")
    assert "<p>2 documents, " in page and '<p class="error">broken.txt: D002' in page
    assert "<tr><td>Quantity</td><td>" in page  # a mention label that has records
    assert 'data-type="Quantity"' in page
    assert "\ud800" not in page and "\ufffd" in page
    with pytest.raises(ValueError, match="cannot be continued"):
        FORMATS["html"].open(io.StringIO(), rules.layout(), append=True)
