"""Opening inputs as byte streams, gzip and Zstandard decompressed on the way.

``.gz`` needs nothing beyond Python; ``.zst`` needs the ``zstd`` extra (the ``zstandard``
package), or Python 3.14's ``compression.zstd``. A name's format is read from the suffix
under the compression suffix: ``docs.jsonl.gz`` is a gzipped JSON Lines collection.
"""

from __future__ import annotations

import gzip
import importlib
import io
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO, Final, cast

__all__ = [
    "COMPRESSION_SUFFIXES",
    "damaged",
    "inner_suffix",
    "open_binary",
    "read_bytes",
]

COMPRESSION_SUFFIXES: Final = (".gz", ".zst")


def inner_suffix(name: str) -> str:
    """The suffix that names the format, under any compression suffix, lower-cased:
    ``a.JSONL.gz`` → ``.jsonl``, ``a.txt`` → ``.txt``, ``README`` → ``""``."""
    path = Path(name)
    if path.suffix.lower() in COMPRESSION_SUFFIXES:
        path = path.with_suffix("")
    return path.suffix.lower()


def _zstd_reader() -> Callable[[IO[bytes]], IO[bytes]]:
    """A function wrapping a compressed stream in a decompressing one, or OSError naming
    the extra to install."""
    try:  # Python 3.14+
        module = importlib.import_module("compression.zstd")
        return lambda raw: cast(IO[bytes], module.ZstdFile(raw))
    except ImportError:
        pass
    try:
        zstandard = importlib.import_module("zstandard")
    except ImportError:
        raise OSError(0, "a .zst file needs the zstd extra: pip install 'evx[zstd]'") from None

    def wrap(raw: IO[bytes]) -> IO[bytes]:
        reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)
        return io.BufferedReader(reader)  # readline, for JSON Lines and CSV

    return wrap


def open_binary(path: Path) -> IO[bytes]:
    """A readable byte stream of a regular file, decompressed by its suffix.

    A FIFO or a device would block or never end, so it is refused with an OSError that
    says why (the document fails, the others go on).
    """
    if not stat.S_ISREG(path.stat().st_mode):
        raise OSError(0, "not a regular file (a FIFO, device or socket); use - for a pipe")
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    if suffix == ".zst":
        wrap = _zstd_reader()
        return wrap(path.open("rb"))
    return path.open("rb")


def read_bytes(path: Path) -> bytes:
    """The whole content of a file, decompressed; OSError for anything that goes wrong,
    a damaged compressed file included."""
    try:
        with open_binary(path) as stream:
            return stream.read()
    except OSError:
        raise
    except Exception as exc:
        raise damaged(path, exc) from None


def damaged(path: Path, exc: Exception) -> OSError:
    """The OSError to report for a compressed stream that failed while it was read
    (zlib.error, EOFError for a truncated file, zstandard.ZstdError): the file is damaged."""
    if isinstance(exc, OSError):
        return exc
    return OSError(0, f"damaged {path.suffix} data ({type(exc).__name__}: {exc})")
