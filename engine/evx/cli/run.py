"""`evx run`: extract the events of documents, from files, directories, collections or stdin.

Inputs are read lazily by :mod:`evx.text.readers` and go through ``RuleSet.outcomes``, in
worker processes with ``--jobs`` or on a Dask cluster with ``--dask``; records come back in
input order whatever runs them, and go to a sink of :mod:`evx.records.sinks` (``--format``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from evx.cli.common import (
    EXIT_DOCUMENTS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RULES,
    add_cache_options,
    load_or_report,
    split_rules_and_inputs,
)
from evx.cli.output import Output
from evx.cli.progress import Progress, plural
from evx.cli.resume import Journal, ResumeError, Tally, journal_path, partial_path, skip_done
from evx.cli.spacy_input import add_spacy_option, pipeline_problem, spacy_reader
from evx.records.sinks import FORMATS, DocumentText, Format
from evx.ruleset import BackendFactory, Outcome
from evx.text.decoding import DECODE_POLICIES, canonical_encoding
from evx.text.pieces import MAX_DOCUMENT_CHARS
from evx.text.readers import (
    DEFAULT_GLOBS,
    INPUT_FORMATS,
    ReadOptions,
    ReadStats,
    count_documents,
    read_inputs,
)
from evx.text.sentences import MAX_SENTENCE_TOKENS

if TYPE_CHECKING:
    from evx.cli.common import SubParsers

_SUFFIX_FORMATS = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".html": "html",
    ".htm": "html",
}


def _limit(text: str) -> int:
    """A size limit on the command line: a whole number, 0 for none (a usage error
    otherwise, not a failure of every document)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative: give a limit, or 0 for none")
    return value


def register(sub: SubParsers) -> None:
    """Add `evx run` and its options."""
    run = sub.add_parser(
        "run",
        help="extract events: evx run RULES... INPUTS...",
        description="Run rule files/directories over documents: text files, directories "
        "of them, JSON Lines/CSV/Parquet collections (one document per row), or - for "
        "stdin; .gz and .zst files are decompressed. Records go to stdout (or -o) as JSON "
        "Lines, CSV, Parquet or one HTML page (the page evx view writes).",
    )
    run.add_argument("paths", nargs="+", metavar="PATH", help="rule sources, then inputs")
    run.add_argument(
        "-o",
        "--output",
        help="write the records here instead of stdout (replaced only when the run ends)",
    )
    run.add_argument(
        "--resume",
        action="store_true",
        help="go on from where an interrupted run with -o FILE stopped (FILE.partial and its "
        "journal), skipping the documents it had written; same inputs and options",
    )
    run.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help="output format (default: by the -o suffix, .csv, .parquet or .html; else jsonl); "
        "html is one self-contained page of the documents and their records, as evx view "
        "writes it",
    )
    run.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default 1)")
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on a Dask cluster (its scheduler's address), or 'local' for a local "
        "cluster of --jobs worker processes (the dask extra)",
    )
    run.add_argument("--mentions", action="store_true", help="also output mention spans as records")
    run.add_argument(
        "--meta", action="store_true", help="add each document's metadata to its records (meta)"
    )
    run.add_argument(
        "--stories",
        action="store_true",
        help="one record per story (the statements of one event in a document, for event "
        "types that declare `story:`), listing its statements under `mentions`",
    )
    run.add_argument(
        "--no-inherit",
        dest="inherit",
        action="store_false",
        help="each record only what its own statement says: no field taken from its story",
    )
    run.add_argument(
        "--provenance",
        action="store_true",
        help="add to each record where each field's value came from: stated, defaulted or "
        "inherited, the rule and the span",
    )
    run.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar, no summary, no notes"
    )
    run.add_argument(
        "--max-sentence-tokens",
        type=_limit,
        default=MAX_SENTENCE_TOKENS,
        metavar="N",
        help="cut longer sentences into pieces of N tokens, with a warning "
        f"(default {MAX_SENTENCE_TOKENS:,}; 0: never cut)",
    )
    run.add_argument(
        "--max-document-chars",
        type=_limit,
        default=MAX_DOCUMENT_CHARS,
        metavar="N",
        help="read a longer document in pieces of at most N characters, cut at paragraph, "
        f"sentence or space bounds, with a warning (default {MAX_DOCUMENT_CHARS:,}; 0: never)",
    )
    inputs = run.add_argument_group("inputs")
    inputs.add_argument(
        "--glob",
        action="append",
        metavar="PATTERN",
        help="which files of a directory to read (repeatable; a pattern with / matches the "
        f"path under the directory; default {' '.join(DEFAULT_GLOBS)})",
    )
    inputs.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default="auto",
        help="read every input as this format (default auto: by suffix, stdin as text)",
    )
    inputs.add_argument(
        "--id-field", default="id", help="a collection's document id column (default id)"
    )
    inputs.add_argument(
        "--text-field", default="text", help="a collection's text column (default text)"
    )
    inputs.add_argument("--encoding", default="utf-8", help="input encoding (default utf-8)")
    inputs.add_argument(
        "--on-decode-error",
        choices=DECODE_POLICIES,
        default="fail",
        help="a document that does not decode: fail it (D001, default), replace bad bytes "
        "with U+FFFD, or skip it",
    )
    add_cache_options(run)
    add_spacy_option(run)
    run.set_defaults(func=command)


