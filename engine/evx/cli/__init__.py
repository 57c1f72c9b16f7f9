"""The `evx` command: a thin layer over RuleSet for running, checking and testing rules.

Each subcommand is a module of this package with ``register(subparsers)`` and
``command(args, out, err) -> int``; :data:`COMMANDS` lists them in the order `evx --help`
shows them. Exit status: 0 when all went well, 2 for rule errors (syntax or checks), 1
when some documents failed (each reported; every other document is still processed) or,
for `evx test`, when an example fails.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TextIO

from evx.cli import check, codegen, diff, evaluate, explain, init, run, schema, test, view
from evx.cli.common import EXIT_INTERRUPTED, EXIT_OK, EXIT_RULES, split_rules_and_inputs
from evx.errors import EvxError
from evx.version import __version__

if TYPE_CHECKING:
    from evx.cli.common import SubParsers

__all__ = ["COMMANDS", "Command", "build_parser", "main", "split_rules_and_inputs"]


class Command(Protocol):
    """What a subcommand module provides."""

    def register(self, sub: SubParsers) -> None:
        """Add the subcommand's parser, with ``func=command`` as its default."""
        ...

    def command(self, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        """Run it; return the exit status."""
        ...


COMMANDS: tuple[Command, ...] = (
    run,
    check,
    test,
    evaluate,
    explain,
    schema,
    view,
    diff,
    init,
    codegen,
)
"""The subcommand modules, in the order `evx --help` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The `evx` argument parser with every subcommand of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="evx", description="Typed, explainable event extraction with rules."
    )
    parser.add_argument("--version", action="version", version=f"evx {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Entry point of the `evx` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = out or sys.stdout
    err = err or sys.stderr
    func: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.func
    try:
        return func(args, out, err)
    except EvxError as exc:  # anything we raise on purpose reads as a message, not a trace
        print(f"evx: {exc}", file=err)
        return EXIT_RULES
    except KeyboardInterrupt:
        print("evx: interrupted", file=err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `evx run ... | head`: the reader left; exit quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
