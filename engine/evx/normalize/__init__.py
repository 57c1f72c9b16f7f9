"""Value normalizers: turn the text of a matched phrase into a field value.

Rules call them by name (``count = number(n)``, ``duration_days = duration(d)``,
``phase = ordinal(p)``, ``on = date(d)``); :data:`NORMALIZERS` maps each name to a
:class:`Normalizer` that carries its result type for the checker and a uniform
``(text, document_date) -> value`` function for the engine. Every normalizer returns
None rather than raising, whatever the text, and caches its results.
"""

from __future__ import annotations

import datetime
import types
from collections.abc import Callable, Mapping

import attrs

from evx.normalize.dates import date
from evx.normalize.durations import duration_days
from evx.normalize.numbers import number
from evx.normalize.ordinals import ordinal

__all__ = ["NORMALIZERS", "Normalizer", "date", "duration_days", "number", "ordinal"]

Value = int | str | None


@attrs.frozen
class Normalizer:
    """A value normalizer as the rule language sees it."""

    name: str
    """The name used in rules: ``number``, ``duration``, ``ordinal``, ``date``."""
    result_type: str
    """``"int"`` or ``"str"``: the type of every non-None value ``func`` returns."""
    func: Callable[[str, datetime.date | None], Value]
    """``(phrase text, document date or None) -> value or None``; never raises."""
    doc: str
    """One line for docs and error messages."""


def _number(text: str, ref: datetime.date | None) -> Value:
    return number(text)


def _duration(text: str, ref: datetime.date | None) -> Value:
    return duration_days(text)


def _ordinal(text: str, ref: datetime.date | None) -> Value:
    return ordinal(text)


def _date(text: str, ref: datetime.date | None) -> Value:
    return date(text, ref)


NORMALIZERS: Mapping[str, Normalizer] = types.MappingProxyType(
    {
        n.name: n
        for n in (
            Normalizer(
                "number",
                "int",
                _number,
                'an exact count: "105", "more than 28,000", "a dozen", "both"; '
                'None for "dozens", "several", ranges',
            ),
            Normalizer(
                "duration",
                "int",
                _duration,
                'a length in whole days: "six-week" 42, "72-hour" 3, "weeklong" 7 '
                "(a month is 30 days)",
            ),
            Normalizer(
                "ordinal",
                "int",
                _ordinal,
                'a position: "second phase" 2, "phase one" 1, "Phase II" 2; None for "final phase"',
            ),
            Normalizer(
                "date",
                "str",
                _date,
                'an ISO date or month: "Jan. 20" 2025-01-20, "November 2023" 2023-11, '
                '"Monday"; relative to the document date',
            ),
        )
    }
)
"""The normalizers by rule-language name."""
