"""Where `evx run` writes: stdout, or `-o FILE`, replaced only when the run has ended well.

The records go to a temporary file beside the target; the target is replaced by it in
one rename when the run ends, so an interrupted or failed run never leaves the previous
file empty or half written. What an interrupted run had written is kept beside it
(``FILE.partial``), and the message says so.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Any, TextIO


class Output:
    """The stream a run writes to, and what becomes of it when the run ends."""

    def __init__(self, stream: IO[Any], target: Path | None = None, temp: Path | None = None):
        self.stream = stream
        self.target = target
        self.temp = temp

    @classmethod
    def open(
        cls, target: str | None, out: TextIO, err: TextIO, *, binary: bool = False
    ) -> Output | None:
        """The output for `-o target` (stdout without it), a text stream or, with
        ``binary``, a byte stream; None after a clear message when the target cannot be
        written."""
        if target is None:
            if not binary:
                return cls(out)
            buffer = getattr(out, "buffer", None)
            if buffer is None or out.isatty():
                print(
                    "evx run: this format is binary: name a file with -o (or pipe stdout)",
                    file=err,
                )
                return None
            out.flush()
            return cls(buffer)
        path = Path(target)
        if path.is_dir():
            print(f"evx run: -o {target} is a directory; name a file", file=err)
            return None
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            print(f"evx run: -o {target}: the directory {parent} does not exist", file=err)
            return None
        try:
            fd, temp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as exc:
            print(f"evx run: -o {target}: cannot write there ({exc.strerror})", file=err)
            return None
        stream = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")
        return cls(stream, path, Path(temp))

    def commit(self) -> None:
        """The run ended: the target becomes what was written (stdout: flushed)."""
        if self.target is None or self.temp is None:
            self.stream.flush()
            return
        self.stream.close()
        os.replace(self.temp, self.target)

    def abandon(self) -> Path | None:
        """The run did not end: leave the target as it was and keep what was written
        beside it; return where (None for stdout)."""
        if self.target is None or self.temp is None:
            return None
        self.stream.close()
        kept = self.target.with_name(self.target.name + ".partial")
        try:
            os.replace(self.temp, kept)
        except OSError:
            return self.temp
        return kept
