"""The names the rule language predefines: value functions, windows, list functions, policies.

The checker accepts exactly these names and the compiler implements exactly these; a new
function of the common shape, one capture in and one value out, is one entry in
:data:`VALUE_FUNCTIONS` (the normalizers of :mod:`evx.normalize` are registered here).
"""

from __future__ import annotations

import datetime
import types
from collections.abc import Callable, Mapping
from typing import Final

import attrs

from evx.normalize import NORMALIZERS

Value = int | str | None


@attrs.frozen
class ValueFunction:
    """A function a `set:` or `value:` expression calls on one capture: `number(n)`."""

    name: str
    result_type: str
    """``"int"`` or ``"str"``: the type of every non-None value ``func`` returns."""
    optional: bool
    """Whether the checker types a call as possibly null (normalizers give None for text
    they cannot read; `text(x)` and `lower(x)` give text whenever the capture matched)."""
    func: Callable[[str, datetime.date | None], Value]
    """``(capture text, document date or None) -> value or None``; never raises."""
    normalizer: bool = False
    """One of :data:`evx.normalize.NORMALIZERS` (listed apart in messages)."""


def _text(text: str, ref: datetime.date | None) -> Value:
    return text


def _lower(text: str, ref: datetime.date | None) -> Value:
    return text.lower()


VALUE_FUNCTIONS: Final[Mapping[str, ValueFunction]] = types.MappingProxyType(
    {
        f.name: f
        for f in (
            *(
                ValueFunction(n.name, n.result_type, True, n.func, normalizer=True)
                for n in NORMALIZERS.values()
            ),
            ValueFunction("text", "str", False, _text),
            ValueFunction("lower", "str", False, _lower),
        )
    }
)
"""Every one-capture function by name: the normalizers, then the text functions."""

WINDOWS: Final = ("before", "after", "near", "clause", "sentence", "inside", "document")
"""Windows around a capture, used in conditions (`if before(trigger, 5) has ...`); all but
`document` stay inside the capture's sentence."""

SIZED_WINDOWS: Final = ("before", "after", "near")
"""The windows that take a token count as their second argument."""

LIST_FUNCTIONS: Final = ("collect", "find", "join", "sum")
"""`collect(@Label, window)`, `find(@Label, window)`, `join(a, b, ...)`, `sum(a, b, ...)`."""

OVERLAPS: Final = ("longest", "leftmost", "first", "each", "all")
"""Match modes: which matches of one label are kept (`overlap:`); see docs/language.md."""

BUILTIN_NAMES: Final = (
    *(f.name for f in VALUE_FUNCTIONS.values() if f.normalizer),
    *WINDOWS,
    *(f.name for f in VALUE_FUNCTIONS.values() if not f.normalizer),
    *LIST_FUNCTIONS,
)
"""Every predefined function name, as messages list them; a classifier cannot take one."""
