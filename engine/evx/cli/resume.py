"""What an interrupted `evx run -o FILE` had written, so that `--resume` can go on from it.

An interrupted run keeps its records in ``FILE.partial``, cut back to the end of the last
document it finished, and says in ``FILE.partial.journal`` (JSON) how many documents
those were, a chained SHA-256 of their ids (so a resumed run can check it reads the same
inputs in the same order, without keeping the ids), the partial file's size, its format
and how many of the documents failed. `--resume` copies the partial records into the new
output, skips those documents, checks their ids, and goes on; the run ends as an
uninterrupted one would, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from evx.text.readers import InputDocument

__all__ = ["Journal", "ResumeError", "Tally", "journal_path", "partial_path", "skip_done"]

_START = hashlib.sha256(b"evx run").hexdigest()


class ResumeError(Exception):
    """The interrupted run cannot be taken up (the message says why)."""


def partial_path(target: Path) -> Path:
    """Where an interrupted run keeps what it had written."""
    return target.with_name(target.name + ".partial")


def journal_path(target: Path) -> Path:
    """Where an interrupted run says what its partial file holds."""
    return target.with_name(target.name + ".partial.journal")


def _chain(digest: str, doc_id: str) -> str:
    return hashlib.sha256(f"{digest}\n{doc_id}".encode("utf-8", "surrogatepass")).hexdigest()


@attrs.frozen
class Tally:
    """The documents a run has written so far: their number, ids (chained), failures,
    and the size of the output after the last of them.

    Immutable, and replaced in one assignment per document, so that a Ctrl-C arriving at
    any moment finds a tally that agrees with itself."""

    documents: int = 0
    ids: str = _START
    failed: int = 0
    size: int = 0

    def done(self, doc_id: str, failed: bool, stream: IO[Any] | None) -> Tally:
        """The tally once one more document is written (and flushed) to ``stream``."""
        size = os.fstat(stream.fileno()).st_size if stream is not None else self.size
        return Tally(self.documents + 1, _chain(self.ids, doc_id), self.failed + failed, size)


@attrs.frozen
class Journal:
    """What an interrupted run's partial file holds."""

    format: str
    tally: Tally

    def save(self, path: Path) -> None:
        data = {"format": self.format, **attrs.asdict(self.tally)}
        path.write_text(json.dumps(data) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Journal:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            tally = Tally(
                int(data["documents"]), str(data["ids"]), int(data["failed"]), int(data["size"])
            )
            return cls(str(data["format"]), tally)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ResumeError(f"{path} is not a journal evx wrote ({exc})") from None


def skip_done(inputs: Iterable[InputDocument], journal: Journal) -> Iterator[InputDocument]:
    """The inputs after the documents the journal says are written (not read again),
    once their ids are checked against it; ResumeError when they differ."""
    items = iter(inputs)
    digest = _START
    want = journal.tally.documents
    for n in range(want):
        item = next(items, None)
        if item is None:
            raise ResumeError(
                f"the inputs have {n:,} documents, the interrupted run had written {want:,}"
            )
        digest = _chain(digest, item.id)
    if digest != journal.tally.ids:
        raise ResumeError(
            f"the first {want:,} inputs are not those of the interrupted run, in the same order"
        )
    yield from items
