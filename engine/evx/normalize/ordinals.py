"""Ordinals: the ``ordinal`` normalizer ("the second phase" -> 2).

Two shapes: an ordinal before an optional stage noun ("second phase", "2nd stage",
"initial phase") and a stage noun before a cardinal or Roman numeral ("phase two",
"phase 2", "Phase II"). Relative positions ("final", "last", "next") and counts of
phases ("three-phased") have no number and give None.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import pyparsing as pp

from evx.normalize.numbers import (
    BELOW_100,
    CARDINAL_START,
    HYPHEN,
    TENS,
    clean,
    keywords,
    parse_value,
    phrases,
    whole,
)

__all__ = ["ordinal"]

_ORDINAL_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_ORDINAL_WORDS = {
    **_ORDINAL_UNITS,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    # words that name the first position without a number
    "initial": 1,
    "opening": 1,
}
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_STAGE_NOUNS = [
    "phase",
    "phases",
    "stage",
    "stages",
    "part",
    "parts",
    "round",
    "rounds",
    "step",
    "steps",
    "tranche",
    "tranches",
    "leg",
    "legs",
    "wave",
    "waves",
    "segment",
    "segments",
    "batch",
    "batches",
]


def _total(toks: pp.ParseResults) -> Fraction:
    return sum(toks, Fraction(0))


def _digits(toks: pp.ParseResults) -> Fraction:
    return Fraction(int(toks[0]))


_COMPOUND = (TENS + pp.Opt(HYPHEN) + keywords(_ORDINAL_UNITS)).set_parse_action(_total)
_ORDINAL_DIGITS = (
    pp.Regex(r"([0-9]{1,3})(?=(?:st|nd|rd|th)(?![0-9a-z_]))").set_parse_action(_digits)
    + pp.Regex(r"st|nd|rd|th").suppress()
)
ORDINAL_VALUE = (_COMPOUND | keywords(_ORDINAL_WORDS) | _ORDINAL_DIGITS).set_name("ordinal")
"""An ordinal word or number: "second", "twenty-first", "3rd", "initial"."""

_STAGE = pp.one_of(_STAGE_NOUNS, as_keyword=True).suppress()
_STAGE_NUMBER = (
    pp.Regex(r"[0-9]{1,3}(?![0-9a-z_]|[.,][0-9])").set_parse_action(_digits)
    | BELOW_100
    | keywords(_ROMAN)
)
_CONJUNCTION_WORDS = pp.one_of("and or to through", as_keyword=True) | pp.one_of(", / -")

# "second phase"; not "first and second phases" (two ordinals) or "first two phases" (a count)
_ORDINAL_FIRST = (
    ORDINAL_VALUE
    + ~(_CONJUNCTION_WORDS + ORDINAL_VALUE)
    + ~CARDINAL_START
    + pp.Opt(pp.Opt(HYPHEN) + _STAGE)
)
# "phase two", "phase 2", "Phase II", "stage no. 3"; not "phases one and two"
_STAGE_FIRST = (
    _STAGE
    + pp.Opt(HYPHEN | phrases(["no.", "number"]))
    + _STAGE_NUMBER
    + ~(_CONJUNCTION_WORDS + (_STAGE_NUMBER | CARDINAL_START))
)
_ORDINAL_PREFIX = phrases(
    [
        "the",
        "a",
        "an",
        "its",
        "this",
        "that",
        "their",
        "his",
        "her",
        "our",
        "during",
        "in",
        "of",
        "for",
        "on",
        "into",
        "to",
        "from",
        "at",
        "after",
        "before",
        "under",
        "with",
        "by",
        "until",
        "throughout",
        "as part of",
        "part of",
        "start of",
        "end of",
        "beginning of",
    ]
)
_ORDINAL = pp.ZeroOrMore(_ORDINAL_PREFIX) + (_ORDINAL_FIRST | _STAGE_FIRST)


@functools.lru_cache(maxsize=8192)
def _ordinal(text: str) -> int | None:
    value = whole(parse_value(_ORDINAL, clean(text)))
    return value if value is not None and value > 0 else None


def ordinal(text: str) -> int | None:
    """The position (1 for the first) a phrase names, or None.

    Accepts an ordinal with an optional stage noun ("first phase", "the second stage",
    "2nd phase", "initial phase", "third") and a stage noun with a number ("phase one",
    "phase 1", "Phase I", "stage three"). Words after the phrase are ignored ("the second
    phase of the deal"). Relative positions ("final phase", "next phase"), counts of phases
    ("three-phased"), pairs ("first and second phases") and position zero give None.
    """
    return _ordinal(text)
