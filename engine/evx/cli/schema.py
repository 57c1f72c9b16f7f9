"""`evx schema`: print the JSON Schema of the records a rule set produces."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import EXIT_OK, EXIT_RULES, add_cache_options, load_or_report

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx schema` and its options."""
    schema = sub.add_parser("schema", help="print the JSON Schema of the output records")
    schema.add_argument("rules", nargs="+")
    add_cache_options(schema)
    schema.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the JSON Schema of the output records."""
    rules = load_or_report(args.rules, err, args)
    if rules is None:
        return EXIT_RULES
    json.dump(rules.json_schema(), out, indent=2)
    out.write("\n")
    return EXIT_OK
