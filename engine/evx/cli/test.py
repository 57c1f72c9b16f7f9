"""`evx test`: run every `example` and `counter` clause of the rules and report failures."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import EXIT_DOCUMENTS, EXIT_OK, EXIT_RULES, add_cache_options, load_or_report
from evx.tools.examples import run_example

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx test` and its options."""
    test = sub.add_parser("test", help="run every example and counter-example in the rules")
    test.add_argument("rules", nargs="+")
    test.add_argument("-v", "--verbose", action="store_true")
    add_cache_options(test)
    test.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run every example and counter-example; 1 when one fails."""
    rules = load_or_report(args.rules, err, args)
    if rules is None:
        return EXIT_RULES
    examples = rules.examples()
    failures = 0
    for example in examples:
        problem = run_example(rules, example)
        if problem is None:
            if args.verbose:
                print(f"PASS {example.where} {example.rule}", file=out)
            continue
        failures += 1
        kind = "counter" if example.counter else "example"
        print(f"FAIL {example.where} {example.rule} ({kind})", file=out)
        print(f"    text: {example.text}", file=out)
        for line in problem.splitlines():
            print(f"    {line}", file=out)
    passed = len(examples) - failures
    print(f"{passed} passed, {failures} failed ({len(examples)} examples)", file=out)
    return EXIT_DOCUMENTS if failures else EXIT_OK
