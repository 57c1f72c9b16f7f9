"""Evaluation against hand-made gold: precision, recall, F1 and field accuracy (`evx eval`).

``gold`` reads and locates the gold records; ``alignment`` pairs predictions with them and
compares field values; ``scoring`` runs a rule set and tallies; ``report`` holds the
result as data and ``tables`` renders it for people.
"""

from evx.evaluation.alignment import (
    Pair,
    match_document,
    normalize_value,
    prediction_span,
    values_agree,
)
from evx.evaluation.gold import GoldError, GoldEvent, gold_path, load_gold
from evx.evaluation.report import (
    Counts,
    DocumentScore,
    ErrorRecord,
    FieldMismatch,
    FieldScore,
    Report,
    TypeFields,
    TypeScore,
)
from evx.evaluation.scoring import KEY_FIELDS, evaluate

__all__ = [
    "KEY_FIELDS",
    "Counts",
    "DocumentScore",
    "ErrorRecord",
    "FieldMismatch",
    "FieldScore",
    "GoldError",
    "GoldEvent",
    "Pair",
    "Report",
    "TypeFields",
    "TypeScore",
    "evaluate",
    "gold_path",
    "load_gold",
    "match_document",
    "normalize_value",
    "prediction_span",
    "values_agree",
]
