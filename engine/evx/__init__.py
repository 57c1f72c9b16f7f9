"""evx: typed, explainable event extraction from news text with a small rule language.

>>> import evx
>>> rules = evx.load("rules/")                                   # doctest: +SKIP
>>> for event in rules.extract("Hamas freed two hostages on Monday."):  # doctest: +SKIP
...     print(event.type, event.fields.count)
"""

from evx.errors import (
    Diagnostic,
    DocumentError,
    EvxError,
    RuleCheckError,
    RuleSyntaxError,
    SourcePos,
)
from evx.records.events import Arg, Event, Fields, register_fields
from evx.ruleset import RuleExample, RuleSet, load
from evx.text.document import Document, DocumentMeta
from evx.version import __version__

__all__ = [
    "Arg",
    "Diagnostic",
    "Document",
    "DocumentError",
    "DocumentMeta",
    "Event",
    "EvxError",
    "Fields",
    "RuleCheckError",
    "RuleExample",
    "RuleSet",
    "RuleSyntaxError",
    "SourcePos",
    "__version__",
    "load",
    "register_fields",
]
