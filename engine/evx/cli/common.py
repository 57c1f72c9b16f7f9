"""What every command shares: exit codes, telling rule sources from inputs, loading rules."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from evx import cache
from evx.cli.diagnostics import print_diagnostics, user_paths
from evx.errors import DocumentError, RuleCheckError, RuleSyntaxError
from evx.lang.loader import RULE_SUFFIX
from evx.ruleset import RuleSet, load
from evx.text.readers import InputDocument, Payload, unreadable

if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]
    """What a command module's ``register`` adds its parser to."""

EXIT_OK = 0
EXIT_DOCUMENTS = 1
EXIT_RULES = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


def _is_rule_source(arg: str) -> bool:
    path = Path(arg)
    if arg == "-":
        return False
    if path.is_file():
        return path.suffix == RULE_SUFFIX
    if path.is_dir():
        return any(p.is_file() for p in path.rglob(f"*{RULE_SUFFIX}"))
    return arg.endswith(RULE_SUFFIX)


def split_rules_and_inputs(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """Leading rule files/directories, then inputs: `evx run rules/ seeds/`."""
    rules: list[str] = []
    i = 0
    while i < len(args) and _is_rule_source(args[i]):
        rules.append(args[i])
        i += 1
    return rules, list(args[i:])


def add_cache_options(parser: argparse.ArgumentParser) -> None:
    """--cache-dir, --no-cache and --allow-outside, for every command that loads rules."""
    parser.add_argument(
        "--allow-outside",
        action="append",
        default=[],
        metavar="DIR",
        help="let rule files import or read lexicons under DIR too (by default only under "
        "the rule directories given)",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where compiled rule sets are kept between runs (default: $EVX_CACHE_DIR, "
        "else the user cache directory)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="parse and check the rules, keep nothing"
    )


def cache_dir_of(args: argparse.Namespace) -> Path | None:
    """The compile cache directory the options ask for, or None for no cache."""
    if getattr(args, "no_cache", False):
        return None
    chosen = getattr(args, "cache_dir", None) or os.environ.get("EVX_CACHE_DIR")
    return Path(chosen) if chosen else cache.default_dir()


def load_or_report(
    paths: Sequence[str],
    err: TextIO,
    args: argparse.Namespace | None = None,
    fmt: str = "text",
) -> RuleSet | None:
    """The loaded rule set, or None after printing its syntax or check errors to `err`;
    warnings are printed to `err` too, and the rules load. Paths are printed as the user
    gave them; ``fmt`` "json" prints one JSON object per diagnostic instead. ``args``
    carries the cache options (no cache without them)."""
    rename = user_paths(paths)
    try:
        rules = load(
            paths,
            cache_dir=cache_dir_of(args) if args is not None else None,
            allow_outside=getattr(args, "allow_outside", None) or (),
        )
    except RuleSyntaxError as exc:
        print_diagnostics([exc.diagnostic], err, rename, fmt)
        return None
    except RuleCheckError as exc:
        print_diagnostics(exc.diagnostics, err, rename, fmt)
        if fmt == "text":
            n = len(exc.diagnostics)
            print(f"{n} error{'s' if n != 1 else ''} in rule set", file=err)
        return None
    print_diagnostics(rules.warnings, err, rename, fmt)
    return rules


def read_input(item: InputDocument) -> tuple[str, Payload] | tuple[str, DocumentError]:
    """(id, bytes or text) of one input, or (id, its error) when it cannot be had (D004
    for an unreadable file)."""
    try:
        return item.id, item.read()
    except DocumentError as exc:
        return item.id, exc
    except OSError as exc:
        return item.id, unreadable(item.id, exc)
