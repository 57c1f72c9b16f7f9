"""Where `evx run` writes: stdout, or `-o FILE`, replaced only when the run has ended well.

The records go to a temporary file beside the target; the target is replaced by it in
one rename when the run ends, so an interrupted or failed run never leaves the previous
file empty or half written. What an interrupted run had written is kept beside it
(``FILE.partial``), and the message says so.
"""

from __future__ import annotations

import contextlib
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
        cls,
        target: str | None,
        out: TextIO,
        err: TextIO,
        *,
        binary: bool = False,
        seed: tuple[Path, int] | None = None,
    ) -> Output | None:
        """The output for `-o target` (stdout without it), a text stream or, with
        ``binary``, a byte stream; None after a clear message when the target cannot be
        written. ``seed=(path, n)`` starts the new file with the first n bytes of path
        (what an interrupted run had written, for `--resume`)."""
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
        if seed is not None:
            try:
                with open(seed[0], "rb") as earlier:
                    left = seed[1]
                    while left > 0:
                        block = earlier.read(min(left, 1 << 20))
                        if not block:
                            break
                        os.write(fd, block)
                        left -= len(block)
            except OSError as exc:
                os.close(fd)
                Path(temp).unlink(missing_ok=True)
                print(f"evx run: --resume: cannot read {seed[0]} ({exc.strerror})", file=err)
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

    def discard(self) -> None:
        """Nothing of this run is worth keeping: the target and any earlier partial file
        stay as they were."""
        if self.target is None or self.temp is None:
            return
        with contextlib.suppress(OSError):
            self.stream.close()
        self.temp.unlink(missing_ok=True)

    def abandon(self, size: int | None = None) -> Path | None:
        """The run did not end: leave the target as it was and keep what was written
        beside it (cut back to ``size`` bytes, the end of the last whole document, when
        given); return where (None for stdout)."""
        if self.target is None or self.temp is None:
            return None
        with contextlib.suppress(OSError):
            self.stream.close()
        if size is not None:
            with contextlib.suppress(OSError):
                os.truncate(self.temp, size)
        kept = self.target.with_name(self.target.name + ".partial")
        try:
            os.replace(self.temp, kept)
        except OSError:
            return self.temp
        return kept
