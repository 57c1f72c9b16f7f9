"""The `evx` command: a thin layer over RuleSet for running, checking and testing rules.

Exit status: 0 when all went well, 2 for rule errors (syntax or checks), 1 when some
documents failed (each reported; every other document is still processed) or, for
`evx test`, when an example fails.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TextIO

from evx.errors import DocumentError, EvxError, RuleCheckError, RuleSyntaxError
from evx.loader import RULE_SUFFIX
from evx.ruleset import InputDocument, RuleSet, expand_inputs, load

EXIT_OK = 0
EXIT_DOCUMENTS = 1
EXIT_RULES = 2


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


def _load_or_report(paths: Sequence[str], err: TextIO) -> RuleSet | None:
    try:
        return load(paths)
    except RuleSyntaxError as exc:
        print(str(exc), file=err)
    except RuleCheckError as exc:
        print(str(exc), file=err)
    return None


# ---------------------------------------------------------------- evx run

_WORKER_RULES: RuleSet | None = None
_WORKER_MENTIONS = False


def _worker_init(rule_paths: list[str], mentions: bool) -> None:
    # each worker compiles the rules itself: compiled programs hold closures, which
    # do not pickle, and compiling is cheaper than the documents a worker handles
    global _WORKER_RULES, _WORKER_MENTIONS
    _WORKER_RULES = load(rule_paths)
    _WORKER_MENTIONS = mentions


def _process(rules: RuleSet, doc_id: str, data: bytes, mentions: bool) -> tuple[str, str | None]:
    """(JSON lines, error message) for one document; never raises."""
    from evx.document import Document

    try:
        doc = Document.from_bytes(data, doc_id)
        events = rules.extract(doc, doc_id, mentions=mentions)
    except DocumentError as exc:
        return "", str(exc)
    except Exception as exc:  # a bug must cost one document, not the whole batch
        return "", f"{doc_id}: D900 internal error ({type(exc).__name__}: {exc}); please report"
    return "".join(e.to_json() + "\n" for e in events), None


def _worker_process(item: tuple[str, bytes]) -> tuple[str, str | None]:
    assert _WORKER_RULES is not None
    return _process(_WORKER_RULES, item[0], item[1], _WORKER_MENTIONS)


def _read_all(inputs: list[str]) -> Iterator[tuple[str, bytes] | tuple[str, DocumentError]]:
    for item in expand_inputs(inputs):
        yield _read(item)


def _read(item: InputDocument) -> tuple[str, bytes] | tuple[str, DocumentError]:
    try:
        return item.id, item.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return item.id, DocumentError(item.id, f"cannot read: {reason}", "D004")


def cmd_run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rule_paths, inputs = split_rules_and_inputs(args.paths)
    if not rule_paths:
        print("evx run: no rule files given (a .rules file or a directory of them)", file=err)
        return EXIT_RULES
    if not inputs:
        print("evx run: no inputs given (text files, directories of .txt files, or -)", file=err)
        return EXIT_RULES
    rules = _load_or_report(rule_paths, err)
    if rules is None:
        return EXIT_RULES
    failed = 0
    sink: IO[str] = open(args.output, "w", encoding="utf-8") if args.output else out  # noqa: SIM115
    try:

        def report(message: str) -> None:
            nonlocal failed
            failed += 1
            print(f"evx: {message}", file=err)

        docs = _read_all(inputs)
        if args.jobs > 1:
            readable: list[tuple[str, bytes]] = []
            results: list[tuple[str, str | None] | DocumentError] = []
            for doc_id, payload in docs:
                if isinstance(payload, DocumentError):
                    results.append(payload)
                else:
                    readable.append((doc_id, payload))
                    results.append(("", None))
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(args.jobs, _worker_init, (rule_paths, args.mentions)) as pool:
                processed = iter(pool.imap(_worker_process, readable, chunksize=4))
                for slot in results:
                    if isinstance(slot, DocumentError):
                        report(str(slot))
                        continue
                    lines, error = next(processed)
                    if error:
                        report(error)
                    sink.write(lines)
        else:
            for doc_id, payload in docs:
                if isinstance(payload, DocumentError):
                    report(str(payload))
                    continue
                lines, error = _process(rules, doc_id, payload, args.mentions)
                if error:
                    report(error)
                sink.write(lines)
                sink.flush()
    finally:
        if sink is not out:
            sink.close()
    if failed:
        print(f"evx: {failed} document{'s' if failed != 1 else ''} failed", file=err)
        return EXIT_DOCUMENTS
    return EXIT_OK


# ---------------------------------------------------------------- evx check / schema


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rules = _load_or_report(args.rules, err)
    if rules is None:
        return EXIT_RULES
    compiled = rules.compiled
    n_events = len(rules.event_types)
    n_mentions = sum(1 for s in compiled.schemas.values() if not s.is_event)
    n_rules = len(compiled.rules) - n_mentions
    print(
        f"ok: {n_rules} rules, {n_mentions} mentions, {n_events} event types, "
        f"{len(compiled.checked.lexicons)} lexicons",
        file=out,
    )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rules = _load_or_report(args.rules, err)
    if rules is None:
        return EXIT_RULES
    json.dump(rules.json_schema(), out, indent=2)
    out.write("\n")
    return EXIT_OK


# ---------------------------------------------------------------- evx test


def cmd_test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from evx.testing import run_example

    rules = _load_or_report(args.rules, err)
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


# ---------------------------------------------------------------- evx eval


def cmd_eval(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Score rules against gold: 0 when it ran (scores are information, not a verdict),
    2 for rule errors, 1 when the gold or a document could not be read."""
    from evx.evaluate import GoldError, evaluate

    rule_paths, inputs = split_rules_and_inputs(args.paths)
    if not rule_paths:
        print("evx eval: no rule files given (a .rules file or a directory of them)", file=err)
        return EXIT_RULES
    if not inputs:
        print("evx eval: no inputs given (text files or directories of .txt files)", file=err)
        return EXIT_RULES
    rules = _load_or_report(rule_paths, err)
    if rules is None:
        return EXIT_RULES
    try:
        report = evaluate(rules, inputs, args.gold)
    except (GoldError, DocumentError) as exc:
        print(f"evx: {exc}", file=err)
        return EXIT_DOCUMENTS
    if args.json:
        json.dump(report.to_dict(errors=args.errors), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(report.render_table())
        if args.errors:
            out.write("\n" + report.render_errors())
    return EXIT_OK


# ---------------------------------------------------------------- evx explain


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from evx.document import Document
    from evx.explain import explain

    rule_paths, inputs = split_rules_and_inputs(args.paths)
    if not rule_paths or len(inputs) != 1:
        print("evx explain: give rule files/directories, then one text file", file=err)
        return EXIT_RULES
    rules = _load_or_report(rule_paths, err)
    if rules is None:
        return EXIT_RULES
    item = next(iter(expand_inputs(inputs)))
    _doc_id, payload = _read(item)
    if isinstance(payload, DocumentError):
        print(f"evx: {payload}", file=err)
        return EXIT_DOCUMENTS
    doc = Document.from_bytes(payload, item.id)
    reports = explain(rules, doc, args.rule, every_sentence=args.all)
    for report in reports:
        print(report.render(), file=out)
        print(file=out)
    if not reports:
        print(f"rule {args.rule} could not match any sentence (its literals never occur)", file=out)
    return EXIT_OK


# ---------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evx", description="Typed, explainable event extraction with rules."
    )
    parser.add_argument("--version", action="version", version="evx 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="extract events: evx run RULES... INPUTS...",
        description="Run rule files/directories over text files/directories (or - for "
        "stdin); events go to stdout as JSON Lines.",
    )
    run.add_argument("paths", nargs="+", metavar="PATH", help="rule sources, then inputs")
    run.add_argument("-o", "--output", help="write JSON Lines here instead of stdout")
    run.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default 1)")
    run.add_argument("--mentions", action="store_true", help="also output mention spans as records")
    run.set_defaults(func=cmd_run)

    chk = sub.add_parser("check", help="parse and check rules, report every problem")
    chk.add_argument("rules", nargs="+")
    chk.set_defaults(func=cmd_check)

    test = sub.add_parser("test", help="run every example and counter-example in the rules")
    test.add_argument("rules", nargs="+")
    test.add_argument("-v", "--verbose", action="store_true")
    test.set_defaults(func=cmd_test)

    ev = sub.add_parser(
        "eval",
        help="score rules against gold: evx eval RULES... INPUTS... --gold DIR",
        description="Run rule files/directories over text files/directories and score the "
        "events against gold records (<DIR>/<document stem>.jsonl): precision, recall and F1 "
        "per event type, field accuracy over matched pairs, one row per document.",
    )
    ev.add_argument("paths", nargs="+", metavar="PATH", help="rule sources, then inputs")
    ev.add_argument("--gold", required=True, metavar="DIR", help="directory of gold .jsonl files")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument(
        "--errors", action="store_true", help="also list false positives and false negatives"
    )
    ev.set_defaults(func=cmd_eval)

    exp = sub.add_parser(
        "explain",
        help="show where one rule matched in a file, or how far it got",
        description="For each sentence a rule could match: its matches and whether they were "
        "kept, or the near miss (the furthest token reached and what was expected there).",
    )
    exp.add_argument("paths", nargs="+", metavar="PATH", help="rule sources, then one text file")
    exp.add_argument("--rule", required=True, help="rule name (or file:rule)")
    exp.add_argument("--all", action="store_true", help="every sentence, not just candidates")
    exp.set_defaults(func=cmd_explain)

    schema = sub.add_parser("schema", help="print the JSON Schema of the output records")
    schema.add_argument("rules", nargs="+")
    schema.set_defaults(func=cmd_schema)
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
    except BrokenPipeError:
        # `evx run ... | head`: the reader left; exit quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
