"""Durations: the ``duration_days`` normalizer ("six-week" -> 42).

A month counts 30 days and a year 365, the way truce lengths are reported ("a two-month
cease-fire" is the 60-day one). Hours and minutes are converted too, but only whole
days are returned: "72-hour" is 3, "12-hour" is None.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import pyparsing as pp

from evx.normalize.numbers import (
    CARDINAL,
    HALF,
    HYPHEN,
    NUMBER_PREFIX_WORDS,
    QUANTITY,
    RANGE_TAIL,
    clean,
    keywords,
    parse_value,
    phrases,
    whole,
)

__all__ = ["duration_days"]

_DAY = Fraction(1)
_UNITS = {
    "day": _DAY,
    "days": _DAY,
    "week": 7 * _DAY,
    "weeks": 7 * _DAY,
    "wk": 7 * _DAY,
    "wks": 7 * _DAY,
    "fortnight": 14 * _DAY,
    "fortnights": 14 * _DAY,
    "month": 30 * _DAY,
    "months": 30 * _DAY,
    "year": 365 * _DAY,
    "years": 365 * _DAY,
    "hour": _DAY / 24,
    "hours": _DAY / 24,
    "hr": _DAY / 24,
    "hrs": _DAY / 24,
    "minute": _DAY / 1440,
    "minutes": _DAY / 1440,
}
_SINGULAR = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_ONE_WORD = {"daylong": 1, "weeklong": 7, "fortnightlong": 14, "monthlong": 30, "yearlong": 365}

_HALF_MARK = "and a half"
_AND_A_HALF = phrases([_HALF_MARK]).set_parse_action(pp.replace_with(_HALF_MARK))
_LONG = pp.Opt(pp.Opt(HYPHEN) + pp.Keyword("long")).suppress()


def _measure(toks: pp.ParseResults) -> Fraction:
    # toks: count, ["and a half"], unit length in days, ["and a half"]; the half, wherever
    # it stands, adds to the count: "one and a half months", "a month and a half"
    count, *_, unit = (tok for tok in toks if isinstance(tok, Fraction))
    return (count + (Fraction(1, 2) if _HALF_MARK in list(toks) else 0)) * unit


_MEASURED = (
    (QUANTITY | HALF)
    + ~RANGE_TAIL
    + pp.Opt(_AND_A_HALF)
    + pp.Opt(HYPHEN)
    + keywords(_UNITS)
    + pp.Opt(_AND_A_HALF)
    + _LONG
).set_parse_action(_measure)
_ONE_WORD_LONG = keywords(_ONE_WORD)
_UNIT_LONG = keywords(_SINGULAR) + pp.Opt(HYPHEN) + pp.Keyword("long").suppress()
_BODY = _ONE_WORD_LONG | _UNIT_LONG | _MEASURED

_PREFIX = phrases(
    [
        *NUMBER_PREFIX_WORDS,
        "past",
        "next",
        "coming",
        "initial",
        "of",
        "during",
        "lasting",
        "within",
        "in",
        "a period of",
        "period of",
        "the course of",
    ]
)
# "a"/"an" as an article, not a count: "a 60-day truce", "a weeklong pause", "an initial 42 days"
_A_ARTICLE = (
    pp.one_of("a an", as_keyword=True) + pp.FollowedBy(pp.ZeroOrMore(_PREFIX) + (CARDINAL | _BODY))
).suppress()
_DURATION = pp.ZeroOrMore(_PREFIX | _A_ARTICLE) + _BODY


@functools.lru_cache(maxsize=8192)
def _duration_days(text: str) -> int | None:
    return whole(parse_value(_DURATION, clean(text)))


def duration_days(text: str) -> int | None:
    """The length in whole days a phrase states, or None.

    Accepts a quantity and a unit, hyphenated or not ("six-week", "six weeks", "42-day",
    "72-hour", "a month and a half"), and the one-word forms "weeklong", "week-long",
    "monthlong", after optional qualifiers ("for", "a", "the first", "more than").
    Words after the unit are ignored ("45 days each", "six-week cease-fire").
    Vague lengths ("weekslong", "several weeks", "temporary"), ranges ("five to six weeks")
    and lengths that are not a whole number of days ("12-hour", "half a day") give None.
    """
    return _duration_days(text)
