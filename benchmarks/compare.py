#!/usr/bin/env python3
"""Measure evx and its peers in one run and print the figures as Markdown tables.

Usage::

    python benchmarks/compare.py [--tokens 100000] [--sizes 10,100,1000] [--repeat 5]
                                 [--linear 1000,2000,4000,5000] [--profile]

Every figure is the median wall time of ``--repeat`` passes after one warm-up pass, over
the shared corpus and pattern sets (generated once and cached under ``build/bench/``):

* tokenization: evx ``Document.from_text`` vs spaCy's blank ``nlp.make_doc``;
* matching, documents pre-tokenized: evx ``RuleSet.annotate`` (all patterns) vs spaCy's
  ``Matcher`` (all patterns) vs spaCy's ``PhraseMatcher`` (the literal patterns only), with
  the ratios evx / Matcher and evx / PhraseMatcher (below 1: evx is faster);
* linear time: a pathological nested-star pattern run straight through evx's VM on single
  sentences of growing length, and through the normal path, whose prefilter skips it;
* end to end: ``RuleSet.extract`` with the rule packs shipped in ``rules/`` (when they load).

``--profile`` adds a cProfile of one evx matching pass with the largest pattern set.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from importlib.metadata import version
from pathlib import Path

import evx
from bench_inputs import (
    DEFAULT_SIZES,
    DEFAULT_TOKENS,
    REPO,
    CorpusDoc,
    corpus_file,
    load_corpus,
    patterns_file,
    spacy_missing_reason,
)
from translate import load_patterns
from workloads import (
    LINEAR_SIZES,
    PATHOLOGICAL_PATTERN,
    PATHOLOGICAL_RULES,
    SpacyHelpers,
    evx_annotate,
    evx_extract,
    evx_ruleset,
    evx_tokenize,
    load_rules_text,
    pathological_program,
    pathological_sentence,
    phrase_matcher,
    spacy_match,
    spacy_matcher,
    spacy_nlp,
    spacy_tokenize,
    vm_search,
    wire_words,
)


def median_seconds(fn: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall time of ``repeat`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def secs(x: float) -> str:
    """Seconds with four significant digits."""
    return f"{x:.4g}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.3g}x" if b > 0 else "n/a"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table; the first column left-aligned, the others right-aligned."""
    align = ["---"] + ["---:"] * (len(header) - 1)
    lines = [header, align, *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def machine() -> str:
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    return (
        f"machine: {cpus} CPUs ({usable} usable), {platform.machine()}, "
        f"{platform.system()} {platform.release()}; "
        f"{platform.python_implementation()} {platform.python_version()}; "
        f"spaCy {version('spacy')}; evx {evx.__version__}{source_version()}"
    )


def source_version() -> str:
    """The checked-out commit, marked when the working tree has changes (or "" outside git)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "engine", "grammar", "rules"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f" (git {head}{', with uncommitted changes' if dirty else ''})"


def int_list(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers: {text!r}") from None
    if not values or min(values) <= 0:
        raise argparse.ArgumentTypeError(f"expected positive integers: {text!r}")
    return values


def shipped_end_to_end(
    docs: Sequence[evx.Document], corpus: Sequence[CorpusDoc], repeat: int
) -> None:
    """Print the end-to-end figures of the shipped rule packs, or why there are none."""
    rules_dir = REPO / "rules"
    print("End to end: `RuleSet.extract` with the shipped rules in `rules/`")
    print()
    try:
        rules = evx.load(rules_dir) if any(rules_dir.rglob("*.rules")) else None
    except evx.EvxError as exc:
        print(f"(skipped: the shipped rules do not load: {exc})")
        return
    if rules is None or not rules.rule_names:
        print("(skipped: no shipped rules)")
        return
    texts = [d.text for d in corpus]
    on_docs = median_seconds(partial(evx_extract, rules, docs), repeat)
    on_texts = median_seconds(partial(evx_extract, rules, texts), repeat)
    events = evx_extract(rules, docs)
    print(
        f"{len(rules.rule_names)} rules and mentions, {len(rules.event_types)} event types; "
        f"{events:,} events from the corpus"
    )
    print()
    print(
        table(
            ["input", "s per pass"],
            [
                ["pre-tokenized documents (match + records)", secs(on_docs)],
                ["raw texts (tokenize + match + records)", secs(on_texts)],
            ],
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="evx vs spaCy matching figures on the shared corpus and patterns."
    )
    parser.add_argument("--tokens", type=int, default=DEFAULT_TOKENS, help="corpus size")
    parser.add_argument(
        "--sizes", type=int_list, default=list(DEFAULT_SIZES), help="pattern-set sizes"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per figure")
    parser.add_argument(
        "--linear", type=int_list, default=list(LINEAR_SIZES), help="sentence lengths"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one evx pass, largest set")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    reason = spacy_missing_reason()
    if reason is not None:
        print(reason, file=sys.stderr)
        return 2

    sizes: list[int] = sorted(set(args.sizes))
    # the generator draws its pools for the largest size it is asked for, so generate at
    # least the default sizes: a run with fewer sizes then times the very same sets
    generated = sorted(set(sizes) | set(DEFAULT_SIZES))
    corpus = load_corpus(corpus_file(args.tokens))
    pattern_sets = {n: load_patterns(patterns_file(n, generated)) for n in sizes}
    nlp = spacy_nlp()
    helpers = SpacyHelpers()
    evx_docs = evx_tokenize(corpus)
    spacy_docs = spacy_tokenize(nlp, corpus)
    repeat = args.repeat

    print(machine())
    print(
        f"corpus: {len(corpus)} documents, {sum(d.ntok for d in corpus):,} spaCy tokens, "
        f"{sum(len(d) for d in evx_docs):,} evx tokens; "
        f"each figure: median of {repeat} passes after 1 warm-up pass, seconds per pass"
    )
    print()

    # ---------------------------------------------------------------- tokenization
    t_evx = median_seconds(partial(evx_tokenize, corpus), repeat)
    t_spacy = median_seconds(partial(spacy_tokenize, nlp, corpus), repeat)
    ntok = sum(d.ntok for d in corpus)
    print("Tokenization of the corpus (no patterns)")
    print()
    print(
        table(
            ["engine", "s per pass", "tokens/s"],
            [
                ["evx `Document.from_text`", secs(t_evx), f"{ntok / t_evx:,.0f}"],
                ["spaCy blank `make_doc`", secs(t_spacy), f"{ntok / t_spacy:,.0f}"],
                ["evx / spaCy", ratio(t_evx, t_spacy), ""],
            ],
        )
    )
    print()

    # ---------------------------------------------------------------- matching
    tmp = Path(tempfile.mkdtemp(prefix="evx-compare-"))
    rows: dict[str, list[str]] = {
        key: []
        for key in (
            "evx",
            "matcher",
            "phrase",
            "r_matcher",
            "r_phrase",
            "n_evx",
            "n_matcher",
            "n_phrase",
            "load",
        )
    }
    literal_counts: list[str] = []
    for n in sizes:
        patterns = pattern_sets[n]
        t0 = time.perf_counter()
        rules = evx_ruleset(patterns, tmp / str(n))
        load_time = time.perf_counter() - t0
        matcher = spacy_matcher(nlp, patterns, helpers)
        phrases = phrase_matcher(nlp, patterns, helpers)
        literal_counts.append(str(len(phrases)))
        e = median_seconds(partial(evx_annotate, rules, evx_docs), repeat)
        m = median_seconds(partial(spacy_match, matcher, spacy_docs), repeat)
        p = median_seconds(partial(spacy_match, phrases, spacy_docs), repeat)
        rows["evx"].append(secs(e))
        rows["matcher"].append(secs(m))
        rows["phrase"].append(secs(p))
        rows["r_matcher"].append(ratio(e, m))
        rows["r_phrase"].append(ratio(e, p))
        rows["n_evx"].append(f"{evx_annotate(rules, evx_docs):,}")
        rows["n_matcher"].append(f"{spacy_match(matcher, spacy_docs):,}")
        rows["n_phrase"].append(f"{spacy_match(phrases, spacy_docs):,}")
        rows["load"].append(secs(load_time))
    print("Matching over the pre-tokenized corpus, seconds per pass")
    print()
    print(
        table(
            ["engine", *(f"N={n}" for n in sizes)],
            [
                ["evx `RuleSet.annotate`, all patterns", *rows["evx"]],
                ["spaCy `Matcher`, all patterns", *rows["matcher"]],
                [
                    f"spaCy `PhraseMatcher`, literal subset ({'/'.join(literal_counts)})",
                    *rows["phrase"],
                ],
                ["evx / spaCy `Matcher`", *rows["r_matcher"]],
                ["evx / spaCy `PhraseMatcher`", *rows["r_phrase"]],
                ["matches: evx (kept, `overlap: all`)", *rows["n_evx"]],
                ["matches: spaCy `Matcher` (every length)", *rows["n_matcher"]],
                ["matches: spaCy `PhraseMatcher`", *rows["n_phrase"]],
                ["evx load + check + compile (once, s)", *rows["load"]],
            ],
        )
    )
    print()

    # ---------------------------------------------------------------- linear time
    blow = load_rules_text(PATHOLOGICAL_RULES, tmp / "blow", "blow.rules")
    prog = pathological_program(blow)
    words = wire_words()
    linear_rows: list[list[str]] = []
    for n in sorted(set(args.linear)):
        doc = pathological_sentence(n, words)
        doc.column("punct")  # computed on first use; keep it out of the timing
        v = median_seconds(partial(vm_search, prog, doc), repeat)
        a = median_seconds(partial(blow.annotate, doc), repeat)
        linear_rows.append(
            [
                f"{n:,}",
                secs(v),
                secs(v / n * 1000),
                f"{vm_search(prog, doc):,}",
                secs(a),
            ]
        )
    print(
        f"Linear time: `{PATHOLOGICAL_PATTERN}` "
        f"({prog.size} states) on one sentence of wire-copy words"
    )
    print()
    print(
        table(
            [
                "tokens",
                "VM, no prefilter (s)",
                "s per 1,000 tokens",
                "(state, position) pairs solved",
                "`annotate`, prefilter skips (s)",
            ],
            linear_rows,
        )
    )

    print()
    shipped_end_to_end(evx_docs, corpus, repeat)

    if args.profile:
        n = max(sizes)
        rules = evx_ruleset(pattern_sets[n], tmp / f"profile-{n}")
        evx_annotate(rules, evx_docs)  # warm-up
        profiler = cProfile.Profile()
        profiler.enable()
        evx_annotate(rules, evx_docs)
        profiler.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(20)
            print()
            print(f"cProfile of one evx pass with {n} rules, by {order}:")
            print(out.getvalue().strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
