"""`evx check`: parse and check rule files, reporting every problem with its position (as
text, or as JSON Lines for editors and CI)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import EXIT_OK, EXIT_RULES, add_cache_options, load_or_report
from evx.tools.dump import STAGES, dump

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx check` and its options."""
    chk = sub.add_parser("check", help="parse and check rules, report every problem")
    chk.add_argument("rules", nargs="+")
    chk.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: one JSON object per diagnostic on stdout (file, line, col, end, code, "
        "severity, message, hint, related), nothing else",
    )
    chk.add_argument("--strict", action="store_true", help="fail (exit 2) on warnings too")
    chk.add_argument(
        "--dump",
        choices=STAGES,
        help="print a stage of the pipeline: ast (syntax trees), ir (checked labels and "
        "rules), plan (compiled programs, strata, prefilter keys)",
    )
    add_cache_options(chk)
    chk.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load and check the rules; print a count of what they define."""
    as_json = args.format == "json"
    rules = load_or_report(args.rules, out if as_json else err, args, fmt=args.format)
    if rules is None:
        return EXIT_RULES
    if args.strict and rules.warnings:
        if not as_json:
            n = len(rules.warnings)
            print(f"{n} warning{'s' if n != 1 else ''}, failing under --strict", file=err)
        return EXIT_RULES
    if args.dump:
        print(dump(rules, args.dump), file=out)
    if as_json or args.dump:
        return EXIT_OK
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
