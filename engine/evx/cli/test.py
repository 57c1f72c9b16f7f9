"""`evx test`: run every `example` and `counter` clause of the rules and report failures.

An example that holds only through other rules (it still holds with its own rule left out)
is warned about (W318) in the diagnostic format of `evx check`; `--strict` makes any
warning fail the run, and `--format json` prints failures (E501) and warnings as the JSON
diagnostics `evx check --format json` prints.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import EXIT_DOCUMENTS, EXIT_OK, EXIT_RULES, add_cache_options, load_or_report
from evx.cli.diagnostics import print_diagnostics, user_paths
from evx.tools.examples import ExampleRunner

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx test` and its options."""
    test = sub.add_parser("test", help="run every example and counter-example in the rules")
    test.add_argument("rules", nargs="+")
    test.add_argument("-v", "--verbose", action="store_true")
    test.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) on warnings too: the checker's, and W318, an example that holds "
        "without its own rule",
    )
    test.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default), or json: one diagnostic per line on stdout, failing examples "
        "as E501, the summary on stderr",
    )
    add_cache_options(test)
    test.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run every example and counter-example; 1 when one fails (or warns, with --strict)."""
    json_out = args.format == "json"
    rules = load_or_report(args.rules, out if json_out else err, args, fmt=args.format)
    if rules is None:
        return EXIT_RULES
    rename = user_paths(args.rules)
    runner = ExampleRunner(rules)
    examples = rules.examples()
    failures = 0
    warned = 0
    for example in examples:
        outcome = runner.run(example)
        if outcome.warning is not None:
            warned += 1
            print_diagnostics([outcome.warning], out, rename, args.format)
        problem = outcome.problem
        if problem is None:
            if args.verbose and not json_out:
                print(f"PASS {example.where} {example.rule}", file=out)
            continue
        failures += 1
        if json_out:
            assert outcome.failure is not None
            print_diagnostics([outcome.failure], out, rename, args.format)
            continue
        kind = "counter" if example.counter else "example"
        print(f"FAIL {example.where} {example.rule} ({kind})", file=out)
        print(f"    text: {example.text}", file=out)
        for line in problem.splitlines():
            print(f"    {line}", file=out)
    passed = len(examples) - failures
    summary = f"{passed} passed, {failures} failed ({len(examples)} examples)"
    if warned:
        summary += f", {warned} warning{'s' if warned != 1 else ''}"
    print(summary, file=err if json_out else out)
    warnings = warned + len(rules.warnings)
    if args.strict and warnings and not failures:
        plural = "s" if warnings != 1 else ""
        print(f"{warnings} warning{plural}, failing under --strict", file=err)
        return EXIT_DOCUMENTS
    return EXIT_DOCUMENTS if failures else EXIT_OK
