"""Cardinal numbers: the shared number-word grammar and the ``number`` normalizer.

The grammar pieces defined here (``CARDINAL``, ``QUANTITY``, ``NUMBER_PREFIX``, ...) are
reused by the duration, ordinal and date grammars, so "twenty-five", "a dozen" or
"more than" mean the same thing in every normalizer. Every piece works on text that
went through :func:`clean` (lower case, ASCII quotes and hyphens, single spaces) and
yields exact :class:`~fractions.Fraction` values, so "1.4 million" is 1400000 exactly
and a grammar can tell whole numbers from fractional ones.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs
import pyparsing as pp

__all__ = [
    "A_DETERMINER",
    "A_ONE",
    "BELOW_100",
    "CARDINAL",
    "CARDINAL_START",
    "HALF",
    "HYPHEN",
    "NUMBER_PREFIX",
    "NUMBER_PREFIX_WORDS",
    "QUANTITY",
    "RANGE_TAIL",
    "TENS",
    "clean",
    "keywords",
    "number",
    "parse_value",
    "phrases",
    "whole",
]

# Unicode punctuation folded to ASCII before parsing: curly quotes, primes, the many dashes.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": None,
    }
)
_WRAPPING = " \"'()[]{},;:"


def clean(text: str) -> str:
    """Lower-case ``text``, fold Unicode quotes, dashes and spaces, trim wrapping punctuation."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    return " ".join(folded.split()).strip(_WRAPPING)


def keywords(table: Mapping[str, int | Fraction]) -> pp.ParserElement:
    """Match any key of ``table`` as a whole word and yield its value as a Fraction."""
    values = {word: Fraction(value) for word, value in table.items()}

    def lookup(toks: pp.ParseResults) -> Fraction:
        return values[toks[0]]

    return pp.one_of(list(values), as_keyword=True).set_parse_action(lookup)


def phrases(texts: Iterable[str]) -> pp.ParserElement:
    """Match any of the space-separated word sequences in ``texts``; yields nothing.

    One regex, longest phrase first, so a list of fifty prefixes costs one match attempt.
    """
    ordered = sorted(texts, key=lambda t: (-len(t.split()), t))
    return pp.Regex("|".join(f"(?:{_phrase_pattern(text)})" for text in ordered)).suppress()


def _phrase_pattern(text: str) -> str:
    out = ""
    previous = ""
    for part in text.split():
        if out:
            out += r"\s+" if previous[-1:].isalnum() and part[:1].isalnum() else r"\s*"
        out += re.escape(part)
        previous = part
    return out + (r"\b" if previous[-1:].isalnum() else "")


def parse_value(grammar: pp.ParserElement, text: str) -> object:
    """Parse a leading phrase of ``text`` with ``grammar``; its first token, or None on no match."""
    try:
        result = grammar.parse_string(text, parse_all=False)
    except pp.ParseBaseException:
        return None
    return result[0] if len(result) else None


