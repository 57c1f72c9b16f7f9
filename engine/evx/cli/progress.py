"""What `evx run` says while it runs and when it ends: a progress bar and a summary line.

The bar is tqdm's, on stderr, and only when stderr is a terminal (never in a pipe or a
log file, and not with ``--quiet``): documents done (of how many, with an ETA, when that
is known before the run), tokens per second, events so far and failures. Messages about
single documents go through :meth:`Progress.note` so that they print above the bar
instead of through it. The summary is one line: documents, events per type, failures,
skips and the time taken.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable
from typing import Never, TextIO

from tqdm import tqdm

from evx.records.sinks import Record

__all__ = ["Progress", "plural"]


def plural(n: int, word: str) -> str:
    """``1 document``, ``2 documents``, thousands separated."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class Progress:
    """Counts what a run did, and shows it on a terminal as it goes."""

    def __init__(
        self, err: TextIO, *, total: int | None, bar: bool, event_types: Iterable[str]
    ) -> None:
        self.err = err
        self.event_types = frozenset(event_types)
        self.started = time.monotonic()
        self.documents = 0
        self.tokens = 0
        self.failed = 0
        self.skipped = 0
        self.by_type: Counter[str] = Counter()
        self._bar: tqdm[Never] | None = None
        if bar:
            sized = _width(err) > 0  # a pseudo-terminal nobody sized says 0 columns
            self._bar = tqdm(
                total=total,
                unit="doc",
                file=err,
                dynamic_ncols=sized,
                ncols=None if sized else 100,
                nrows=None if sized else 24,  # tqdm would take -1 rows and show nothing
                mininterval=0.25,
                leave=False,  # the summary line takes its place
            )

    def note(self, message: str) -> None:
        """Print one line of stderr, above the bar when there is one."""
        if self._bar is not None:
            self._bar.write(message, file=self.err)
        else:
            print(message, file=self.err)

    def done(self, records: list[Record], tokens: int, *, failed: bool, skipped: bool) -> None:
        """One more document is done."""
        self.documents += 1
        self.tokens += tokens
        self.failed += failed
        self.skipped += skipped
        self.by_type.update(r["type"] for r in records)
        if self._bar is not None:
            elapsed = max(time.monotonic() - self.started, 1e-9)
            events = self._events()
            self._bar.set_postfix_str(
                f"{_short(self.tokens / elapsed)} tok/s, {plural(events, 'event')}, "
                f"{self.failed:,} failed",
                refresh=False,
            )
            self._bar.update(1)

    def _events(self) -> int:
        return sum(n for name, n in self.by_type.items() if name in self.event_types)

    def close(self) -> None:
        """Take the bar off the terminal."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def summary(self, skipped_files: int, globs: tuple[str, ...]) -> str:
        """The closing line: ``evx: 1,835 documents (1.0M tokens), 9,120 events
        (AnonymousSource 3,210, ...), 0 failed in 41.2 s``."""
        elapsed = time.monotonic() - self.started
        events = sorted((k, n) for k, n in self.by_type.items() if k in self.event_types)
        kinds = ", ".join(f"{name} {n:,}" for name, n in events)
        parts = [
            f"evx: {plural(self.documents, 'document')} ({_short(self.tokens)} tokens)",
            plural(self._events(), "event") + (f" ({kinds})" if kinds else ""),
        ]
        mentions = sum(self.by_type.values()) - self._events()
        if mentions:
            parts.append(plural(mentions, "mention"))
        parts.append(f"{self.failed:,} failed")
        if self.skipped:
            parts.append(f"{self.skipped:,} skipped (not decodable)")
        if skipped_files:
            parts.append(
                f"{plural(skipped_files, 'file')} in directories not read "
                f"(not {' '.join(globs)}; see --glob)"
            )
        return ", ".join(parts) + f" in {elapsed:.1f} s"


def _short(n: float) -> str:
    """1234 → 1.2k, 1234567 → 1.2M."""
    if n >= 1e6:
        return f"{n / 1e6:.1f}M"
    if n >= 1e3:
        return f"{n / 1e3:.1f}k"
    return f"{n:.0f}"


def _width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 0
