"""Dates: the ``date`` normalizer ("Jan. 20" -> "2025-01-20").

A phrase parses to a resolver that needs the document date (``ref``) only for what the
text leaves open. The rules for that, following how wire copy is written:

* a month and day without a year ("Oct. 7") take the year that puts the date closest to
  ``ref``; on a tie, the earlier one. A bare month ("in late October") works the same way
  and gives "YYYY-MM";
* a weekday name ("Monday") is the nearest such day on or before ``ref`` (AP style: the
  news already happened); "last Monday" is strictly before ``ref``, "next Monday" strictly
  after;
* "today", "tonight", "this morning" are ``ref``; "yesterday", "last night" the day before;
  "tomorrow" the day after; "N days ago" / "a week ago" count back; "last month",
  "this month", "next month" give "YYYY-MM".

Spans vaguer than a day or a month ("last week", "this year", "2025") give None, as does
anything relative when ``ref`` is None.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from collections.abc import Callable
from fractions import Fraction

import pyparsing as pp

from evx.normalize.numbers import QUANTITY, clean, keywords, parse_value, phrases, whole

__all__ = ["date"]

Resolver = Callable[[datetime.date | None], str | None]

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "weds": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_DAY_OFFSETS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "last evening": -1,
    "tomorrow": 1,
    "day before yesterday": -2,
    "day after tomorrow": 2,
}
_MONTH_OFFSETS = {"last month": -1, "this month": 0, "next month": 1}


# --- building dates without exceptions -------------------------------------------------


def _make(year: int, month: int, day: int) -> datetime.date | None:
    if not (datetime.MINYEAR <= year <= datetime.MAXYEAR and 1 <= month <= 12):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return datetime.date(year, month, day)


def _shift(ref: datetime.date, days: int) -> str | None:
    ordinal = ref.toordinal() + days
    if not 1 <= ordinal <= datetime.date.max.toordinal():
        return None
    return datetime.date.fromordinal(ordinal).isoformat()


def _month_string(index: int) -> str | None:
    """``index`` counts months from year 0: ``year * 12 + month - 1``."""
    year, month0 = divmod(index, 12)
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return None
    return f"{year:04d}-{month0 + 1:02d}"


# --- resolvers: what a parsed phrase means, given the document date ---------------------


def _full(year: int, month: int, day: int, ref: datetime.date | None) -> str | None:
    made = _make(year, month, day)
    return made.isoformat() if made is not None else None


def _month_day(month: int, day: int, ref: datetime.date | None) -> str | None:
    if ref is None:
        return None
    best: tuple[tuple[int, bool], datetime.date] | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        made = _make(year, month, day)
        if made is None:
            continue
        delta = made.toordinal() - ref.toordinal()
        key = (abs(delta), delta > 0)  # closest first; on a tie, the past
        if best is None or key < best[0]:
            best = (key, made)
    return best[1].isoformat() if best is not None else None


def _year_month(year: int, month: int, ref: datetime.date | None) -> str | None:
    return _month_string(year * 12 + month - 1) if 1 <= month <= 12 else None


def _month_only(month: int, ref: datetime.date | None) -> str | None:
    if ref is None:
        return None
    here = ref.year * 12 + ref.month - 1
    candidates = [(year * 12 + month - 1) for year in (ref.year - 1, ref.year, ref.year + 1)]
    index = min(candidates, key=lambda i: (abs(i - here), i > here))
    return _month_string(index)


def _weekday(weekday: int, mode: str, ref: datetime.date | None) -> str | None:
    if ref is None:
        return None
    if mode == "next":
        return _shift(ref, (weekday - ref.weekday() - 1) % 7 + 1)
    if mode == "last":
        return _shift(ref, -((ref.weekday() - weekday - 1) % 7 + 1))
    return _shift(ref, -((ref.weekday() - weekday) % 7))


def _unresolvable(ref: datetime.date | None) -> str | None:
    return None


def _days_from(days: int, ref: datetime.date | None) -> str | None:
    return _shift(ref, days) if ref is not None else None


def _months_from(months: int, ref: datetime.date | None) -> str | None:
    return _month_string(ref.year * 12 + ref.month - 1 + months) if ref is not None else None


# --- the grammar: each form's parse action builds its resolver --------------------------


def _int(toks: pp.ParseResults) -> int:
    return int(toks[0])


def _month_value(toks: pp.ParseResults) -> int:
    return _MONTHS[toks[0]]


_DOT = pp.Opt(pp.Literal(".")).suppress()
_COMMA = pp.Opt(pp.Literal(",")).suppress()
_MONTH_NAME = pp.one_of(list(_MONTHS), as_keyword=True).set_parse_action(_month_value)
_MONTH = _MONTH_NAME("month") + _DOT
_DAY = (
    pp.Regex(r"[0-9]{1,2}(?=(?:st|nd|rd|th)?(?![0-9a-z_]))").set_parse_action(_int)("day")
    + pp.Opt(pp.Regex(r"st|nd|rd|th")).suppress()
)
_YEAR = pp.Regex(r"[0-9]{4}(?![0-9a-z_])").set_parse_action(_int)("year")


def _iso(toks: pp.ParseResults) -> Resolver:
    parts = [int(part) for part in toks[0].split("-")]
    if len(parts) == 2:
        return functools.partial(_year_month, parts[0], parts[1])
    return functools.partial(_full, parts[0], parts[1], parts[2])


def _weekday_value(toks: pp.ParseResults) -> int:
    return _WEEKDAYS[toks[0]]


def _last(toks: pp.ParseResults) -> object:
    return toks[-1]


def _month_day_year(toks: pp.ParseResults) -> Resolver:
    month, day = toks["month"], toks["day"]
    if "year" in toks:
        return functools.partial(_full, toks["year"], month, day)
    return functools.partial(_month_day, month, day)


def _month_year(toks: pp.ParseResults) -> Resolver:
    return functools.partial(_year_month, toks["year"], toks["month"])


def _bare_month(toks: pp.ParseResults) -> Resolver:
    return functools.partial(_month_only, toks["month"])


def _named_weekday(toks: pp.ParseResults) -> Resolver:
    return functools.partial(_weekday, toks["weekday"], toks["mode"])


def _day_offset(toks: pp.ParseResults) -> Resolver:
    return functools.partial(_days_from, _DAY_OFFSETS[" ".join(toks)])


def _month_offset(toks: pp.ParseResults) -> Resolver:
    return functools.partial(_months_from, _MONTH_OFFSETS[" ".join(toks)])


def _ago(toks: pp.ParseResults) -> Resolver:
    days = whole(Fraction(toks[0]) * Fraction(toks[1]))
    return functools.partial(_days_from, -days) if days is not None else _unresolvable


def _words(texts: list[str]) -> pp.ParserElement:
    """Match one of ``texts`` (space-separated words); yields the words matched."""
    ordered = sorted(texts, key=lambda t: -len(t.split()))
    return pp.MatchFirst([pp.And([pp.Keyword(w) for w in text.split()]) for text in ordered])


_ISO = pp.Regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])").set_parse_action(_iso)
_ISO_MONTH = pp.Regex(r"[0-9]{4}-[0-9]{2}(?![0-9]|-[0-9])").set_parse_action(_iso)
_MONTH_DAY = (_MONTH + _DAY + pp.Opt(_COMMA + _YEAR)).set_parse_action(_month_day_year)
_DAY_MONTH = (
    _DAY + pp.Opt(pp.Keyword("of")).suppress() + _MONTH + pp.Opt(_COMMA + _YEAR)
).set_parse_action(_month_day_year)
_MONTH_YEAR = (_MONTH + _COMMA + _YEAR).set_parse_action(_month_year)
_MONTH_ALONE = _MONTH.copy().set_parse_action(_bare_month)
_EXPLICIT = _ISO | _MONTH_DAY | _DAY_MONTH | _MONTH_YEAR | _ISO_MONTH

_WEEKDAY = pp.one_of(list(_WEEKDAYS), as_keyword=True).set_parse_action(_weekday_value)
_WEEKDAY_DATE = (_WEEKDAY + _DOT + _COMMA + _EXPLICIT).set_parse_action(_last)
_WEEKDAY_NAMED = (
    pp.Opt(pp.one_of("last next", as_keyword=True), default="")("mode") + _WEEKDAY("weekday") + _DOT
).set_parse_action(_named_weekday)
_RELATIVE_DAY = _words(list(_DAY_OFFSETS)).set_parse_action(_day_offset)
_RELATIVE_MONTH = _words(list(_MONTH_OFFSETS)).set_parse_action(_month_offset)
_AGO = (
    QUANTITY + keywords({"day": 1, "days": 1, "week": 7, "weeks": 7}) + pp.Keyword("ago")
).set_parse_action(_ago)

_DATE_PREFIX = phrases(
    [
        "on",
        "by",
        "since",
        "until",
        "till",
        "from",
        "through",
        "before",
        "after",
        "in",
        "during",
        "at",
        "of",
        "the",
        "late",
        "early",
        "earlier",
        "later",
        "mid",
        "mid -",
        "as of",
        "end of",
        "beginning of",
        "start of",
        "middle of",
        "night of",
        "morning of",
        "evening of",
    ]
)
_DATE = pp.ZeroOrMore(_DATE_PREFIX) + (
    _EXPLICIT
    | _WEEKDAY_DATE
    | _MONTH_ALONE
    | _WEEKDAY_NAMED
    | _RELATIVE_MONTH
    | _RELATIVE_DAY
    | _AGO
)


@functools.lru_cache(maxsize=8192)
def _parse(text: str) -> Resolver | None:
    resolver = parse_value(_DATE, clean(text))
    return resolver if callable(resolver) else None


@functools.lru_cache(maxsize=8192)
def _date(text: str, ref: datetime.date | None) -> str | None:
    resolver = _parse(text)
    return resolver(ref) if resolver is not None else None


def date(text: str, ref: datetime.date | None = None) -> str | None:
    """The ISO date ("2025-01-20") or month ("2023-11") a phrase names, or None.

    Accepts month-day dates with or without a year ("Jan. 20", "Oct. 7, 2023", "20 January
    2025", "the 20th of January"), a month and year ("November 2023"), a bare month
    ("October"), ISO dates ("2025-01-20"), weekday names ("Monday", "last Thursday"), and
    "today", "yesterday", "tomorrow", "last night", "three days ago", "last month", after
    optional words such as "on", "by", "late", "earlier". ``ref`` is the document date; it
    supplies missing years and anchors relative phrases, which give None without it.
    """
    if isinstance(ref, datetime.datetime):
        ref = ref.date()
    return _date(text, ref)