def whole(value: object) -> int | None:
    """``value`` as an int when it is a whole Fraction, else None."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return None


def _product(toks: pp.ParseResults) -> Fraction:
    out = Fraction(1)
    for tok in toks:
        out *= tok
    return out


def _total(toks: pp.ParseResults) -> Fraction:
    return sum(toks, Fraction(0))


def _digits(toks: pp.ParseResults) -> Fraction:
    return Fraction(toks[0].replace(",", ""))


def _hundreds(toks: pp.ParseResults) -> Fraction:
    return Fraction(toks[0]) * 100


_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_DIGIT_SCALES = {
    "dozen": 12,
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Words after "a" that make it not a count of one: "a few", "a number of", "a third of".
_VAGUE_AFTER_A = [
    "few",
    "handful",
    "number",
    "lot",
    "lots",
    "bunch",
    "host",
    "slew",
    "series",
    "group",
    "score",
    "great",
    "good",
    "large",
    "small",
    "growing",
    "significant",
    "majority",
    "minority",
    "fraction",
    "portion",
    "share",
    "percentage",
    "range",
    "variety",
    "half",
    "quarter",
    "third",
    "fifth",
    "tenth",
    "crowd",
    "batch",
    "wave",
    "multitude",
    "myriad",
    "plethora",
    "raft",
    "string",
    "total",
    "further",
    "couple",
    "pair",
    "dozen",
]
# Fractions and ordinals that may follow a cardinal: "two-thirds", "twenty-first".
_FRACTION_OR_ORDINAL = [
    "half",
    "halves",
    "third",
    "thirds",
    "quarter",
    "quarters",
    "fourth",
    "fourths",
    "fifth",
    "fifths",
    "sixth",
    "sixths",
    "seventh",
    "sevenths",
    "eighth",
    "eighths",
    "ninth",
    "ninths",
    "tenth",
    "tenths",
    "hundredth",
    "hundredths",
    "thousandth",
    "thousandths",
    "first",
    "second",
]

HYPHEN = pp.Literal("-").suppress()
_AND = pp.Keyword("and").suppress()
_A = pp.one_of("a an", as_keyword=True)
_A_AS_ONE = _A.copy().set_parse_action(pp.replace_with(Fraction(1)))

UNITS = keywords(_UNITS)
TEENS = keywords(_TEENS)
TENS = keywords(_TENS)
_TENS_UNIT = (TENS + pp.Opt(pp.Opt(HYPHEN) + UNITS)).set_parse_action(_total)
BELOW_100 = (_TENS_UNIT | TEENS | UNITS).set_name("number below 100")
"""Word numbers 1-99: "seven", "fifteen", "thirty-three", "thirty three"."""

_HUNDREDS = (
    ((BELOW_100 | _A_AS_ONE) + pp.Keyword("hundred").suppress()).set_parse_action(_hundreds)
    + pp.Opt(pp.Opt(_AND) + BELOW_100)
).set_parse_action(_total)
_SMALL = (_HUNDREDS | BELOW_100).set_name("number below 1000")

HALF = (
    (pp.Keyword("half") + pp.Opt(HYPHEN) + pp.Opt(_A)) | (_A + pp.Keyword("half"))
).set_parse_action(pp.replace_with(Fraction(1, 2)))
"""The multiplier one half: "half a", "half-", "a half"."""


@attrs.frozen
class _Group:
    """One multiplier and scale of a word number: "twenty-five thousand" is (25000, 1000)."""

    value: Fraction
    scale: int


def _group(toks: pp.ParseResults) -> _Group:
    if "scale" not in toks:
        return _Group(Fraction(toks[0]), 1)
    scale = int(toks["scale"])
    return _Group(Fraction(toks[0]) * scale if len(toks) > 1 else Fraction(scale), scale)


def _decreasing(toks: pp.ParseResults) -> bool:
    # "one million two hundred thousand five" is fine; "three thousand two thousand" is not
    scales = [group.scale for group in toks]
    return all(a > b for a, b in itertools.pairwise(scales))


def _sum_groups(toks: pp.ParseResults) -> Fraction:
    return sum((group.value for group in toks), Fraction(0))


_SCALE = keywords({"dozen": 12, "thousand": 1_000, "million": 1_000_000, "billion": 10**9})
# Left-factored so each group's multiplier is parsed once: "two hundred" [thousand],
# "half a" / "a" thousand, or a bare "dozen"; groups must fall in scale.
_GROUP = (
    (_SMALL + pp.Opt(_SCALE("scale")))
    | ((HALF | _A_AS_ONE) + _SCALE("scale"))
    | pp.Keyword("dozen").set_parse_action(pp.replace_with(12))("scale")
).set_parse_action(_group)
_WORD_NUMBER = (
    (_GROUP + pp.ZeroOrMore(pp.Opt(_AND) + _GROUP))
    .add_condition(_decreasing)
    .add_parse_action(_sum_groups)
)
# Digit strings: "105", "28,000", "1.4". At most 15 digits before the point, so the
# conversion never hits Python's limit on int-from-str; never glued to letters ("1st").
_DIGIT_STRING = pp.Regex(
    r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}|[0-9]{1,15})(?:\.[0-9]{1,6})?(?![0-9a-z_]|[.,][0-9])"
).set_parse_action(_digits)
_DIGITS = (_DIGIT_STRING + pp.Opt(keywords(_DIGIT_SCALES))).set_parse_action(_product)
_ZERO = pp.Keyword("zero").set_parse_action(pp.replace_with(Fraction(0)))

CARDINAL = (_DIGITS | _WORD_NUMBER | _ZERO).set_name("cardinal number")
"""A number written in digits or words: "105", "28,000", "1.4 million", "a dozen", "one hundred
and five", "twenty-five thousand". Does not include a bare "a"/"an" or vague words."""

