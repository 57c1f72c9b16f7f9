"""Decide where sentences begin in a token sequence, from the tokens and the text between them.

A sentence ends

* at ``.``, ``!``, ``?``, ``…`` or ``...``, after any closing quotes and brackets stuck to it,
  when whitespace follows and then an upper-case letter, a digit, or an opening quote or
  bracket — except when a quotation ending in ``?`` or ``!`` is attributed right after it
  (``“Are you ready?” Biden asked.``);
* after an abbreviation or acronym that keeps its period (``U.S.``, ``Inc.``, ``J.``) only
  when a typical sentence opener follows (``... in the U.S. The talks``, not
  ``U.S. President Joe Biden``); never after a title (``Gen.``, ``Mr.``, ``No.``), and never
  after a month before a number (``Oct. 7``);
* at a blank line (a paragraph break), always;
* at a single line break, unless the next line starts with a lower-case letter (a
  hard-wrapped line), so that headlines and datelines without final punctuation stand alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Final

from evx.text.tokenizer import MONTH_ABBREVIATIONS, TITLE_ABBREVIATIONS

__all__ = [
    "MAX_SENTENCE_TOKENS",
    "SENTENCE_OPENERS",
    "cut_long",
    "ranges_from_starts",
    "sentence_of",
    "split_sentences",
]

MAX_SENTENCE_TOKENS: Final = 5_000
"""Longer sentences are cut into pieces of this many tokens, and the cut is reported.
Real sentences are far shorter; a longer one is a table, a list or text without
punctuation, where a pattern spanning the whole would find nothing meant."""


def _words(spaced: str) -> frozenset[str]:
    """The set of the space-separated words of ``spaced`` (keeps word tables readable)."""
    return frozenset(spaced.split())


# Capitalised words that typically open a sentence and rarely follow "U.S." or "Inc." inside
# one; compared lower-cased.
SENTENCE_OPENERS: Final = _words(
    "the a an he she it they we i you but and or so yet nor in on at of for to from with by "
    "as after before when while if since though although because until unless once "
    "this that those these his her their its our my your there here "
    "meanwhile however still also then now later earlier instead thus yes no not "
    "what who whom why how where which some many most much more other others another each "
    "both all few several such no neither either nothing none"
)

# Characters that can end a sentence, and the tokens made only of them.
_END_CHARS: Final = frozenset(".!?…")
# Closers may follow the final punctuation, stuck to it: ."  .”  .)  ?’
_CLOSERS: Final = frozenset({'"', "”", "’", "'", ")", "]", "}", "»", "›"})
# Openers may start the next sentence: “We ...  (The ...
_OPENERS: Final = frozenset({'"', "“", "‘", "'", "(", "[", "«", "‹", "„"})
# Attribution verbs that keep a quoted question or exclamation in its sentence.
_SPEECH_VERBS: Final = _words(
    "said says asked asks told added wrote writes shouted replied tweeted posted "
    "declared insisted warned"
)
_ATTRIBUTION_WINDOW: Final = 5

_LINE_BREAK: Final = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# A run of whitespace that starts at a line break: everything up to the next non-space.
_BREAK_RUN: Final = re.compile(rf"[{_LINE_BREAK}]\s*")
# One line break, "\r\n" counting once; a paragraph separator counts as two.
_ONE_BREAK: Final = re.compile(rf"\r\n|[{_LINE_BREAK}]")


def split_sentences(
    text: str, starts: Sequence[int], ends: Sequence[int], words: Sequence[str]
) -> list[tuple[int, int]]:
    """Split the tokens into sentences; return ``[start, end)`` token index ranges.

    ``starts``/``ends`` are the tokens' character offsets in ``text`` and ``words`` their
    text. The ranges cover every token in order and none is empty.
    """
    n = len(words)
    boundaries = _line_break_boundaries(text, starts, words)
    for i, word in enumerate(words):
        if word[-1:] in _END_CHARS:
            j = _punctuation_boundary(i, word, starts, ends, words)
            if j:
                boundaries.add(j)
    boundaries.discard(0)
    return ranges_from_starts(boundaries, n)


def ranges_from_starts(sentence_starts: Iterable[int], n: int) -> list[tuple[int, int]]:
    """Turn sentence start indices (any order, duplicates allowed, ``0`` implied) into
    ``[start, end)`` ranges covering ``n`` tokens; ``ValueError`` for an index outside
    ``0..n-1``."""
    cuts = sorted(set(sentence_starts))
    if cuts and (cuts[0] < 0 or cuts[-1] >= n) and not (n == 0 and cuts == [0]):
        bad = cuts[0] if cuts[0] < 0 else cuts[-1]
        raise ValueError(f"sentence start {bad} is outside the token range 0..{n - 1}")
    if n == 0:
        return []
    if not cuts or cuts[0] != 0:
        cuts.insert(0, 0)
    cuts.append(n)
    return [(cuts[k], cuts[k + 1]) for k in range(len(cuts) - 1)]


def sentence_of(sentences: Sequence[tuple[int, int]]) -> list[int]:
    """Map each token index to the index of its sentence."""
    out: list[int] = []
    for k, (s, e) in enumerate(sentences):
        out.extend([k] * (e - s))
    return out


def _line_break_boundaries(text: str, starts: Sequence[int], words: Sequence[str]) -> set[int]:
    """Token indices that begin a sentence because of a line break before them."""
    found: set[int] = set()
    n = len(starts)
    if n < 2:
        return found
    lo = starts[1]
    hi = starts[-1]
    for m in _BREAK_RUN.finditer(text, starts[0], hi):
        # The first token at or after the end of the whitespace run follows the break.
        j = bisect_left(starts, m.end(), 1)
        if j >= n or starts[j] < lo:
            continue
        run = m.group()
        if "\u2029" in run or len(_ONE_BREAK.findall(run)) >= 2 or not words[j][0].islower():
            found.add(j)
    return found


def _punctuation_boundary(
    i: int, word: str, starts: Sequence[int], ends: Sequence[int], words: Sequence[str]
) -> int:
    """If the token ``i`` (which ends in ``.``, ``!``, ``?`` or ``…``) ends a sentence,
    return the index of the token that starts the next one; otherwise 0."""
    n = len(words)
    j = i + 1
    while j < n and words[j] in _CLOSERS and starts[j] == ends[j - 1]:
        j += 1
    if j >= n or starts[j] == ends[j - 1]:
        # End of text, or no whitespace after: "Gaza.The", "2.3" split oddly, "...”he".
        return 0
    nxt = words[j]
    first = nxt[0]
    if word.strip(".!?…") == "":
        if not (first.isupper() or first.isdigit() or nxt in _OPENERS):
            return 0
        if word[-1] in "?!" and j > i + 1 and _attributed(j, words):
            return 0
        return j
    if word[-1] != ".":
        # "Yahoo!" from a caller's tokenizer: not a sentence end by itself.
        return 0
    if word in TITLE_ABBREVIATIONS:
        return 0
    if word in MONTH_ABBREVIATIONS and first.isdigit():
        return 0
    # Acronyms, initials and the remaining abbreviations: only before a sentence opener.
    if nxt in _OPENERS:
        if j + 1 < n and words[j + 1][0].isupper():
            return j
        return 0
    if first.isupper() and nxt.lower() in SENTENCE_OPENERS:
        return j
    return 0


def _attributed(j: int, words: Sequence[str]) -> bool:
    """True when a speech verb follows within a few words of token ``j``, before any
    punctuation: ``“Why?” the official asked``."""
    for k in range(j, min(j + _ATTRIBUTION_WINDOW, len(words))):
        w = words[k]
        if w.lower() in _SPEECH_VERBS:
            return True
        if not w[0].isalnum():
            return False
    return False


def cut_long(
    ranges: Sequence[tuple[int, int]], limit: int | None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The ranges with every one longer than ``limit`` tokens cut into pieces of at most
    ``limit``, and the ranges that were cut; ``limit`` None cuts nothing."""
    if limit is None or all(e - s <= limit for s, e in ranges):
        return list(ranges), []
    if limit < 1:
        raise ValueError(f"a sentence limit must be at least 1 token, not {limit}")
    out: list[tuple[int, int]] = []
    cut: list[tuple[int, int]] = []
    for s, e in ranges:
        if e - s > limit:
            cut.append((s, e))
            out.extend((p, min(p + limit, e)) for p in range(s, e, limit))
        else:
            out.append((s, e))
    return out, cut
