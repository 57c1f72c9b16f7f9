"""`evx run`: extract the events of text files, directories of them or stdin, as JSON Lines."""

from __future__ import annotations

import argparse
import multiprocessing
import signal
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import (
    EXIT_DOCUMENTS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RULES,
    add_cache_options,
    load_or_report,
    read_input,
    split_rules_and_inputs,
)
from evx.cli.output import Output
from evx.errors import DocumentError
from evx.records.sinks import FORMATS, Record
from evx.ruleset import RuleSet
from evx.text.readers import load_document, read_inputs
from evx.text.sentences import MAX_SENTENCE_TOKENS

if TYPE_CHECKING:
    from evx.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add `evx run` and its options."""
    run = sub.add_parser(
        "run",
        help="extract events: evx run RULES... INPUTS...",
        description="Run rule files/directories over text files/directories (or - for "
        "stdin); events go to stdout as JSON Lines.",
    )
    run.add_argument("paths", nargs="+", metavar="PATH", help="rule sources, then inputs")
    run.add_argument(
        "-o",
        "--output",
        help="write JSON Lines here instead of stdout (replaced only when the run ends)",
    )
    run.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default 1)")
    run.add_argument("--mentions", action="store_true", help="also output mention spans as records")
    run.add_argument(
        "--max-sentence-tokens",
        type=int,
        default=MAX_SENTENCE_TOKENS,
        metavar="N",
        help="cut longer sentences into pieces of N tokens, with a warning "
        f"(default {MAX_SENTENCE_TOKENS:,}; 0: never cut)",
    )
    add_cache_options(run)
    run.set_defaults(func=command)


_WORKER_RULES: RuleSet | None = None
_WORKER_MENTIONS = False
_WORKER_LIMIT: int | None = None


def _worker_init(rules: RuleSet, mentions: bool, limit: int | None) -> None:
    # the rule set arrives pickled as its checked form and compiles again here: no
    # worker parses or checks the rule files. Ctrl-C is the parent's to handle: it
    # stops the pool, and no worker prints a traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _WORKER_RULES, _WORKER_MENTIONS, _WORKER_LIMIT
    _WORKER_RULES = rules
    _WORKER_MENTIONS = mentions
    _WORKER_LIMIT = limit


Outcome = tuple[list[Record], str | None, tuple[str, ...]]
"""One document's records, its error (None when it went well) and its warnings."""


def _process(
    rules: RuleSet, doc_id: str, data: bytes | str, mentions: bool, limit: int | None
) -> Outcome:
    """What became of one document; never raises."""
    try:
        doc = load_document(data, doc_id, max_sentence_tokens=limit)
        events = rules.extract(doc, doc_id, mentions=mentions)
    except DocumentError as exc:
        return [], str(exc), ()
    except Exception as exc:  # a bug must cost one document, not the whole batch
        error = f"{doc_id}: D900 internal error ({type(exc).__name__}: {exc}); please report"
        return [], error, ()
    return [e.to_dict() for e in events], None, tuple(f"{doc_id}: {w}" for w in doc.warnings)


def _worker_process(item: tuple[str, bytes | str]) -> Outcome:
    assert _WORKER_RULES is not None
    return _process(_WORKER_RULES, item[0], item[1], _WORKER_MENTIONS, _WORKER_LIMIT)


def _read_all(inputs: list[str]) -> Iterator[tuple[str, bytes | str] | tuple[str, DocumentError]]:
    for item in read_inputs(inputs):
        yield read_input(item)


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Extract the events of every input; JSON Lines to stdout or `-o`."""
    rule_paths, inputs = split_rules_and_inputs(args.paths)
    if not rule_paths:
        print("evx run: no rule files given (a .rules file or a directory of them)", file=err)
        return EXIT_RULES
    if not inputs:
        print("evx run: no inputs given (text files, directories of .txt files, or -)", file=err)
        return EXIT_RULES
    rules = load_or_report(rule_paths, err, args)
    if rules is None:
        return EXIT_RULES
    limit = args.max_sentence_tokens or None
    output = Output.open(args.output, out, err)
    if output is None:
        return EXIT_RULES
    sink = FORMATS["jsonl"].open(output.stream)
    failed = done = 0

    def report(message: str) -> None:
        nonlocal failed
        failed += 1
        print(f"evx: {message}", file=err)

    def finish(records: list[Record], error: str | None, warnings: tuple[str, ...]) -> None:
        nonlocal done
        if error:
            report(error)
        for warning in warnings:
            print(f"evx: {warning}", file=err)
        sink.write(records)
        done += 1

    try:
        docs = _read_all(inputs)
        if args.jobs > 1:
            readable: list[tuple[str, bytes | str]] = []
            results: list[DocumentError | None] = []
            for doc_id, payload in docs:
                if isinstance(payload, DocumentError):
                    results.append(payload)
                else:
                    readable.append((doc_id, payload))
                    results.append(None)
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(args.jobs, _worker_init, (rules, args.mentions, limit)) as pool:
                processed = iter(pool.imap(_worker_process, readable, chunksize=4))
                for slot in results:
                    if isinstance(slot, DocumentError):
                        report(str(slot))
                        done += 1
                        continue
                    finish(*next(processed))
        else:
            for doc_id, payload in docs:
                if isinstance(payload, DocumentError):
                    report(str(payload))
                    done += 1
                    continue
                finish(*_process(rules, doc_id, payload, args.mentions, limit))
    except KeyboardInterrupt:
        sink.close()
        kept = output.abandon()
        where = f"; {args.output} is as it was, their records are in {kept}" if kept else ""
        print(f"evx: interrupted after {done} document{'s' if done != 1 else ''}{where}", file=err)
        return EXIT_INTERRUPTED
    except BaseException:
        output.abandon()
        raise
    sink.close()
    output.commit()
    if failed:
        print(f"evx: {failed} document{'s' if failed != 1 else ''} failed", file=err)
        return EXIT_DOCUMENTS
    return EXIT_OK
