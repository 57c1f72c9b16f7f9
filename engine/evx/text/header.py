"""Recognise a document's leading header and dateline and turn them into metadata.

Two shapes occur in wire copy::

     date 2025-01-13 CAIRO (AP) — U.S. and Arab mediators made ...

    Israel and Hamas are making progress in cease-fire and hostage release talks

    CAIRO (AP) — Israel and Hamas are making progress toward a deal ...

A ``date YYYY-MM-DD`` line opening the document gives the date; a dateline
``PLACE (AGENCY) —`` (also ``PLACE, Region (AGENCY) —``, ``JERUSALEM (Reuters) -``) opening
the document or one of its first few paragraphs gives the place and the agency. The header
text is reported as character spans so the document stage leaves it out of the tokens; a
headline before a dateline stays ordinary text. The dateline pattern wants an upper-case
place, a short agency name in parentheses and a dash straight after, so an ordinary
sentence that happens to contain parentheses is never taken for one.
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Final

import attrs

__all__ = ["Header", "parse_header"]

# How far into the document a dateline may open a paragraph (after a headline, a byline).
_MAX_DATELINE_LINES: Final = 6
_MAX_DATELINE_OFFSET: Final = 2000

_DATE: Final = re.compile(r"\s*date:?[ \t]+(\d{4})-(\d{1,2})-(\d{1,2})(?![\w-])\s*", re.IGNORECASE)

_UPPER: Final = "A-ZÀ-ÖØ-Þ"
# "CAIRO", "TEL AVIV", "DEIR AL-BALAH", "ST. LOUIS", "U.N."; two upper-case letters at least.
_PLACE_WORD: Final = rf"[{_UPPER}][{_UPPER}'’.\-]*[{_UPPER}.]"
# ", Gaza Strip", ", Mo.", ", Jan 13" (Reuters puts the date there).
_REGION: Final = r",[ \t]+[A-Z][\w'’.\-]*(?:[ \t]+[\w'’.\-]+){0,4}"
# "AP", "Reuters", "AFP", "NBC News", "dpa": short, no sentence inside.
_AGENCY: Final = r"[A-Za-z][\w&.'’\-]*(?:[ \t][A-Za-z][\w&.'’\-]*){0,2}"
_DATELINE: Final = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:[ \t]+{_PLACE_WORD}){{0,4}})(?:{_REGION})?"
    rf"[ \t]*\((?P<agency>{_AGENCY})\)[ \t]*(?:—|–|--?)\s*"
)
_LINE_START: Final = re.compile(r"^[ \t]*(?=\S)", re.MULTILINE)


@attrs.frozen(slots=True)
class Header:
    """What :func:`parse_header` found: metadata, and the spans to leave out of the tokens."""

    date: datetime.date | None = None
    place: str | None = None
    agency: str | None = None
    # Character offset where the body begins: the end of a header that opens the document,
    # or 0 when the document opens with ordinary text.
    body_start: int = 0
    # (start, end) character spans of header text, in order, not overlapping.
    spans: tuple[tuple[int, int], ...] = ()


def parse_header(text: str) -> Header:
    """Find the date header and dateline at the top of ``text``.

    Never raises: text without a header gives ``Header()``; an impossible date such as
    ``date 2025-02-30`` is still recognised as header text but gives ``date=None``.
    """
    date: datetime.date | None = None
    pos = 0
    m = _DATE.match(text)
    if m is not None:
        date = _to_date(m.group(1), m.group(2), m.group(3))
        pos = m.end()
    dateline = _DATELINE.match(text, pos)
    if dateline is not None:
        return Header(
            date,
            _clean_place(dateline.group("place")),
            dateline.group("agency"),
            dateline.end(),
            ((0, dateline.end()),),
        )
    spans: tuple[tuple[int, int], ...] = ((0, pos),) if pos else ()
    dateline = _find_paragraph_dateline(text, pos)
    if dateline is None:
        return Header(date, None, None, pos, spans)
    place = _clean_place(dateline.group("place"))
    agency = dateline.group("agency")
    if text[pos : dateline.start()].isspace():
        # Only blank lines before it: the dateline opens the document after all.
        return Header(date, place, agency, dateline.end(), ((0, dateline.end()),))
    return Header(date, place, agency, pos, (*spans, dateline.span()))


def _find_paragraph_dateline(text: str, pos: int) -> re.Match[str] | None:
    """A dateline opening one of the first few non-empty lines after ``pos``."""
    limit = min(len(text), pos + _MAX_DATELINE_OFFSET)
    for seen, line in enumerate(_LINE_START.finditer(text, pos, limit)):
        if seen >= _MAX_DATELINE_LINES:
            break
        m = _DATELINE.match(text, line.end())
        if m is not None:
            return m
    return None


def _to_date(year: str, month: str, day: str) -> datetime.date | None:
    """The date, or None when the numbers do not make one."""
    y, mo, d = int(year), int(month), int(day)
    if not (datetime.MINYEAR <= y <= datetime.MAXYEAR and 1 <= mo <= 12):
        return None
    if not 1 <= d <= calendar.monthrange(y, mo)[1]:
        return None
    return datetime.date(y, mo, d)


def _clean_place(place: str) -> str:
    """Collapse runs of spaces or tabs inside a place name."""
    return " ".join(place.split())
