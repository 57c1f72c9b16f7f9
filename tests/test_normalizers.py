"""Value normalizers: the tables in tests/data/normalizers and properties over any text.

Table rows are ``input<TAB>expected`` (dates: ``input<TAB>ref<TAB>expected``), ``None`` for
no value; an optional last column starting with ``#`` is a note. Lines starting with ``#``
are comments.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evx.normalize import NORMALIZERS, Normalizer, date, duration_days, number, ordinal

TABLES = Path(__file__).parent / "data" / "normalizers"


def _table(name: str, width: int) -> list[tuple[str, list[str]]]:
    """The rows of a table file as (test id, cells), without comments and notes."""
    rows = []
    path = TABLES / name
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > width and cells[width].startswith("#"):
            cells = cells[:width]
        assert len(cells) == width, f"{name}:{lineno}: expected {width} tab-separated cells"
        rows.append((f"{name}:{lineno}:{cells[0]!r}", cells))
    return rows


def _rows(name: str, width: int) -> list[object]:
    return [pytest.param(*cells, id=test_id) for test_id, cells in _table(name, width)]


def _int_or_none(cell: str) -> int | None:
    return None if cell == "None" else int(cell)


def _date_or_none(cell: str) -> datetime.date | None:
    return None if cell == "None" else datetime.date.fromisoformat(cell)


@pytest.mark.parametrize(("text", "expected"), _rows("numbers.tsv", 2))
def test_number_table(text: str, expected: str) -> None:
    """number() gives the count each table row expects."""
    assert number(text) == _int_or_none(expected)


@pytest.mark.parametrize(("text", "expected"), _rows("durations.tsv", 2))
def test_duration_table(text: str, expected: str) -> None:
    """duration_days() gives the length in days each table row expects."""
    assert duration_days(text) == _int_or_none(expected)


@pytest.mark.parametrize(("text", "expected"), _rows("ordinals.tsv", 2))
def test_ordinal_table(text: str, expected: str) -> None:
    """ordinal() gives the position each table row expects."""
    assert ordinal(text) == _int_or_none(expected)


@pytest.mark.parametrize(("text", "ref", "expected"), _rows("dates.tsv", 3))
def test_date_table(text: str, ref: str, expected: str) -> None:
    """date() gives the ISO date or month each table row expects for its reference date."""
    assert date(text, _date_or_none(ref)) == (None if expected == "None" else expected)


def test_registry_names_and_types() -> None:
    """NORMALIZERS holds the four normalizers under their rule-language names and types."""
    assert {name: n.result_type for name, n in NORMALIZERS.items()} == {
        "number": "int",
        "duration": "int",
        "ordinal": "int",
        "date": "str",
    }
    for name, normalizer in NORMALIZERS.items():
        assert normalizer.name == name
        assert normalizer.doc and "\n" not in normalizer.doc


def test_registry_funcs_match_public_functions() -> None:
    """Each registry func gives what the public function gives, passing the date only to date."""
    ref = datetime.date(2025, 1, 13)
    assert NORMALIZERS["number"].func("more than 28,000", ref) == 28000
    assert NORMALIZERS["duration"].func("six-week", ref) == 42
    assert NORMALIZERS["ordinal"].func("phase two", None) == 2
    assert NORMALIZERS["date"].func("Jan. 20", ref) == "2025-01-20"
    assert NORMALIZERS["date"].func("Jan. 20", None) is None


def test_normalizer_is_frozen() -> None:
    """A Normalizer cannot be changed after it is built."""
    normalizer = NORMALIZERS["number"]
    with pytest.raises(AttributeError):
        normalizer.name = "count"  # type: ignore[misc]


def test_date_accepts_datetime_reference() -> None:
    """date() treats a datetime reference as its calendar day."""
    assert date("yesterday", datetime.datetime(2025, 1, 13, 23, 59)) == "2025-01-12"


def test_date_edges_of_the_calendar() -> None:
    """Relative dates that would leave the calendar give None instead of raising."""
    assert date("yesterday", datetime.date.min) is None
    assert date("tomorrow", datetime.date.max) is None
    assert date("last month", datetime.date(1, 1, 5)) is None
    assert date("Dec. 30", datetime.date.max) == "9999-12-30"


# --- properties ------------------------------------------------------------------------

# Words the grammars know (every word of every table input), so generated phrases reach deep
# into them, plus tokens at the edges of what the grammars accept.
_EDGE_TOKENS = ["-", ",", ".", "%", "’", "/", "0", "00", "32", "9" * 20, "9999", "0000"]
_VOCABULARY = sorted(
    {
        word
        for table in ("numbers.tsv", "durations.tsv", "ordinals.tsv", "dates.tsv")
        for _, cells in _table(table, 3 if table == "dates.tsv" else 2)
        for word in cells[0].split()
    }
    | set(_EDGE_TOKENS)
)
_PHRASES = st.lists(st.sampled_from(_VOCABULARY), max_size=8).map(" ".join)
_TEXTS = st.one_of(st.text(max_size=60), _PHRASES)
_REFS = st.one_of(st.none(), st.dates())
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")


def _check(normalizer: Normalizer, text: str, ref: datetime.date | None) -> None:
    value = normalizer.func(text, ref)
    if value is None:
        return
    if normalizer.result_type == "int":
        assert type(value) is int
    else:
        assert type(value) is str
        assert _ISO.match(value), value


@settings(max_examples=400, deadline=None)
@given(text=_TEXTS, ref=_REFS)
def test_no_normalizer_raises(text: str, ref: datetime.date | None) -> None:
    """Every normalizer returns None or a value of its declared type for any text."""
    for normalizer in NORMALIZERS.values():
        _check(normalizer, text, ref)


@settings(max_examples=200, deadline=None)
@given(text=_PHRASES)
def test_case_does_not_matter(text: str) -> None:
    """Upper-casing a phrase does not change its value."""
    for fn in (number, duration_days, ordinal):
        assert fn(text.upper()) == fn(text)
    ref = datetime.date(2025, 1, 13)
    assert date(text.upper(), ref) == date(text, ref)


@settings(max_examples=200, deadline=None)
@given(text=_PHRASES)
def test_counts_and_positions_are_not_negative(text: str) -> None:
    """Numbers and durations are never negative and ordinals are at least 1."""
    for fn, least in ((number, 0), (duration_days, 0), (ordinal, 1)):
        value = fn(text)
        assert value is None or value >= least


def _rate(fn: Callable[[str], object], texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        fn(text)
    return len(texts) / max(time.perf_counter() - start, 1e-9)


def test_cached_calls_are_fast() -> None:
    """A repeated phrase is answered from the cache, far faster than a fresh parse."""
    fresh = [f"more than {i:,} people" for i in range(1000, 1300)]
    uncached = _rate(number, fresh)
    cached = _rate(number, fresh * 20)
    assert cached > 5 * uncached
