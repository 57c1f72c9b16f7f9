"""Evaluation against hand-made gold: precision, recall, F1 and field accuracy (`evx eval`).

``gold`` reads and locates the gold records; ``alignment`` pairs predictions with them and
compares field values; ``scoring`` runs a rule set and tallies; ``report`` holds the
result as data and ``tables`` renders it for people; ``anchored`` scores event-level
gold (the development set) by events found and first-record field accuracy.
"""

from evx.evaluation.alignment import (
    Pair,
    match_document,
    normalize_value,
    prediction_span,
    values_agree,
)
from evx.evaluation.anchored import EventReport, score_events
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
    "EventReport",
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
    "score_events",
    "values_agree",
]
