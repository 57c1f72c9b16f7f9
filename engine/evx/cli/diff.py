"""`evx diff OLD.jsonl NEW.jsonl`: the records two runs disagree on, traced to rule and field."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import EXIT_DOCUMENTS, EXIT_OK, EXIT_RULES
from evx.tools.diff import DiffInputError, diff_records, read_records, render

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx diff` and its options."""
    diff = sub.add_parser(
        "diff",
        help="compare two runs' records: added, lost, changed by field",
        description="Compare the JSON Lines of two `evx run`s: records added, lost, and "
        "changed (rule, span or field values), each with the rule that made it. Exit 0 when "
        "the runs agree, 1 when they differ, 2 when a file cannot be read.",
    )
    diff.add_argument("old", help="records of the earlier run (JSON Lines)")
    diff.add_argument("new", help="records of the later run (JSON Lines)")
    diff.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: one JSON object per change",
    )
    diff.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the changes; exit 1 when there are any."""
    try:
        old, new = read_records(args.old), read_records(args.new)
    except DiffInputError as exc:
        print(f"evx diff: {exc}", file=err)
        return EXIT_RULES
    changes = diff_records(old, new)
    if args.format == "json":
        for change in changes:
            print(json.dumps(change.to_dict(), ensure_ascii=False), file=out)
    else:
        print(render(changes, len(old), len(new)), file=out)
    return EXIT_DOCUMENTS if changes else EXIT_OK
