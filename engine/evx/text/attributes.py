"""The token attributes rules can test, and the per-word ones computed and memoised by word.

This module is the one list of attribute names: :data:`STRING_ATTRIBUTES` every document
holds (``[lemma=free]``), :data:`FLAGS` computed from the word on first use (``[punct]``),
and :data:`SUPPLIED_ATTRIBUTES` a caller passes in (``Document.from_tokens(pos=...)``, spaCy).
The checker accepts exactly these names and the document serves exactly these columns.

A document computes its string columns with ``list(map(CACHE.__getitem__, words))``:
a hit is one C-level dict lookup, and a miss computes the value once for the process.
The attributes are the folded lower-case form, the lemma (simplemma, English, data shipped
inside the package, loaded on first use), the spaCy-style shape, and the boolean flags
``punct``, ``num``, ``digit``, ``alpha``, ``title`` and ``upper``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Final, TypeVar

import simplemma

__all__ = [
    "FLAGS",
    "FLAG_NAMES",
    "LEMMAS",
    "LOWER",
    "SHAPES",
    "STRING_ATTRIBUTES",
    "SUPPLIED_ATTRIBUTES",
    "WordCache",
    "flag_column",
    "fold_lower",
    "is_num",
    "is_punct",
    "is_title",
    "lemmatize",
    "word_shape",
]

_V = TypeVar("_V")


def _words(spaced: str) -> frozenset[str]:
    """The set of the space-separated words of ``spaced`` (keeps word tables readable)."""
    return frozenset(spaced.split())


# Curly apostrophes and quotes fold to straight ones so that rules written with "'"
# match text typed with "’" (and the reverse).
_FOLD: Final = str.maketrans({"’": "'", "‘": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})

# simplemma looks words up after UTF-8 encoding them, so a lone surrogate would raise;
# words without letters, or longer than any dictionary entry, have no lemma but themselves.
_LEMMA_MAX_LEN: Final = 40
_HAS_LETTER: Final = re.compile(r"[^\W\d_]")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")

# Words read as numbers besides digits: cardinals and the scale words a count is built
# from ("three", "dozen", "2.3 million"), plus the plural scales that stand for a count on
# their own ("thousands of people", "dozens of hostages"). Ordinals are not numbers here:
# "second" is as often a unit of time or a verb.
_NUMBER_WORDS: Final = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion dozen "
    "hundreds thousands millions billions trillions dozens"
)
_NUMERIC: Final = re.compile(r"[+\-±~]?(?:\d+(?:[.,]\d+)*|\d+/\d+|[.,]\d+)")


def fold_lower(word: str) -> str:
    """Lower-case ``word`` and fold curly apostrophes and quotes to straight ones."""
    return word.lower().translate(_FOLD)


def lemmatize(lower: str) -> str:
    """The lower-case English lemma of an already lower-cased word (``freed`` → ``free``)."""
    if len(lower) > _LEMMA_MAX_LEN or _HAS_LETTER.search(lower) is None:
        return lower
    if not lower.isascii() and _SURROGATE.search(lower) is not None:
        return lower
    # simplemma restores capitals for proper nouns ("gaza" → "Gaza"); the column is lower.
    return str(simplemma.lemmatize(lower, lang="en")).lower()


def word_shape(word: str) -> str:
    """spaCy-style shape: ``X``/``x``/``d`` per upper/lower/digit, other characters kept,
    runs of one symbol cut to four (``28,000`` → ``dd,ddd``, ``Netanyahu`` → ``Xxxxx``)."""
    out: list[str] = []
    last = ""
    run = 0
    for ch in word:
        if ch.isalpha():
            sym = "X" if ch.isupper() else "x"
        elif ch.isdigit():
            sym = "d"
        else:
            sym = ch
        if sym == last:
            run += 1
        else:
            last = sym
            run = 0
        if run < 4:
            out.append(sym)
    return "".join(out)


def is_punct(word: str) -> bool:
    """True when every character is punctuation or a symbol (Unicode P* or S*)."""
    return bool(word) and all(unicodedata.category(ch)[0] in "PS" for ch in word)


def is_num(word: str) -> bool:
    """True for words that read as a number: ``28,000``, ``1.4``, ``70``, ``1/2``, ``three``,
    ``dozen``, ``million``, ``twenty-five``."""
    if _NUMERIC.fullmatch(word) is not None:
        return True
    lower = word.lower()
    if lower in _NUMBER_WORDS:
        return True
    if "-" in lower:
        return all(part in _NUMBER_WORDS for part in lower.split("-"))
    return False


def is_title(word: str) -> bool:
    """True when the first character is upper case and the rest is not all upper case."""
    return word[:1].isupper() and not word[1:].isupper()


class WordCache(dict[str, _V]):
    """A word → value memo that computes misses with ``compute`` and stays bounded.

    Bounded because a long-running process sees an open vocabulary; when full it starts
    over, which costs one recomputation per word still in use.
    """

    __slots__ = ("compute", "max_size")

    def __init__(self, compute: Callable[[str], _V], max_size: int = 500_000) -> None:
        super().__init__()
        self.compute = compute
        self.max_size = max_size

    def __missing__(self, word: str) -> _V:
        if len(self) >= self.max_size:
            self.clear()
        value = self.compute(word)
        self[word] = value
        return value


LOWER: Final[WordCache[str]] = WordCache(fold_lower)
"""word → folded lower form."""
LEMMAS: Final[WordCache[str]] = WordCache(lemmatize)
"""folded lower form → lemma."""
SHAPES: Final[WordCache[str]] = WordCache(word_shape)
"""word → shape."""

STRING_ATTRIBUTES: Final = ("text", "lower", "lemma", "shape")
"""The string columns every document holds, tested as ``[lemma=free]`` or ``[shape=dd]``."""

SUPPLIED_ATTRIBUTES: Final = ("pos", "tag", "ent", "dep", "ent_type", "ent_iob", "morph")
"""String columns only a caller can supply (``Document.from_tokens(pos=...)``, spaCy: ``ent``
and ``ent_type`` are the entity type, ``ent_iob`` B, I or O, ``morph`` spaCy's features as
``Number=Plur|Person=3``); a rule that tests one fails a document without it (D003) instead
of never matching. Rule files declare any other column with ``external attribute``."""

FLAGS: Final[Mapping[str, Callable[[str], bool]]] = MappingProxyType(
    {
        "punct": WordCache(is_punct).__getitem__,
        "num": WordCache(is_num).__getitem__,
        "digit": str.isdigit,
        "alpha": str.isalpha,
        "title": WordCache(is_title).__getitem__,
        "upper": str.isupper,
    }
)
"""The boolean flags rules test bare (``[punct]``), each a word -> bool test: a new flag is
one entry here. Cheap ones are str methods; the others are memoised by word."""

FLAG_NAMES: Final = tuple(FLAGS)
"""The names of the boolean flag columns, in the order messages list them."""


def flag_column(name: str, words: Sequence[str]) -> tuple[bool, ...]:
    """The flag ``name`` (one of :data:`FLAGS`) for each word; ``KeyError`` otherwise."""
    return tuple(map(FLAGS[name], words))
