"""`evx check`: parse and check rule files, reporting every problem with its position."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import EXIT_OK, EXIT_RULES, add_cache_options, load_or_report

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx check` and its options."""
    chk = sub.add_parser("check", help="parse and check rules, report every problem")
    chk.add_argument("rules", nargs="+")
    add_cache_options(chk)
    chk.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load and check the rules; print a count of what they define."""
    rules = load_or_report(args.rules, err, args)
    if rules is None:
        return EXIT_RULES
    compiled = rules.compiled
    n_events = len(rules.event_types)
    n_mentions = sum(1 for s in compiled.schemas.values() if not s.is_event and not s.external)
    n_rules = len(compiled.rules) - n_mentions
    supplied = len(rules.external_mentions) + len(rules.attributes)
    print(
        f"ok: {n_rules} rules, {n_mentions} mentions, {n_events} event types, "
        f"{len(compiled.checked.lexicons)} lexicons"
        + (f", {supplied} supplied from outside" if supplied else ""),
        file=out,
    )
    return EXIT_OK