def _read_options(args: argparse.Namespace, err: TextIO) -> ReadOptions | None:
    try:
        encoding = canonical_encoding(args.encoding)
    except LookupError:
        print(f"evx run: --encoding {args.encoding}: Python knows no such encoding", file=err)
        return None
    return ReadOptions(
        globs=tuple(args.glob) if args.glob else DEFAULT_GLOBS,
        id_field=args.id_field,
        text_field=args.text_field,
        encoding=encoding,
        on_decode_error=args.on_decode_error,
        input_format=args.input_format,
    )


def _format(args: argparse.Namespace) -> Format:
    name = args.format
    if name is None and args.output:
        name = _SUFFIX_FORMATS.get(Path(args.output).suffix.lower())
    return FORMATS[name or "jsonl"]


@contextlib.contextmanager
def _backend(args: argparse.Namespace) -> Iterator[BackendFactory | None]:
    """The Dask backend ``--dask`` asks for, connected for the run (None without it)."""
    if not args.dask:
        yield None
        return
    from evx.integrations import dask as on_dask

    with on_dask.connect(args.dask, workers=max(args.jobs, 2)) as client:
        yield functools.partial(on_dask.DaskBackend, client)


def _journal(args: argparse.Namespace, fmt: Format, err: TextIO) -> Journal | None:
    """The journal of the interrupted run `--resume` goes on from, or None after a
    message saying why there is none to go on from."""
    if not args.output:
        print("evx run: --resume needs -o FILE (the output of the interrupted run)", file=err)
        return None
    target = Path(args.output)
    partial, journal = partial_path(target), journal_path(target)
    if not fmt.resumable:
        print(f"evx run: --resume: a {fmt.name} output cannot be continued; run again", file=err)
        return None
    if not (partial.is_file() and journal.is_file()):
        print(
            f"evx run: --resume: nothing to resume: no {partial} with its journal "
            "(a run interrupted with Ctrl-C leaves them)",
            file=err,
        )
        return None
    try:
        found = Journal.load(journal)
    except ResumeError as exc:
        print(f"evx run: --resume: {exc}", file=err)
        return None
    if found.format != fmt.name:
        print(
            f"evx run: --resume: the interrupted run wrote {found.format}, not {fmt.name}",
            file=err,
        )
        return None
    if partial.stat().st_size < found.tally.size:
        print(f"evx run: --resume: {partial} is shorter than its journal says", file=err)
        return None
    return found


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Extract the events of every input; records to stdout or `-o`."""
    rule_paths, inputs = split_rules_and_inputs(args.paths)
    if not rule_paths:
        print("evx run: no rule files given (a .rules file or a directory of them)", file=err)
        return EXIT_RULES
    if not inputs:
        print("evx run: no inputs given (files, directories, collections, or -)", file=err)
        return EXIT_RULES
    options = _read_options(args, err)
    if options is None:
        return EXIT_RULES
    if args.dask:
        try:
            import evx.integrations.dask  # noqa: F401 (is the extra there?)
        except ImportError:
            print("evx run: --dask needs the dask extra: pip install 'evx[dask]'", file=err)
            return EXIT_RULES
    fmt = _format(args)
    rules = load_or_report(rule_paths, err, args)
    if rules is None:
        return EXIT_RULES
    problem = pipeline_problem(args.spacy) if args.spacy else None
    if problem:
        print(f"evx run: {problem}", file=err)
        return EXIT_RULES
    journal = _journal(args, fmt, err) if args.resume else None
    if args.resume and journal is None:
        return EXIT_RULES
    seed = (partial_path(Path(args.output)), journal.tally.size) if journal else None
    output = Output.open(args.output, out, err, binary=fmt.binary, seed=seed)
    if output is None:
        return EXIT_RULES
    tally = Tally() if journal is None else journal.tally
    try:
        sink = fmt.open(
            output.stream,
            rules.layout(
                mentions=args.mentions,
                meta=args.meta,
                stories=args.stories,
                provenance=args.provenance,
            ),
            append=journal is not None,
        )
    except ImportError as exc:  # the format's extra is not installed
        output.abandon()
        print(f"evx run: {exc}", file=err)
        return EXIT_RULES
    show_bar = not args.quiet and err.isatty()
    total = count_documents(inputs, options) if show_bar else None
    progress = Progress(err, total=total, bar=show_bar, event_types=rules.event_types)
    stats = ReadStats()
    undecodable = 0

    def finish(outcome: Outcome) -> None:
        nonlocal undecodable, tally
        error = outcome.error
        if outcome.skipped:
            if not args.quiet:
                progress.note(f"evx: note: skipped {error}")
        elif error is not None:
            progress.note(f"evx: {error}")
            undecodable += error.code == "D001"
        for warning in outcome.warnings:
            progress.note(f"evx: {warning}")
        records = list(outcome.records)
        if args.meta:
            records = [{**r, "meta": dict(outcome.meta)} for r in records]
        if not fmt.page:
            sink.write(records)
        elif not outcome.skipped:  # a page leaves out what --on-decode-error skip skips
            failure = str(error) if error is not None else None
            text = outcome.text or ""
            sink.write(records, DocumentText(outcome.doc_id, text, failure, outcome.merged))
        failed = error is not None and not outcome.skipped
        progress.done(records, outcome.tokens, failed=failed, skipped=outcome.skipped)
        tally = tally.done(outcome.doc_id, failed, output.stream if output.target else None)

    try:
        with _backend(args) as backend:
            docs = read_inputs(inputs, options, stats)
            for outcome in rules.outcomes(
                skip_done(docs, journal) if journal else docs,
                options=options,
                mentions=args.mentions,
                stories=args.stories,
                inherit=args.inherit,
                provenance=args.provenance or fmt.page,  # a page shows where values came from
                max_sentence_tokens=args.max_sentence_tokens or None,
                max_document_chars=args.max_document_chars or None,
                n_process=args.jobs,
                backend=backend,
                read=spacy_reader(args.spacy) if args.spacy else None,
                texts=fmt.page,
            ):
                finish(outcome)
    except KeyboardInterrupt:
        progress.close()
        if fmt.page:  # the page of the documents finished: FILE.partial is a whole page
            with contextlib.suppress(Exception):
                sink.close()
        kept = output.abandon(tally.size if fmt.resumable else None)
        where = f"; {args.output} is as it was, their records are in {kept}" if kept else ""
        if kept is not None and fmt.resumable and args.output:
            Journal(fmt.name, tally).save(journal_path(Path(args.output)))
            where += " (--resume goes on from there)"
        done = plural(tally.documents, "document")
        print(f"evx: interrupted after {done}{where}", file=err)
        return EXIT_INTERRUPTED
    except ResumeError as exc:
        progress.close()
        output.discard()
        print(f"evx run: --resume: {exc}; {args.output}.partial is as it was", file=err)
        return EXIT_RULES
    except BaseException:
        progress.close()
        output.abandon()
        raise
    progress.close()
    sink.close()
    output.commit()
    if journal is not None:
        partial_path(Path(args.output)).unlink(missing_ok=True)
        journal_path(Path(args.output)).unlink(missing_ok=True)
    if not args.quiet:
        if journal is not None:
            earlier = plural(journal.tally.documents, "document")
            print(f"evx: resumed after the {earlier} the interrupted run had written", file=err)
        print(progress.summary(stats.skipped_files, options.globs), file=err)
    if undecodable and options.encoding == "utf-8":
        print(
            f"evx: hint: {plural(undecodable, 'document')} not valid UTF-8: --encoding names "
            "the inputs' encoding (cp1252, latin-1, ...); --on-decode-error replace or skip "
            "keeps going",
            file=err,
        )
    if tally.failed:
        print(f"evx: {plural(tally.failed, 'document')} failed", file=err)
        return EXIT_DOCUMENTS
    return EXIT_OK
