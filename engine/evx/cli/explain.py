"""`evx explain`: where one rule matched in a document and what became of it, or how far it got."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import (
    EXIT_DOCUMENTS,
    EXIT_OK,
    EXIT_RULES,
    add_cache_options,
    load_or_report,
    read_input,
    split_rules_and_inputs,
)
from evx.cli.diagnostics import user_paths
from evx.errors import DocumentError
from evx.text.document import Document
from evx.text.readers import load_document, read_inputs
from evx.tools.explain import UnknownRuleError, explain

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx explain` and its options."""
    exp = sub.add_parser(
        "explain",
        help="show where one rule matched in a file, or how far it got",
        description="For each sentence a rule could match: its matches and whether they were "
        "kept, or the near miss (the furthest token reached and what was expected there).",
    )
    exp.add_argument(
        "paths", nargs="+", metavar="PATH", help="rule sources, then one text file (or --text)"
    )
    exp.add_argument("--rule", required=True, help="rule name (or file:rule)")
    exp.add_argument("--all", action="store_true", help="every sentence, not just candidates")
    exp.add_argument("--text", metavar="TEXT", help="explain on this text instead of a file")
    exp.add_argument(
        "--field",
        metavar="NAME",
        help="trace how this field of each record got its value: the capture, the `set:` "
        "line, the normalizer or classifier steps",
    )
    add_cache_options(exp)
    exp.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Explain one rule on one document, sentence by sentence."""
    rule_paths, inputs = split_rules_and_inputs(args.paths)
    wanted = 0 if args.text is not None else 1
    if not rule_paths or len(inputs) != wanted:
        print(
            "evx explain: give rule files/directories, then one text file or --text TEXT",
            file=err,
        )
        return EXIT_RULES
    rules = load_or_report(rule_paths, err, args)
    if rules is None:
        return EXIT_RULES
    if args.text is not None:
        doc = Document.from_text(args.text, "<text>")
    else:
        item = next(iter(read_inputs(inputs)))
        _doc_id, payload = read_input(item)
        if isinstance(payload, DocumentError):
            print(f"evx: {payload}", file=err)
            return EXIT_DOCUMENTS
        try:
            doc = load_document(payload, item.id)
        except DocumentError as exc:
            print(f"evx: {exc}", file=err)
            return EXIT_DOCUMENTS
    try:
        reports = explain(rules, doc, args.rule, every_sentence=args.all, field=args.field)
    except UnknownRuleError as exc:
        print(f"evx explain: {exc}", file=err)
        return EXIT_RULES
    for report in reports:
        print(report.render(user_paths(rule_paths)), file=out)
        print(file=out)
    if not reports:
        print(f"rule {args.rule} could not match any sentence (its literals never occur)", file=out)
    return EXIT_OK
