"""`evx eval`: score the events of a rule set against hand-made gold."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import (
    EXIT_DOCUMENTS,
    EXIT_OK,
    EXIT_RULES,
    add_cache_options,
    load_or_report,
    split_rules_and_inputs,
)
from evx.errors import DocumentError
from evx.evaluation import GoldError, evaluate

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx eval` and its options."""
    ev = sub.add_parser(
        "eval",
        help="score rules against gold: evx eval RULES... INPUTS... --gold DIR",
        description="Run rule files/directories over text files/directories and score the "
        "events against gold records (<DIR>/<document stem>.jsonl): precision, recall and F1 "
        "per event type, field accuracy over matched pairs, one row per document.",
    )
    ev.add_argument("paths", nargs="+", metavar="PATH", help="rule sources, then inputs")
    ev.add_argument("--gold", required=True, metavar="DIR", help="directory of gold .jsonl files")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument(
        "--errors", action="store_true", help="also list false positives and false negatives"
    )
    add_cache_options(ev)
    ev.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Score rules against gold: 0 when it ran (scores are information, not a verdict),
    2 for rule errors, 1 when the gold or a document could not be read."""
    rule_paths, inputs = split_rules_and_inputs(args.paths)
    if not rule_paths:
        print("evx eval: no rule files given (a .rules file or a directory of them)", file=err)
        return EXIT_RULES
    if not inputs:
        print("evx eval: no inputs given (text files or directories of .txt files)", file=err)
        return EXIT_RULES
    rules = load_or_report(rule_paths, err, args)
    if rules is None:
        return EXIT_RULES
    try:
        report = evaluate(rules, inputs, args.gold)
    except (GoldError, DocumentError) as exc:
        print(f"evx: {exc}", file=err)
        return EXIT_DOCUMENTS
    if args.json:
        json.dump(report.to_dict(errors=args.errors), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(report.render_table())
        if args.errors:
            out.write("\n" + report.render_errors())
    return EXIT_OK
