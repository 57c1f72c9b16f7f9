"""A naive pure-Python token matcher with a first-token index: the simplest credible peer.

It is what one would write in an afternoon without an automaton: a dict from each
pattern's possible first token (lower-cased) to the patterns that can start with it, and a
plain backtracking walk over the token list at every position where an indexed pattern's
first token occurs. Patterns whose first token is a gap, a regex or an optional token
(``?`` or ``*``) can start anywhere: they sit in an "any first token" list tried at every
position (a required first regex is tested before the walk starts, the one shortcut).

It reads the shared generator's neutral patterns directly (no translation) and runs on
pre-made token lists (the lower-cased forms and the texts, for example of spaCy's
tokenization). Like spaCy's ``Matcher`` without ``greedy`` it reports every match of
every length: ``(pattern index, start, end)`` for each distinct end reachable from each
start, so on the same tokens the two report the same spans.

=============================  =================================================
neutral token                  test on token ``i``
=============================  =================================================
``{"lower": w}``               ``lowers[i] == w``
``{"lower_in": [...]}``        ``lowers[i] in set(...)``
``{"text_regex": r}``          ``re.search(r, texts[i])``
``{"gap": [m, n]}``            any token, ``m`` to ``n`` times
``"op": "?"|"+"|"*"``          the test repeated 0-1, 1-inf, 0-inf times
=============================  =================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

__all__ = ["NaiveIndex", "compile_pattern"]

# element kinds: what one step of a pattern tests on a token
ANY: Final = 0
LOWER: Final = 1
LOWER_IN: Final = 2
REGEX: Final = 3

UNBOUNDED: Final = 1 << 30
_OPS: Final = {None: (1, 1), "?": (0, 1), "+": (1, UNBOUNDED), "*": (0, UNBOUNDED)}

Element = tuple[int, Any, int, int]
"""(kind, value, min repeats, max repeats); value: a word, a frozenset, a ``re`` search."""


def compile_pattern(tokens: Sequence[Mapping[str, Any]]) -> tuple[Element, ...]:
    """The elements of one neutral pattern, in order."""
    out: list[Element] = []
    for token in tokens:
        if "gap" in token:
            lo, hi = token["gap"]
            out.append((ANY, None, int(lo), int(hi)))
            continue
        op = token.get("op")
        if op not in _OPS:
            raise ValueError(f"unknown quantifier {op!r} in {token!r}")
        lo, hi = _OPS[op]
        if "lower" in token:
            out.append((LOWER, str(token["lower"]), lo, hi))
        elif "lower_in" in token:
            out.append((LOWER_IN, frozenset(str(w) for w in token["lower_in"]), lo, hi))
        elif "text_regex" in token:
            search: Callable[[str], object] = re.compile(str(token["text_regex"])).search
            out.append((REGEX, search, lo, hi))
        else:
            raise ValueError(f"unknown neutral token: {token!r}")
    if not out:
        raise ValueError("a pattern needs at least one token")
    return tuple(out)


def _first_words(elements: tuple[Element, ...]) -> frozenset[str] | None:
    """The lower forms a match must start with, or None when it can start on any token."""
    kind, value, lo, _hi = elements[0]
    if lo == 0:
        return None  # optional first token: the match may start on the second element
    if kind == LOWER:
        return frozenset((value,))
    if kind == LOWER_IN:
        return frozenset(value)
    return None  # a gap or a regex


class NaiveIndex:
    """First-token index over a pattern set, matched by backtracking at each candidate."""

    def __init__(self, patterns: Sequence[Mapping[str, Any]]) -> None:
        self.ids: list[str] = [str(p["id"]) for p in patterns]
        self.programs: list[tuple[Element, ...]] = [compile_pattern(p["tokens"]) for p in patterns]
        self.by_first: dict[str, list[int]] = {}
        self.any_first: list[int] = []
        # the first token's regex when it is required (no ? or *): tested before the walk
        self.first_regex: list[Callable[[str], object] | None] = [
            e[0][1] if e[0][0] == REGEX and e[0][2] >= 1 else None for e in self.programs
        ]
        for k, elements in enumerate(self.programs):
            words = _first_words(elements)
            if words is None:
                self.any_first.append(k)
            else:
                for word in sorted(words):
                    self.by_first.setdefault(word, []).append(k)

    def __len__(self) -> int:
        return len(self.programs)

    def match(self, lowers: Sequence[str], texts: Sequence[str]) -> list[tuple[int, int, int]]:
        """Every ``(pattern index, start, end)`` match in one token list, by start."""
        found: list[tuple[int, int, int]] = []
        n = len(lowers)
        by_first, any_first, programs = self.by_first, self.any_first, self.programs
        first_regex = self.first_regex
        ends: set[int] = set()
        for start in range(n):
            indexed = by_first.get(lowers[start])
            for candidates in (indexed, any_first):
                if not candidates:
                    continue
                for k in candidates:
                    search = first_regex[k]
                    if search is not None and not search(texts[start]):
                        continue  # cheap early reject: a required first regex token fails
                    _walk(programs[k], 0, start, lowers, texts, n, ends)
                    if ends:
                        for end in sorted(ends):
                            if end > start:  # never an empty match
                                found.append((k, start, end))
                        ends.clear()
        return found


def _walk(
    elements: tuple[Element, ...],
    k: int,
    pos: int,
    lowers: Sequence[str],
    texts: Sequence[str],
    n: int,
    ends: set[int],
) -> None:
    """Add to ``ends`` every end of ``elements[k:]`` matched from ``pos`` (backtracking)."""
    if k == len(elements):
        ends.add(pos)
        return
    kind, value, lo, hi = elements[k]
    limit = n if hi >= n - pos else pos + hi
    j = pos
    if kind == ANY:
        j = limit
    elif kind == LOWER:
        while j < limit and lowers[j] == value:
            j += 1
    elif kind == LOWER_IN:
        while j < limit and lowers[j] in value:
            j += 1
    else:
        while j < limit and value(texts[j]):
            j += 1
    # every repeat count from the most to the fewest allowed: the walk tries them all
    for stop in range(j, pos + lo - 1, -1):
        _walk(elements, k + 1, stop, lowers, texts, n, ends)
