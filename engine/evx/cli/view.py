"""`evx view`: run rules over inputs and write one self-contained HTML page of the matches."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
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
from evx.errors import DocumentError, EvxError
from evx.text.readers import load_document, read_inputs
from evx.tools.html import DocumentView, page_sink, write_view

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx view` (also `evx show`) and its options."""
    view = sub.add_parser(
        "view",
        aliases=["show"],
        help="write an HTML page of the matches: evx view RULES... INPUTS... -o report.html",
        description="Run the rules and write one self-contained HTML page: the documents "
        "with triggers and arguments highlighted by event type, each record's fields, rule "
        "and provenance, and a summary per type and per rule (with the rules that never "
        "fired). No network, no script. `evx run --format html` writes the same page.",
    )
    view.add_argument("paths", nargs="+", metavar="PATH", help="rule sources, then inputs")
    view.add_argument("-o", "--output", required=True, help="the HTML file to write")
    view.add_argument("--title", default="evx run", help="the page title")
    add_cache_options(view)
    view.set_defaults(func=command)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the rules over the inputs and write the page."""
    rule_paths, inputs = split_rules_and_inputs(args.paths)
    if not rule_paths or not inputs:
        print("evx view: give rule files/directories, then inputs", file=err)
        return EXIT_RULES
    rules = load_or_report(rule_paths, err, args)
    if rules is None:
        return EXIT_RULES
    target = Path(args.output)
    # written beside the target and moved into place: a failed run leaves no half page
    fd, tmp = tempfile.mkstemp(dir=target.parent or Path("."), prefix=".evx-", suffix=".html")
    documents = records = failed = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            sink = page_sink(rules, handle, title=args.title)
            for item in read_inputs(inputs):
                doc_id, payload = read_input(item)
                try:
                    if isinstance(payload, DocumentError):
                        raise payload
                    doc = load_document(payload, doc_id)
                    view = DocumentView(doc_id, doc.text, tuple(rules.extract(doc, doc_id)))
                except EvxError as exc:
                    failed += 1
                    print(f"evx: {exc}", file=err)
                    view = DocumentView(doc_id, "", error=str(exc))
                write_view(sink, view)
                documents += 1
                records += len(view.events)
            sink.close()
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes it private; a report is an ordinary file
    os.replace(tmp, target)
    print(f"wrote {target}: {documents} documents, {records} records", file=err)
    return EXIT_DOCUMENTS if failed else EXIT_OK
