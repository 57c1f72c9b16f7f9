"""Dask: a LocalCluster of two worker processes gives the events of a local run, record for record."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest

import evx
from evx.cli import main
from evx.integrations.dask import connect, extract

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEED_FILES = sorted((ROOT / "seeds").glob("*.txt"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rules() -> evx.RuleSet:
    """The shipped rule packs."""
    return evx.load(RULES)


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """A LocalCluster with two single-threaded worker processes, and its client."""
    with connect("local", workers=2) as client:
        yield client


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    """The seed articles as rows, twice over (so each worker gets several partitions)."""
    return [
        {"id": f"{k}-{p.name}", "text": p.read_text(encoding="utf-8"), "desk": "world"}
        for k in range(2)
        for p in SEED_FILES
    ]


def local(rules: evx.RuleSet, rows: list[dict[str, str]]) -> list[dict[str, object]]:
    return [e.to_dict() for r in rows for e in rules.extract(r["text"], r["id"])]


def test_a_bag_of_rows_gives_the_local_records_in_order(
    client: object, rules: evx.RuleSet, rows: list[dict[str, str]]
) -> None:
    """extract() over a bag of rows on two workers: the records of a local run, in order."""
    bag = db.from_sequence(rows, npartitions=4)
    assert extract(bag, rules).compute() == local(rules, rows)


def test_a_bag_of_paths_is_read_on_the_workers(client: object, rules: evx.RuleSet) -> None:
    """Paths in a bag are read where the task runs, as evx run reads them."""
    bag = db.from_sequence(SEED_FILES, npartitions=2)
    want = [e.to_dict() for p in SEED_FILES for e in rules.extract(p.read_text("utf-8"), str(p))]
    assert extract(bag, rules).compute() == want


def test_a_dataframe_gives_a_dataframe_of_records_typed_like_parquet(
    client: object, rules: evx.RuleSet, rows: list[dict[str, str]]
) -> None:
    """A dataframe with id and text columns gives one row per record, with the Parquet
    output's columns; with meta, the other columns as JSON."""
    frame = dd.from_pandas(pd.DataFrame(rows), npartitions=3)
    out = extract(frame, rules, meta=True).compute()
    want = local(rules, rows)
    assert list(out.columns) == [
        "type",
        "doc",
        "rule",
        "start",
        "end",
        "text",
        "sentence",
        "fields",
        "args",
        "meta",
    ]
    assert list(zip(out["doc"], out["start"], out["text"], strict=True)) == [
        (r["doc"], r["start"], r["text"]) for r in want
    ]
    assert {json.loads(m)["desk"] for m in out["meta"]} == {"world"}
    counts = [f["count"] for f in out["fields"]]
    assert counts == [r["fields"].get("count") for r in want]  # type: ignore[union-attr]


def test_evx_run_on_a_local_cluster_writes_the_same_bytes(tmp_path: Path) -> None:
    """`evx run --dask local`: byte-identical to a run in this process."""
    corpus = tmp_path / "seeds.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": p.name, "text": p.read_text("utf-8")}) + "\n" for p in SEED_FILES)
        * 3,
        encoding="utf-8",
    )
    outs = []
    for extra in ([], ["--dask", "local", "--jobs", "2"]):
        out, err = io.StringIO(), io.StringIO()
        status = main(["run", str(RULES), str(corpus), "-q", *extra], out, err)
        assert status == 0, err.getvalue()
        outs.append(out.getvalue())
    assert outs[0] and outs[0] == outs[1]
