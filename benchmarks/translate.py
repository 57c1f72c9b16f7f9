"""Translate the shared benchmark's neutral JSON patterns into evx `.rules` text.

The shared generator (``shared/bench/patterns.py``) writes token patterns in a neutral form
and translates them for spaCy's ``Matcher`` itself; this module is the evx side:

=============================  =================================================
neutral token                  evx
=============================  =================================================
``{"lower": "hostages"}``      ``"hostages"`` (``[lower="..."]`` when evx's
                               tokenizer would split the word into several tokens)
``{"lower_in": ["a", "b"]}``   ``[lower in {"a", "b"}]`` (quoted entries: exact
                               lower-cased match, no lemmas)
``{"text_regex": "^\\d+$"}``   ``[text=/^\\d+$/]`` (``/`` escaped)
``{"gap": [0, 3]}``            ``[]{0,3}``
``"op": "?"|"+"|"*"``          the same quantifier on that token
=============================  =================================================

A pattern set becomes one event type without fields (``overlap: each``, so overlapping
matches of different rules are all kept) and one rule per pattern, named after its id.

Run as a script to print the rules of a pattern file::

    python benchmarks/translate.py build/bench/patterns-.../patterns_100.json > bench.rules
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from evx.text.tokenizer import words_of

__all__ = ["EVENT_TYPE", "load_patterns", "pattern_text", "token_text", "translate"]

EVENT_TYPE: Final = "Bench"
"""The event type every translated rule produces."""

_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPS: Final = frozenset({"?", "+", "*"})
_OVERLAPS: Final = ("each", "all", "longest", "leftmost", "first")

Pattern = Mapping[str, Any]


def quote(text: str) -> str:
    """A rule-language string literal for `text` (backslashes and quotes escaped)."""
    if "\n" in text or "\r" in text:
        raise ValueError(f"cannot write a line break in a rule string: {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def regex_literal(pattern: str) -> str:
    """A rule-language `/regex/` for a Python regex: unescaped slashes get a backslash."""
    if "\n" in pattern or "\r" in pattern:
        raise ValueError(f"cannot write a line break in a rule regex: {pattern!r}")
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        out.append("\\/" if ch == "/" else ch)
        i += 1
    return "/" + "".join(out) + "/"


def token_text(token: Mapping[str, Any]) -> str:
    """The evx pattern text of one neutral token (with its quantifier, if any)."""
    if "gap" in token:
        lo, hi = token["gap"]
        if "op" in token:
            raise ValueError(f"a gap takes no quantifier: {token!r}")
        return f"[]{{{int(lo)},{int(hi)}}}"
    if "lower" in token:
        word = str(token["lower"])
        # a quoted literal is split by the document tokenizer; keep one neutral token as
        # exactly one evx token so that positions line up with the other engines
        text = quote(word) if words_of(word) == [word] else f"[lower={quote(word)}]"
    elif "lower_in" in token:
        words = [str(w) for w in token["lower_in"]]
        if not words:
            raise ValueError(f"empty lower_in list: {token!r}")
        text = "[lower in {" + ", ".join(quote(w) for w in words) + "}]"
    elif "text_regex" in token:
        text = f"[text={regex_literal(str(token['text_regex']))}]"
    else:
        raise ValueError(f"unknown neutral token: {token!r}")
    op = token.get("op")
    if op is None:
        return text
    if op not in _OPS:
        raise ValueError(f"unknown quantifier {op!r} in {token!r}")
    return text + str(op)


def pattern_text(pattern: Pattern) -> str:
    """The evx pattern (the text after `match:`) of one neutral pattern."""
    tokens = pattern["tokens"]
    if not tokens:
        raise ValueError(f"pattern {pattern.get('id')!r} has no tokens")
    return " ".join(token_text(t) for t in tokens)


def translate(
    patterns: Sequence[Pattern], event_type: str = EVENT_TYPE, overlap: str = "each"
) -> str:
    """A complete `.rules` file: one field-less event type and one rule per pattern.

    ``overlap`` is the event type's match mode: ``each`` (the default: the preferred match
    at every start of every rule, exact duplicates dropped), ``all`` (every span by any
    path, as spaCy's Matcher reports), ``longest``, ``leftmost`` or ``first``.
    """
    if not _NAME.fullmatch(event_type):
        raise ValueError(f"not a rule-language name: {event_type!r}")
    if overlap not in _OVERLAPS:
        raise ValueError(f"unknown match mode {overlap!r} (expected one of {_OVERLAPS})")
    lines = [
        "# generated by benchmarks/translate.py from the shared neutral patterns",
        f"event {event_type} {{ overlap: {overlap} }}",
        "",
    ]
    seen: set[str] = set()
    for pattern in patterns:
        name = str(pattern["id"])
        if not _NAME.fullmatch(name):
            raise ValueError(f"pattern id {name!r} is not a rule-language name")
        if name in seen:
            raise ValueError(f"duplicate pattern id {name!r}")
        seen.add(name)
        lines.append(f"rule {name} -> {event_type} {{ match: {pattern_text(pattern)} }}")
    return "\n".join(lines) + "\n"


def load_patterns(path: str | Path) -> list[dict[str, Any]]:
    """The patterns of one `patterns_N.json` file written by the shared generator."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of patterns")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Translate neutral JSON patterns to evx rules.")
    parser.add_argument("patterns", type=Path, help="a patterns_N.json file")
    parser.add_argument("--event", default=EVENT_TYPE, help="event type name (default: Bench)")
    parser.add_argument("-o", "--out", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)
    text = translate(load_patterns(args.patterns), args.event)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
