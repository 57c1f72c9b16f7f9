"""What a caller hands a document beside its words: columns, flag overrides, outside mentions.

:meth:`Document.from_tokens <evx.text.document.Document.from_tokens>` and the spaCy bridge
pass their annotations through here, so every way in checks them alike: one entry per
word, flags that are booleans, mentions that are ``(label, start, end)`` token ranges
(``end`` exclusive) inside the document. A supplied lemma column that is only the
lower-cased words is recognised here too (:func:`lemmas_look_lowered`), because it would
otherwise switch lemma matching off without a word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from evx.text.attributes import FLAGS, LEMMAS, STRING_ATTRIBUTES

__all__ = [
    "MentionSpan",
    "check_length",
    "cut_offsets",
    "lemmas_look_lowered",
    "parse_heads",
    "spaced_text",
    "split_columns",
    "supplied_mentions",
]

MentionSpan = tuple[str, int, int, str | None]
"""An outside mention: its label, first token, token after its last, and value (or None)."""

_BUILT_IN: Final = frozenset(STRING_ATTRIBUTES)
_MIN_INFLECTED: Final = 3  # words whose lemma differs from their lower form, before judging


def check_length(name: str, values: Sequence[Any], n: int) -> None:
    """Raise ``ValueError`` unless a caller-supplied column has one entry per word."""
    if len(values) != n:
        raise ValueError(f"from_tokens: {name} has {len(values)} entries but there are {n} words")


def split_columns(
    columns: Mapping[str, Sequence[object]], n: int
) -> tuple[dict[str, tuple[object, ...]], dict[str, tuple[bool, ...]]]:
    """The caller's columns split into extra columns and overrides of the built-in flags.

    Any name but the built-in string columns is accepted; a flag (``punct``, ``alpha``,
    ``num``, ...) must hold booleans. Raises ``ValueError`` for a built-in string column,
    a column of the wrong length, or a flag with a value that is not a bool.
    """
    extra: dict[str, tuple[object, ...]] = {}
    flags: dict[str, tuple[bool, ...]] = {}
    for name, values in columns.items():
        if name in _BUILT_IN:
            raise ValueError(
                f"from_tokens: {name!r} is a built-in column and cannot be supplied; "
                "pass lemmas as lemma=, other annotations under another name"
            )
        check_length(name, values, n)
        if name in FLAGS:
            bad = next((i for i, v in enumerate(values) if not isinstance(v, bool)), None)
            if bad is not None:
                raise ValueError(
                    f"from_tokens: {name} overrides a built-in flag and must hold booleans; "
                    f"entry {bad} is {values[bad]!r}"
                )
            flags[name] = tuple(values)  # type: ignore[arg-type]
        else:
            extra[name] = tuple(values)
    return extra, flags


def supplied_mentions(mentions: Iterable[Sequence[object]], n: int) -> tuple[MentionSpan, ...]:
    """Outside mentions as ``(label, start, end, value)``, checked and in document order.

    Each item is ``(label, start, end)`` or ``(label, start, end, value)`` with token
    offsets, ``end`` exclusive, and a str (or None) value. Raises ``ValueError`` for
    anything else, naming the item.
    """
    out: list[MentionSpan] = []
    for k, item in enumerate(mentions):
        if len(item) not in (3, 4):
            raise ValueError(
                f"from_tokens: mention {k} is {tuple(item)!r}; give (label, start, end) "
                "or (label, start, end, value)"
            )
        label, start, end = item[0], item[1], item[2]
        value = item[3] if len(item) == 4 else None
        if not isinstance(label, str) or not label:
            raise ValueError(f"from_tokens: mention {k} has label {label!r}; labels are names")
        if (
            not isinstance(start, int)
            or not isinstance(end, int)
            or isinstance(start, bool)
            or isinstance(end, bool)
            or not 0 <= start < end <= n
        ):
            raise ValueError(
                f"from_tokens: mention {k} ({label}) covers tokens [{start!r}, {end!r}); "
                f"it needs 0 <= start < end <= {n} (token offsets, end exclusive)"
            )
        if value is not None and not isinstance(value, str):
            raise ValueError(f"from_tokens: mention {k} ({label}) has value {value!r}; use a str")
        out.append((label, start, end, value))
    out.sort(key=lambda m: (m[1], -m[2], m[0]))
    return tuple(out)


def cut_offsets(
    text: str, words: Sequence[str], offsets: Sequence[int]
) -> tuple[list[int], list[int]]:
    """Each word's start and end in ``text``, checked: the words are where ``offsets`` say,
    in order, without overlapping. Raises ``ValueError`` naming the first that is not."""
    check_length("offsets", offsets, len(words))
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for i, (word, start) in enumerate(zip(words, offsets, strict=True)):
        if start < last or text[start : start + len(word)] != word:
            raise ValueError(
                f"from_tokens: word {i} ({word!r}) is not at offset {start} of the text "
                "(or overlaps the word before)"
            )
        last = start + len(word)
        starts.append(start)
        ends.append(last)
    return starts, ends


def parse_heads(heads: Sequence[int], n: int) -> tuple[int, ...]:
    """Each token's head as a token index, a root its own head (-1 is read as the root).
    Raises ``ValueError`` for a head that is not an index of the document."""
    check_length("heads", heads, n)
    out: list[int] = []
    for i, head in enumerate(heads):
        if head == -1:
            head = i
        if not isinstance(head, int) or isinstance(head, bool) or not 0 <= head < n:
            raise ValueError(f"from_tokens: the head of token {i} is {head!r}, not a token index")
        out.append(head)
    return tuple(out)


def spaced_text(words: Sequence[str], spaces: Sequence[bool]) -> tuple[str, list[int], list[int]]:
    """The text of words joined with one space after each whose ``spaces`` entry is true,
    and each word's start and end in it."""
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    pos = 0
    for word, space in zip(words, spaces, strict=True):
        starts.append(pos)
        pos += len(word)
        ends.append(pos)
        pieces.append(word)
        if space:
            pieces.append(" ")
            pos += 1
    return "".join(pieces), starts, ends


def lemmas_look_lowered(lower: Sequence[str], lemma: Sequence[str]) -> bool:
    """True when a supplied lemma column is just the lower-cased words: the document has
    words evx would lemmatize differently, and the column leaves every one of them as is."""
    inflected = [i for i, word in enumerate(lower) if LEMMAS[word] != word]
    if len(inflected) < _MIN_INFLECTED:
        return False
    return all(lemma[i] == lower[i] for i in inflected)
