"""`evx init NAME`: make a new rule pack (event, rule, examples, a sample and a test)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import EXIT_OK, EXIT_RULES
from evx.tools.scaffold import ScaffoldError, scaffold

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx init` and its options."""
    init = sub.add_parser(
        "init",
        help="make a new rule pack: evx init NAME",
        description="Make NAME/ with NAME.rules (an event, a lexicon, a mention, a "
        "classifier and a rule with examples), a sample document and a pytest test.",
    )
    init.add_argument("name", help="the pack's name: lower-case letters, digits, _")
    init.add_argument("--dir", default=".", help="where to make it (default: here)")
    init.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the pack and list its files."""
    try:
        made = scaffold(args.name, Path(args.dir))
    except (ScaffoldError, OSError) as exc:
        print(f"evx init: {exc}", file=err)
        return EXIT_RULES
    for path in made:
        print(path, file=out)
    return EXIT_OK
