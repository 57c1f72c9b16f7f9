"""How the CLI prints diagnostics: paths as the user typed them, as text or as JSON Lines.

Inside evx a rule file is named relative to the directory it was found in (records say
`hostages.rules:release_active`); a terminal or an editor needs the path the user gave
(`rules/hostages.rules`, `/abs/path/x.rules`) to open it. The JSON form is one object per
diagnostic per line, with the fields of :data:`DIAGNOSTIC_SCHEMA` (documented in
docs/authoring.md), for editors and CI.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from evx.errors import Diagnostic, SourcePos
from evx.lang.loader import display_name, expand_rule_paths

DIAGNOSTIC_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "evx diagnostic",
    "type": "object",
    "additionalProperties": False,
    "required": ["file", "line", "col", "end", "code", "severity", "message", "hint", "related"],
    "properties": {
        "file": {"type": ["string", "null"], "description": "the rule file, as given"},
        "line": {"type": ["integer", "null"], "minimum": 1},
        "col": {"type": ["integer", "null"], "minimum": 1},
        "end": {
            "type": ["object", "null"],
            "description": "where the span ends (exclusive column)",
            "additionalProperties": False,
            "required": ["line", "col"],
            "properties": {
                "line": {"type": "integer", "minimum": 1},
                "col": {"type": "integer", "minimum": 1},
            },
        },
        "code": {"type": "string", "pattern": "^[EWDX][0-9]{3}$"},
        "severity": {"enum": ["error", "warning"]},
        "message": {"type": "string"},
        "hint": {"type": ["string", "null"]},
        "related": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["file", "line", "col", "message"],
                "properties": {
                    "file": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "col": {"type": "integer", "minimum": 1},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
"""The JSON Schema of one line of `evx check --format json`."""


def user_paths(paths: Sequence[str | os.PathLike[str]]) -> Callable[[str], str]:
    """Maps a rule file's internal name (relative to its directory) to the path the user
    would type: the file as given, or the directory as given joined with the name (an
    import or a lexicon file found under it). Unknown names are returned as they are."""
    pairs = expand_rule_paths(paths)
    direct: dict[str, str] = {}
    for file, root in pairs:
        direct.setdefault(display_name(file, root), str(file))
    roots = list(dict.fromkeys(root for _file, root in pairs))

    def rename(name: str) -> str:
        found = direct.get(name)
        if found is not None:
            return found
        for root in roots:
            candidate = root / name
            if candidate.exists():
                return str(candidate)
        return name

    return rename


def _where(pos: SourcePos) -> dict[str, Any]:
    return {"file": pos.file, "line": pos.line, "col": pos.column}


def as_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """One diagnostic as the object `--format json` prints (see DIAGNOSTIC_SCHEMA)."""
    pos = diagnostic.pos
    end = None
    if pos is not None and pos.end_line >= pos.line and pos.end_column > 0:
        end = {"line": pos.end_line, "col": pos.end_column}
    return {
        "file": pos.file if pos else None,
        "line": pos.line if pos else None,
        "col": pos.column if pos else None,
        "end": end,
        "code": diagnostic.code,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
        "related": [{**_where(r.pos), "message": r.message} for r in diagnostic.related],
    }


def print_diagnostics(
    diagnostics: Iterable[Diagnostic],
    out: TextIO,
    rename: Callable[[str], str] | None = None,
    fmt: str = "text",
) -> None:
    """Print diagnostics, their paths renamed, as text blocks or as JSON Lines."""
    for diagnostic in diagnostics:
        shown = diagnostic.with_file(rename) if rename is not None else diagnostic
        if fmt == "json":
            print(json.dumps(as_json(shown), ensure_ascii=False), file=out)
        else:
            print(shown.render(), file=out)