CARDINAL_START = pp.Regex(r"[0-9]") | pp.one_of(
    [*_UNITS, *_TEENS, *_TENS, "zero", "dozen"], as_keyword=True
)
"""Lookahead for something that begins a cardinal number."""

A_ONE = (_A_AS_ONE + ~pp.one_of(_VAGUE_AFTER_A, as_keyword=True)).set_name("a")
"""'a'/'an' as a count of one, unless followed by a vague word ("a few", "a number of")."""

_COUPLE = (
    pp.Opt(_A) + pp.one_of("couple pair", as_keyword=True) + pp.Opt(pp.Keyword("of"))
).set_parse_action(pp.replace_with(Fraction(2)))
_BOTH = pp.Keyword("both").set_parse_action(pp.replace_with(Fraction(2)))

QUANTITY = (CARDINAL | _COUPLE | _BOTH | A_ONE).set_name("quantity")
"""A cardinal, or one of the count words "a couple of", "a pair of", "both", "a"/"an"."""

NUMBER_PREFIX_WORDS = (
    "the",
    "about",
    "approximately",
    "approx.",
    "roughly",
    "around",
    "some",
    "nearly",
    "almost",
    "over",
    "under",
    "just",
    "only",
    "exactly",
    "precisely",
    "all",
    "another",
    "additional",
    "extra",
    "remaining",
    "other",
    "first",
    "last",
    "final",
    "latest",
    "estimated",
    "reported",
    "those",
    "these",
    "its",
    "their",
    "for",
    "on",
    "with",
    "by",
    "well",
    "barely",
    "fully",
    "more than",
    "less than",
    "fewer than",
    "at least",
    "at most",
    "up to",
    "as many as",
    "as few as",
    "as much as",
    "no more than",
    "no fewer than",
    "no less than",
    "not more than",
    "a total of",
    "total of",
    "a further",
    "an additional",
    "an estimated",
    "an extra",
    "a reported",
    "a maximum of",
    "a minimum of",
    "upwards of",
    "in excess of",
    "close to",
    "the remaining",
)
"""Leading words that qualify a number without changing it: "about", "more than", "the"."""
NUMBER_PREFIX = phrases(NUMBER_PREFIX_WORDS)
"""A parser for any of ``NUMBER_PREFIX_WORDS``; yields nothing."""

A_DETERMINER = (_A + pp.FollowedBy(pp.ZeroOrMore(NUMBER_PREFIX) + CARDINAL)).suppress()
"""'a'/'an' used as an article before a number: "a 60-day truce", "an initial 42"."""

RANGE_TAIL = (
    (pp.one_of("to or through and nor", as_keyword=True) | pp.one_of("- / &")) + CARDINAL_START
).set_name("range")
"""What follows the first number of a range or alternative: "... to 40", "... or three"."""

_PERCENT = pp.Literal("%") | pp.one_of("percent pct", as_keyword=True) | phrases(["per cent"])

_NUMBER = (
    pp.ZeroOrMore(NUMBER_PREFIX | A_DETERMINER)
    + QUANTITY
    + ~RANGE_TAIL
    + ~_PERCENT
    + ~(pp.Opt(HYPHEN) + pp.one_of(_FRACTION_OR_ORDINAL, as_keyword=True))
)


@functools.lru_cache(maxsize=8192)
def _number(text: str) -> int | None:
    return whole(parse_value(_NUMBER, clean(text)))


def number(text: str) -> int | None:
    """The exact count a phrase states, or None.

    Accepts digits ("105", "28,000", "1.4 million"), number words ("twenty-five", "one
    hundred and five", "a dozen", "half a dozen"), the count words "a"/"an", "both",
    "a couple of", "a pair of", after optional qualifiers ("about", "more than", "at least",
    "the remaining"). Words after the leading number are ignored ("33 Israeli hostages").
    Vague amounts ("dozens", "several", "tens of thousands"), ranges ("30 to 40"),
    percentages ("70%"), fractions ("two-thirds") and non-whole values ("2.5") give None.
    """
    return _number(text)
