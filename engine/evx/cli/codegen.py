"""`evx codegen`: write the typed fields classes of the rules' event types, for static checkers."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import EXIT_OK, EXIT_RULES, add_cache_options, load_or_report
from evx.tools.codegen import fields_module

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx codegen` and its options."""
    gen = sub.add_parser(
        "codegen",
        help="write typed fields classes of the event types (for mypy and the like)",
        description="Write a Python module with a typed, registered attrs class per event "
        "type; import it before loading the rules, and isinstance(event.fields, XFields) "
        "narrows the fields for a static checker.",
    )
    gen.add_argument("rules", nargs="+")
    gen.add_argument("-o", "--output", help="write the module here (default: stdout)")
    add_cache_options(gen)
    gen.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print or write the module."""
    rules = load_or_report(args.rules, err, args)
    if rules is None:
        return EXIT_RULES
    text = fields_module(rules, " ".join(args.rules))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return EXIT_OK
