"""evx on Dask: extraction over a ``dask.bag`` or ``dask.dataframe``, and `evx run --dask`.

Needs the ``dask`` extra (``dask[bag,dataframe]`` and ``distributed``). The compiled rule
set travels to each worker once: with a ``distributed`` client it is scattered to every
worker (``broadcast=True``) and each task gets the worker's copy; on the local schedulers
it is one key of the graph.

- :func:`extract` maps a bag of texts, ``(id, text)`` pairs, ``{"id", "text", ...}`` rows
  or paths (``pathlib.Path``: read on the worker, any input format) to a bag of records
  (the JSON Lines contract, as dicts); or a dataframe with id and text columns to a
  dataframe of records with the columns and types of the Parquet output.
- :class:`DaskBackend` runs ``RuleSet.outcomes`` (and so `evx run --dask ADDRESS`) on a
  cluster: the client reads the inputs and sends chunks of documents, the records come
  back in input order.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import Any, cast

import attrs
import dask.bag as db
import distributed

from evx.parallel import run_chunk
from evx.records.sinks import Layout, Record
from evx.records.sinks.parquet import RowMaker, arrow_schema
from evx.ruleset import RuleSet
from evx.text.readers import InputDocument, Payload, ReadOptions, read_inputs
from evx.text.readers.base import from_row

__all__ = ["DaskBackend", "connect", "extract"]


@contextlib.contextmanager
def connect(address: str, *, workers: int = 2) -> Iterator[distributed.Client]:
    """A client of the cluster at ``address`` (``tcp://host:8786``), or, for ``local``, of
    a new ``LocalCluster`` of ``workers`` single-threaded worker processes; closed after."""
    if address == "local":
        with (
            distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client
    else:
        with distributed.Client(address) as client:
            yield client


class DaskBackend:
    """A :class:`~evx.parallel.Backend` on a Dask cluster: ``state`` scattered to every
    worker once, each chunk one task."""

    def __init__(self, client: distributed.Client, func: Callable[[Any, Any], Any], state: Any):
        self.client = client
        self.func = func
        self.parallelism = max(1, sum(client.nthreads().values()))
        self._state = client.scatter(state, broadcast=True, hash=False)

    def submit(self, chunk: list[Any]) -> Future[list[Any]]:
        future = self.client.submit(run_chunk, self.func, self._state, chunk, pure=False)
        return cast("Future[list[Any]]", future)  # distributed's Future has the same result()

    def close(self, cancel: bool) -> None:
        self.client.cancel(self._state)


def _documents(items: Iterable[Any], options: ReadOptions) -> Iterator[InputDocument]:
    for item in items:
        if isinstance(item, os.PathLike):
            yield from read_inputs([item], options)
        elif isinstance(item, dict):
            yield from_row(item, "<row>", options)
        elif isinstance(item, tuple):
            doc_id, text = item
            yield InputDocument(str(doc_id), functools.partial(_same, text))
        else:
            yield InputDocument("<text>", functools.partial(_same, item))


def _same(payload: Payload) -> Payload:
    return payload


@attrs.frozen
class _Asked:
    """What the records of a run should hold (``extract``'s keyword arguments)."""

    mentions: bool = False
    stories: bool = False
    inherit: bool = True
    provenance: bool = False


def _records(
    items: Iterable[Any], rules: RuleSet, asked: _Asked, options: ReadOptions, meta: bool
) -> list[Record]:
    """The records of one partition of documents (a bag partition's function)."""
    out: list[Record] = []
    batch = rules.outcomes(
        _documents(items, options),
        options=options,
        mentions=asked.mentions,
        stories=asked.stories,
        inherit=asked.inherit,
        provenance=asked.provenance,
    )
    for outcome in batch:
        error = outcome.error
        if error is not None and not outcome.skipped:
            raise error
        if meta:
            out.extend({**r, "meta": dict(outcome.meta)} for r in outcome.records)
        else:
            out.extend(outcome.records)
    return out


def _frame(records: list[Record], layout: Layout) -> Any:
    """Records as a pandas DataFrame with the Parquet output's columns and Arrow types."""
    import pandas as pd
    import pyarrow as pa

    row = RowMaker(layout)
    rows = [row(r) for r in records]
    table = pa.Table.from_pylist(rows, schema=arrow_schema(layout))
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _frame_partition(
    frame: Any, rules: RuleSet, asked: _Asked, options: ReadOptions, layout: Layout
) -> Any:
    rows = frame.to_dict(orient="records")
    return _frame(_records(rows, rules, asked, options, layout.meta), layout)


def _shared(rules: RuleSet) -> Any:
    """The rule set as the graph should carry it: scattered to every worker of a running
    distributed client, else one delayed key."""
    try:
        client = distributed.get_client()
    except ValueError:
        import dask

        return dask.delayed(rules, pure=True)
    return client.scatter(rules, broadcast=True, hash=False)


def extract(
    collection: Any,
    rules: RuleSet,
    *,
    mentions: bool = False,
    meta: bool = False,
    stories: bool = False,
    inherit: bool = True,
    provenance: bool = False,
    options: ReadOptions | None = None,
) -> Any:
    """The records of every document of a ``dask.bag.Bag`` (a bag of record dicts) or a
    ``dask.dataframe.DataFrame`` with ``options.id_field`` and ``options.text_field``
    columns (a dataframe of records with the Parquet columns), lazily.

    A document that fails raises its DocumentError when computed; one left out under
    ``on_decode_error="skip"`` gives no records. ``meta`` adds each document's metadata
    (its other columns) to its records; ``mentions``, ``stories`` and ``inherit`` are
    those of ``RuleSet.extract``, and ``provenance`` adds where each field came from.
    """
    options = options or ReadOptions()
    asked = _Asked(mentions, stories, inherit, provenance)
    shared = _shared(rules)
    if isinstance(collection, db.Bag):
        return collection.map_partitions(_records, shared, asked, options, meta)
    import dask.dataframe as dd

    if isinstance(collection, dd.DataFrame):
        layout = rules.layout(mentions=mentions, meta=meta, stories=stories, provenance=provenance)
        empty = _frame([], layout)
        return collection.map_partitions(
            _frame_partition, shared, asked, options, layout, meta=empty
        )
    raise TypeError(
        f"extract: expected a dask.bag.Bag or a dask.dataframe.DataFrame, not {type(collection)}"
    )
