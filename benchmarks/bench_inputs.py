"""The shared benchmark inputs: locate the generators, run them once, cache and load the output.

Every evx benchmark and peer comparison reads the same corpus and pattern sets, produced by
the shared deterministic generators (``shared/bench/corpus.py`` and ``patterns.py``). They
are run with the current interpreter and their output is cached under ``build/bench/``,
keyed by the generator arguments and a digest of the generator scripts and seed articles,
so a changed generator or seed set regenerates instead of reusing stale files.

The shared folder sits beside the repository (``../shared``); set ``EVX_SHARED`` to use
another one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

__all__ = [
    "BUILD",
    "DEFAULT_SIZES",
    "DEFAULT_TOKENS",
    "REPO",
    "CorpusDoc",
    "SharedInputsError",
    "corpus_file",
    "load_corpus",
    "load_shared_module",
    "patterns_dir",
    "patterns_file",
    "shared_dir",
    "spacy_missing_reason",
]

REPO: Final = Path(__file__).resolve().parent.parent
BUILD: Final = REPO / "build" / "bench"
DEFAULT_TOKENS: Final = 100_000
DEFAULT_SIZES: Final = (10, 100, 1000)


class SharedInputsError(RuntimeError):
    """The shared generators cannot be found or failed."""


@attrs.frozen
class CorpusDoc:
    """One document of the shared corpus; ``ntok`` counts spaCy blank-English tokens."""

    id: int
    text: str
    ntok: int


def spacy_missing_reason() -> str | None:
    """Why the benchmarks cannot run without spaCy, or None when it is installed."""
    if importlib.util.find_spec("spacy") is None:
        return (
            "spaCy is not installed: the shared corpus and pattern generators and the peer "
            "matchers need it (pip install -e '.[bench]')"
        )
    return None


def shared_dir() -> Path:
    """The shared folder: ``$EVX_SHARED``, else ``../shared`` beside the repository."""
    env = os.environ.get("EVX_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    if not (path / "bench" / "corpus.py").is_file():
        where = "EVX_SHARED" if env else "the default ../shared beside the repository"
        raise SharedInputsError(
            f"no shared benchmark generators at {path / 'bench'} ({where}); "
            "set EVX_SHARED to the folder holding bench/corpus.py and bench/patterns.py"
        )
    return path


def _digest(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]


def _generator_digest(shared: Path) -> str:
    bench = shared / "bench"
    seeds = sorted((shared / "seeds").glob("*.txt"))
    return _digest([bench / "corpus.py", bench / "patterns.py", *seeds])


def _run(args: Sequence[str]) -> None:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SharedInputsError(
            f"{' '.join(args)} failed with exit code {done.returncode}:\n{done.stderr.strip()}"
        )


def corpus_file(tokens: int = DEFAULT_TOKENS) -> Path:
    """The cached corpus of about ``tokens`` tokens, generated on first use."""
    shared = shared_dir()
    target = BUILD / f"corpus-{tokens}-{_generator_digest(shared)}.jsonl"
    if target.is_file():
        return target
    BUILD.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=BUILD, prefix=".corpus-", suffix=".jsonl")
    os.close(fd)
    try:
        _run([str(shared / "bench" / "corpus.py"), "--tokens", str(tokens), "--out", tmp])
        os.replace(tmp, target)  # atomic: a concurrent or interrupted run never sees half a file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def patterns_dir(sizes: Sequence[int] = DEFAULT_SIZES) -> Path:
    """The cached folder of ``patterns_N.json`` files for ``sizes``, generated on first use."""
    shared = shared_dir()
    key = ",".join(str(n) for n in sorted(set(sizes)))
    target = BUILD / f"patterns-{key.replace(',', '_')}-{_generator_digest(shared)}"
    if all((target / f"patterns_{n}.json").is_file() for n in sizes):
        return target
    BUILD.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=BUILD, prefix=".patterns-"))
    try:
        _run([str(shared / "bench" / "patterns.py"), "--sizes", key, "--out-dir", str(tmp)])
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return target


def patterns_file(n: int, sizes: Sequence[int] = DEFAULT_SIZES) -> Path:
    """The cached ``patterns_N.json`` of the set of ``n`` patterns (``n`` one of ``sizes``)."""
    if n not in sizes:
        raise ValueError(f"{n} is not one of the generated sizes {tuple(sizes)}")
    return patterns_dir(sizes) / f"patterns_{n}.json"


def load_corpus(path: Path) -> list[CorpusDoc]:
    """The documents of a corpus JSONL file, in file order."""
    docs: list[CorpusDoc] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row: dict[str, Any] = json.loads(line)
                docs.append(CorpusDoc(int(row["id"]), str(row["text"]), int(row["ntok"])))
    return docs


def load_shared_module(name: str) -> Any:
    """Import one of the shared generator scripts (``corpus`` or ``patterns``) as a module."""
    bench = shared_dir() / "bench"
    spec = importlib.util.spec_from_file_location(f"evx_shared_bench_{name}", bench / f"{name}.py")
    if spec is None or spec.loader is None:
        raise SharedInputsError(f"cannot import {bench / name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
