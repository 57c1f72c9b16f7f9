"""The compile cache: checked rule sets kept on disk by the hash of the files they came from.

Loading a rule set parses every file (most of the time of a load) and checks it. A cache
entry keeps the result of both, with the lemmas compiling needs, under a key made of the
paths asked for and the versions of evx and its lemmatizer; the entry lists every file
that was read with the hash of its text, and is used only when each still hashes the same
and the directories asked for hold the same rule files. Anything wrong with an entry
(missing, unreadable, from another version) means a normal load: the cache can make a
load faster, never different. Entries are written to a temporary file and renamed, so a
reader never sees half of one.

The cache trusts its directory: an entry is a pickle, and unpickling runs code. It lives
in the user's own cache directory (``$XDG_CACHE_HOME/evx`` or ``~/.cache/evx``), made
readable by the user only; do not point ``--cache-dir`` at a directory others can write.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from evx.check.result import CheckedRuleSet
from evx.lang.loader import Loaded, digest, expand_rule_paths
from evx.match.compiler import lemmas_needed
from evx.version import __version__

FORMAT = 3  # bump when what an entry holds changes shape (3: named conditions)


def default_dir() -> Path:
    """``$XDG_CACHE_HOME/evx``, else ``~/.cache/evx``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "evx"


def _versions() -> str:
    try:
        lemmatizer = metadata.version("simplemma")
    except metadata.PackageNotFoundError:
        lemmatizer = "?"
    return f"evx {__version__}; simplemma {lemmatizer}; format {FORMAT}"


def _rule_files(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    return [f.resolve().as_posix() for f, _root in expand_rule_paths(paths)]


def _entry(key: Sequence[str | os.PathLike[str]], cache_dir: Path) -> Path:
    asked = "\n".join(
        str(p) if str(p).startswith("--") else Path(p).resolve().as_posix() for p in key
    )
    key = hashlib.sha256(f"{_versions()}\n{asked}".encode()).hexdigest()[:32]
    return cache_dir / f"{key}.pickle"


def fetch(
    key: Sequence[str | os.PathLike[str]],
    cache_dir: Path,
    paths: Sequence[str | os.PathLike[str]] | None = None,
) -> tuple[CheckedRuleSet, dict[str, str]] | None:
    """The checked rule set and its lemmas cached under ``key`` (the paths asked for, and
    any option that changes the result), if still valid for ``paths`` (default: key)."""
    paths = key if paths is None else paths
    try:
        data: Any = pickle.loads(_entry(key, cache_dir).read_bytes())
        if data["versions"] != _versions() or data["rule_files"] != _rule_files(paths):
            return None
        for path, hashed in data["read"]:
            if digest(Path(path).read_text(encoding="utf-8")) != hashed:
                return None
        checked = data["checked"]
        lemmas = data["lemmas"]
    except Exception:  # any unusable entry is a miss: the cache may only make loads faster
        return None
    if not isinstance(checked, CheckedRuleSet) or not isinstance(lemmas, dict):
        return None
    return checked, lemmas


def store(
    key: Sequence[str | os.PathLike[str]],
    loaded: Loaded,
    checked: CheckedRuleSet,
    cache_dir: Path,
    paths: Sequence[str | os.PathLike[str]] | None = None,
) -> None:
    """Keep a checked rule set under ``key`` (see :func:`fetch`); failing to write is not
    an error."""
    paths = key if paths is None else paths
    data = {
        "versions": _versions(),
        "rule_files": _rule_files(paths),
        "read": loaded.read,
        "checked": checked,
        "lemmas": lemmas_needed(checked),
    }
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".entry-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        os.replace(tmp, _entry(key, cache_dir))
    except (OSError, pickle.PicklingError, RecursionError):
        return
