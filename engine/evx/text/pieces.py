"""Where a document too long to process whole is cut: paragraph, sentence or space bounds.

A document's tokens, sentences and matching state take memory in proportion to its
length (about 2.5 KB per token on a long unpunctuated text), so a 10 MB page without a
newline would need gigabytes. Longer than ``max_chars``, a text is read as consecutive
pieces of at most that many characters, each cut at the last paragraph break before the
limit, else the last sentence end, else the last space (a text with none of them is cut
at the limit). Each piece is a Document over the same text, so every offset still
indexes the whole text; no match, story or ``document()`` window crosses a cut.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MAX_DOCUMENT_CHARS", "piece_bounds"]

MAX_DOCUMENT_CHARS: Final = 1_000_000
"""The default longest document read whole (``--max-document-chars``)."""

_PARAGRAPH: Final = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END: Final = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE: Final = re.compile(r"\s+")


def _last_cut(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """The end of the last match of ``pattern`` in the second half of [lo, hi), if any
    (a cut in the first half would make needlessly many pieces)."""
    last = None
    for m in pattern.finditer(text, lo + (hi - lo) // 2, hi):
        last = m.end()
    return last if last is not None and last < hi else None


def piece_bounds(text: str, max_chars: int | None) -> list[tuple[int, int]]:
    """The (start, end) character bounds of the pieces ``text`` is read in: one piece,
    the whole text, when it is at most ``max_chars`` long (or ``max_chars`` is None)."""
    n = len(text)
    if max_chars is None or n <= max_chars:
        return [(0, n)]
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, not {max_chars}")
    bounds: list[tuple[int, int]] = []
    lo = 0
    while n - lo > max_chars:
        hi = lo + max_chars
        cut = (
            _last_cut(_PARAGRAPH, text, lo, hi)
            or _last_cut(_SENTENCE_END, text, lo, hi)
            or _last_cut(_SPACE, text, lo, hi)
            or hi
        )
        bounds.append((lo, cut))
        lo = cut
    bounds.append((lo, n))
    return bounds
