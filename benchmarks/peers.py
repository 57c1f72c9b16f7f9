#!/usr/bin/env python3
"""Peer comparison: evx against spaCy's Matcher, a naive first-token index and Hyperscan.

Usage::

    python benchmarks/peers.py --quick      # 100k tokens, N = 10 and 1,000; a few minutes
    python benchmarks/peers.py              # 100k and 1M tokens, N = 10 ... 10,000; long

    options: --tokens 100000,1000000  --sizes 10,100,1000,10000  --repeat 5
             --cell-budget 600  --linear-max 16000  --case-budget 60

On the shared corpus and pattern sets (``shared/bench``, cached under ``build/bench/``):

* **agreement** (on the smallest corpus): evx and spaCy's ``Matcher`` compared span by
  span, in character offsets, under two explicitly matched modes; the naive index
  compared with the ``Matcher`` on spaCy's own tokens (it should agree exactly);
* **matching**: one pass of each engine over tokens prepared beforehand (evx Documents,
  spaCy Docs, the naive index's token lists, UTF-8 bytes for Hyperscan);
* **end to end**: text in, records out with the rule packs in ``rules/``, against spaCy's
  blank English tokenizer over the same texts;
* **linear time**: four adversarial rules on one sentence of 1k ... 16k tokens.

Every figure is the median CPU time (``time.process_time``) of several passes, engines
interleaved (A, B, C, A, B, C, ...) in one process after one warm-up round over the first
documents. The last line of stdout is one JSON object with the headline ratios and every
raw figure (docs/benchmarks.md lists the keys).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Final

import evx
from bench_inputs import (
    REPO,
    CorpusDoc,
    corpus_file,
    load_corpus,
    load_shared_module,
    patterns_file,
    spacy_missing_reason,
)
from compare import int_list, machine, secs, table
from naive_index import NaiveIndex
from translate import EVENT_TYPE, load_patterns, pattern_text, translate
from workloads import (
    PATHOLOGICAL_PATTERN,
    SpacyHelpers,
    load_rules_text,
    spacy_matcher,
    spacy_nlp,
    wire_words,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

FULL_TOKENS: Final = (100_000, 1_000_000)
FULL_SIZES: Final = (10, 100, 1000, 10000)
QUICK_TOKENS: Final = (100_000,)
QUICK_SIZES: Final = (10, 1000)
GENERATED_SIZES: Final = FULL_SIZES
"""Always generate the same family of sets: the generator draws its pools for the largest
size asked for, so quick and full runs then time the very same patterns_10 and 1000."""

WARMUP_TOKENS: Final = 10_000
"""The warm-up round runs over the first documents up to this many tokens: the corpus
cycles through its ~190 seed sentences, so that is every word several times over."""

LINEAR_FULL: Final = (1000, 2000, 4000, 8000, 16000)
LINEAR_QUICK_MAX: Final = 4000

ENGINES: Final = ("evx", "spacy", "naive", "hyperscan")
ENGINE_LABELS: Final = {
    "evx": "evx `RuleSet.annotate` (`overlap: all`)",
    "spacy": "spaCy `Matcher` (all spans)",
    "naive": "naive first-token index",
    "hyperscan": "Hyperscan, raw-text regexes + Python callback",
}

PassFn = Callable[[int], object]
"""One pass of an engine over the first ``stop`` documents; returns its raw output."""


def log(message: str) -> None:
    """Progress on stderr, so that stdout holds the tables and the JSON line only."""
    print(f"[peers {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def corpus_name(tokens: int) -> str:
    if tokens % 1_000_000 == 0:
        return f"{tokens // 1_000_000}m"
    if tokens % 1000 == 0:
        return f"{tokens // 1000}k"
    return str(tokens)


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b, or None when either is missing or b is zero."""
    if a is None or b is None or b <= 0:
        return None
    return a / b


def times(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3g}x"


def seconds_or_na(x: float | None) -> str:
    return "n/a" if x is None else secs(x)


def fraction(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


# ---------------------------------------------------------------- inputs


@dataclass
class Corpus:
    """One corpus, prepared for every engine before anything is timed."""

    name: str
    docs: list[CorpusDoc]
    texts: list[str]
    data: list[bytes]  # UTF-8, for Hyperscan
    evx_docs: list[evx.Document]
    spacy_docs: list[Doc]
    tokens: list[tuple[list[str], list[str]]]  # spaCy's tokens (lower, text), naive index
    spacy_tokens: int
    evx_tokens: int
    warm: int  # documents in the warm-up round


def prepare_corpus(tokens: int, nlp: Language) -> Corpus:
    docs = load_corpus(corpus_file(tokens))
    texts = [d.text for d in docs]
    evx_docs = [evx.Document.from_text(d.text, str(d.id)) for d in docs]
    spacy_docs = [nlp.make_doc(text) for text in texts]
    naive_tokens = [([t.lower_ for t in doc], [t.text for t in doc]) for doc in spacy_docs]
    warm = total = 0
    for d in docs:
        warm += 1
        total += d.ntok
        if total >= WARMUP_TOKENS:
            break
    return Corpus(
        name=corpus_name(tokens),
        docs=docs,
        texts=texts,
        data=[text.encode("utf-8") for text in texts],
        evx_docs=evx_docs,
        spacy_docs=spacy_docs,
        tokens=naive_tokens,
        spacy_tokens=sum(d.ntok for d in docs),
        evx_tokens=sum(len(d) for d in evx_docs),
        warm=warm,
    )


# ---------------------------------------------------------------- timing


@dataclass
class Timing:
    """Median CPU seconds per pass of each engine, and each engine's last output."""

    seconds: dict[str, float]
    passes: int
    outputs: dict[str, object]


def passes_within(one_pass: float, repeat: int, budget: float) -> int:
    """``repeat`` passes, or as many as fit in ``budget`` seconds (at least one)."""
    if one_pass <= 0:
        return repeat
    return max(1, min(repeat, int(budget // one_pass)))


def interleaved(
    engines: Sequence[tuple[str, PassFn]], ndocs: int, warm: int, repeat: int, budget: float
) -> Timing:
    """Time the engines' passes over ``ndocs`` documents in rounds: A, B, C, A, B, C, ...

    One untimed warm-up round runs over the first ``warm`` documents; it also estimates a
    round's cost, and the number of timed rounds is ``repeat`` or as many as fit in
    ``budget`` CPU seconds (at least one).
    """
    t0 = time.process_time()
    for _name, fn in engines:
        fn(warm)
    estimate = (time.process_time() - t0) * ndocs / max(1, warm)
    rounds = passes_within(estimate, repeat, budget)
    spent: dict[str, list[float]] = {name: [] for name, _ in engines}
    outputs: dict[str, object] = {}
    for _ in range(rounds):
        for name, fn in engines:
            outputs.pop(name, None)  # free the previous output before the next pass
            t0 = time.process_time()
            out = fn(ndocs)
            spent[name].append(time.process_time() - t0)
            outputs[name] = out
    return Timing({k: statistics.median(v) for k, v in spent.items()}, rounds, outputs)


# ---------------------------------------------------------------- engines


def evx_pass(rules: evx.RuleSet, docs: Sequence[evx.Document]) -> PassFn:
    def run(stop: int) -> list[dict[str, list[Any]]]:
        return [rules.annotate(doc).hits for doc in docs[:stop]]

    return run


def spacy_pass(matcher: Matcher, docs: Sequence[Doc]) -> PassFn:
    def run(stop: int) -> list[list[tuple[int, int, int]]]:
        return [matcher(doc) for doc in docs[:stop]]

    return run


def naive_pass(index: NaiveIndex, tokens: Sequence[tuple[list[str], list[str]]]) -> PassFn:
    def run(stop: int) -> list[list[tuple[int, int, int]]]:
        return [index.match(lowers, texts) for lowers, texts in tokens[:stop]]

    return run


def hyperscan_version() -> str | None:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return None
    try:
        return version("hyperscan")
    except PackageNotFoundError:
        return "unknown version"


class HyperscanPeer:
    """Every pattern's ``to_raw_regex`` in one Hyperscan block-mode database.

    Compiled with ``HS_FLAG_SOM_LEFTMOST`` so that each match reports where it starts;
    patterns Hyperscan rejects are left out (found by bisecting a failed compile) and
    counted in :attr:`rejected`.
    """

    def __init__(self, patterns: Sequence[Mapping[str, Any]], to_raw_regex: Any) -> None:
        import hyperscan

        self._hs = hyperscan
        self.flag = hyperscan.HS_FLAG_SOM_LEFTMOST
        self.expressions = [str(to_raw_regex(p)).encode("utf-8") for p in patterns]
        self.rejected: list[int] = []
        t0 = time.process_time()
        ids = list(range(len(self.expressions)))
        try:
            self.db = self._compile(ids)
        except hyperscan.error:
            self.db = self._compile(self._accepted(ids))
        self.compile_seconds = time.process_time() - t0

    def _compile(self, ids: Sequence[int]) -> Any:
        db = self._hs.Database(mode=self._hs.HS_MODE_BLOCK)
        db.compile(
            expressions=[self.expressions[i] for i in ids],
            ids=list(ids),
            elements=len(ids),
            flags=[self.flag] * len(ids),
        )
        return db

    def _accepted(self, ids: list[int]) -> list[int]:
        """The ids that compile, bisecting when the set as a whole does not."""
        if not ids:
            return []
        try:
            self._compile(ids)
        except self._hs.error:
            if len(ids) == 1:
                self.rejected.append(ids[0])
                return []
            half = len(ids) // 2
            return self._accepted(ids[:half]) + self._accepted(ids[half:])
        return ids

    def pass_fn(self, data: Sequence[bytes]) -> PassFn:
        db = self.db

        def run(stop: int) -> list[tuple[int, int, int]]:
            found: list[tuple[int, int, int]] = []
            append = found.append

            def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
                append((pid, start, end))

            for chunk in data[:stop]:
                db.scan(chunk, match_event_handler=on_match)
            return found

        return run


# ---------------------------------------------------------------- agreement

Span = tuple[int, str, int, int]
"""(document index, pattern id, first character, end character)."""

R_BOUNDARY_EVX = "evx has no token boundary at an end of the span"
R_BOUNDARY_SPACY = "spaCy has no token boundary at an end of the span"
R_SENTENCE = "crosses an evx sentence boundary (spaCy's blank pipeline has none)"
R_TOKENS = "the engines split the span into different tokens"
R_GREEDY = "spaCy found it, but its greedy filter kept a longer match of the pattern"
R_OTHER_END = "the other engine's match of this pattern here ends elsewhere"
R_OTHER_PATTERN = "the other engine kept this span under another pattern"
R_OVERLAP = "the other engine kept an overlapping span instead"
R_OTHER = "other"
REASONS: Final = (
    R_BOUNDARY_EVX,
    R_BOUNDARY_SPACY,
    R_SENTENCE,
    R_TOKENS,
    R_GREEDY,
    R_OTHER_END,
    R_OTHER_PATTERN,
    R_OVERLAP,
    R_OTHER,
)


def evx_spans(corpus: Corpus, output: object) -> set[Span]:
    """evx's kept hits, in character offsets."""
    spans: set[Span] = set()
    assert isinstance(output, list)
    for di, hits in enumerate(output):
        doc = corpus.evx_docs[di]
        for hit in hits.get(EVENT_TYPE, ()):
            start, end = doc.char_span(hit.start, hit.end)
            spans.add((di, hit.rule.name, start, end))
    return spans


def _char_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)


def spacy_all_spans(
    corpus: Corpus, output: object, names: Mapping[int, str], order: Mapping[str, int]
) -> set[Span]:
    """spaCy's every span, one per (start, end) across patterns (the first pattern's), as
    evx's ``overlap: all`` keeps its own."""
    spans: set[Span] = set()
    assert isinstance(output, list)
    for di, matches in enumerate(output):
        found = sorted(
            {(names[match_id], start, end) for match_id, start, end in matches},
            key=lambda m: order[m[0]],
        )
        seen: set[tuple[int, int]] = set()
        for pid, start, end in found:
            if (start, end) not in seen:
                seen.add((start, end))
                spans.add((di, pid, *_char_span(corpus.spacy_docs[di], start, end)))
    return spans


def spacy_longest_per_start(
    corpus: Corpus, output: object, names: Mapping[int, str], order: Mapping[str, int]
) -> set[Span]:
    """spaCy's spans as evx's ``overlap: all`` keeps its own: the longest per pattern and
    start, then one span per (start, end) across patterns (the first pattern's)."""
    spans: set[Span] = set()
    assert isinstance(output, list)
    for di, matches in enumerate(output):
        best: dict[tuple[str, int], int] = {}
        for match_id, start, end in matches:
            key = (names[match_id], start)
            if end > best.get(key, -1):
                best[key] = end
        seen: set[tuple[int, int]] = set()
        for (pid, start), end in sorted(best.items(), key=lambda kv: order[kv[0][0]]):
            if (start, end) not in seen:
                seen.add((start, end))
                spans.add((di, pid, *_char_span(corpus.spacy_docs[di], start, end)))
    return spans


def greedy_longest(matches: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """spaCy's ``greedy="LONGEST"`` filter, applied to a ``Matcher``'s every-length output.

    ``Matcher.__call__`` finds every match and only then filters a greedy key's matches:
    per key, longest first (then earlier start), a match is kept when none of its tokens
    is taken yet (``spacy/matcher/matcher.pyx``). Doing the same here on the matches of
    the timed pass saves a second ``Matcher`` pass; :func:`check_greedy` compares it with
    a real ``greedy="LONGEST"`` matcher.
    """
    by_key: dict[int, list[tuple[int, int]]] = {}
    for key, start, end in matches:
        by_key.setdefault(key, []).append((start, end))
    kept: list[tuple[int, int, int]] = []
    for key, pairs in by_key.items():
        taken: set[int] = set()
        for start, end in sorted(pairs, key=lambda x: (x[1] - x[0], -x[0]), reverse=True):
            if taken.isdisjoint(range(start, end)):
                kept.append((key, start, end))
                taken.update(range(start, end))
    return kept


def check_greedy(
    matcher: Matcher, docs: Sequence[Doc], output: Sequence[Sequence[tuple[int, int, int]]]
) -> tuple[int, int]:
    """(spans, differences) between :func:`greedy_longest` of the every-length output and
    a real ``greedy="LONGEST"`` matcher, over ``docs``."""
    spans = differences = 0
    for doc, matches in zip(docs, output, strict=False):
        ours = set(greedy_longest(matches))
        theirs = set(matcher(doc))
        spans += len(theirs)
        differences += len(ours ^ theirs)
    return spans, differences


def spacy_non_overlapping(
    corpus: Corpus, output: object, names: Mapping[int, str], order: Mapping[str, int]
) -> tuple[set[Span], set[Span], set[Span]]:
    """spaCy's ``greedy="LONGEST"`` spans made non-overlapping across patterns the way evx's
    ``overlap: longest`` resolves its own: longest first, then earlier start, then the
    pattern written first. Also returns every match and the greedy filter's output, in
    character offsets, to explain differences."""
    spans: set[Span] = set()
    every: set[Span] = set()
    greedy: set[Span] = set()
    assert isinstance(output, list)
    for di, found in enumerate(output):
        matches = greedy_longest(found)
        doc = corpus.spacy_docs[di]
        every.update((di, names[m], *_char_span(doc, s, e)) for m, s, e in found)
        greedy.update((di, names[m], *_char_span(doc, s, e)) for m, s, e in matches)
        covered = bytearray(len(doc))
        ranked = sorted(
            ((names[m], s, e) for m, s, e in matches),
            key=lambda t: (t[1] - t[2], t[1], order[t[0]]),
        )
        for pid, start, end in ranked:
            if any(covered[start:end]):
                continue
            covered[start:end] = b"\x01" * (end - start)
            spans.add((di, pid, *_char_span(doc, start, end)))
    return spans, every, greedy


def spacy_token_spans(output: object, names: Mapping[int, str]) -> set[Span]:
    """Every spaCy match as (document, pattern id, start token, end token)."""
    assert isinstance(output, list)
    return {(di, names[m], s, e) for di, matches in enumerate(output) for m, s, e in matches}


def naive_token_spans(output: object, ids: Sequence[str]) -> set[Span]:
    assert isinstance(output, list)
    return {(di, ids[k], s, e) for di, matches in enumerate(output) for k, s, e in matches}


class _Boundaries:
    """Token boundaries of one document in both tokenizations, for explaining differences."""

    def __init__(self, corpus: Corpus, di: int) -> None:
        doc = corpus.evx_docs[di]
        self.evx_start = {s: i for i, s in enumerate(doc.starts)}
        self.evx_end = {e: i for i, e in enumerate(doc.ends)}
        self.evx_words = list(zip(doc.starts, doc.ends, doc.words, strict=True))
        self.sentence_of = doc.sentence_of
        sdoc = corpus.spacy_docs[di]
        self.spacy_tokens = [(t.idx, t.idx + len(t.text), t.text) for t in sdoc]
        self.spacy_start = {t[0] for t in self.spacy_tokens}
        self.spacy_end = {t[1] for t in self.spacy_tokens}

    def inside(self, tokens: Iterable[tuple[int, int, str]], lo: int, hi: int) -> list[str]:
        return [w for s, e, w in tokens if s >= lo and e <= hi]


@dataclass
class Comparison:
    """Two span sets compared, the differences explained."""

    left: str
    right: str
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)  # kind -> both/left/right
    reasons: dict[str, Counter[str]] = field(default_factory=dict)  # side -> reason -> n
    examples: list[str] = field(default_factory=list)

    def total(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for counts in self.by_kind.values():
            out.update(counts)
        return out

    def agreement(self) -> float | None:
        t = self.total()
        union = t["both"] + t["left"] + t["right"]
        return t["both"] / union if union else None


def compare_spans(
    left_name: str,
    right_name: str,
    left: set[Span],
    right: set[Span],
    kinds: Mapping[str, str],
    explain: Callable[[str, Span], str] | None = None,
    show: Callable[[Span], str] | None = None,
    examples_per_reason: int = 2,
) -> Comparison:
    """Count the spans found by both, only left, only right, per pattern kind; explain each
    difference with ``explain(side, span)`` and keep a few examples."""
    cmp = Comparison(left_name, right_name)
    for kind in sorted(set(kinds.values())):
        cmp.by_kind[kind] = Counter()
    for span in left & right:
        cmp.by_kind[kinds[span[1]]]["both"] += 1
    shown: Counter[tuple[str, str]] = Counter()
    for side, only in (("left", left - right), ("right", right - left)):
        name = left_name if side == "left" else right_name
        reasons = cmp.reasons.setdefault(name, Counter())
        for span in sorted(only):
            cmp.by_kind[kinds[span[1]]][side] += 1
            reason = explain(name, span) if explain is not None else R_OTHER
            reasons[reason] += 1
            if show is not None and shown[(name, reason)] < examples_per_reason:
                shown[(name, reason)] += 1
                cmp.examples.append(f"only {name} ({reason}): {show(span)}")
    return cmp


class Explainer:
    """Why a span is found by one of evx and spaCy and not the other (character spans)."""

    def __init__(
        self,
        corpus: Corpus,
        evx_found: set[Span],
        spacy_found: set[Span],
        spacy_greedy: tuple[set[Span], set[Span]] | None = None,
    ) -> None:
        """``spacy_greedy``: spaCy's every match and its greedy filter's output, when the
        spaCy side went through that filter."""
        self.corpus = corpus
        self.spacy_greedy = spacy_greedy
        self.cache: dict[int, _Boundaries] = {}
        self.by_start: dict[str, dict[tuple[int, str, int], set[int]]] = {}
        self.by_span: dict[str, set[tuple[int, int, int]]] = {}
        self.by_doc: dict[str, dict[int, list[tuple[int, int]]]] = {}
        for name, spans in (("evx", evx_found), ("spaCy", spacy_found)):
            by_start = self.by_start[name] = {}
            by_span = self.by_span[name] = set()
            by_doc = self.by_doc[name] = {}
            for di, pid, s, e in spans:
                by_start.setdefault((di, pid, s), set()).add(e)
                by_span.add((di, s, e))
                by_doc.setdefault(di, []).append((s, e))

    def bounds(self, di: int) -> _Boundaries:
        found = self.cache.get(di)
        if found is None:
            found = self.cache[di] = _Boundaries(self.corpus, di)
        return found

    def __call__(self, side: str, span: Span) -> str:
        """The reason ``span``, found only by ``side`` ("evx" or "spaCy"), is not in the other."""
        di, pid, s, e = span
        b = self.bounds(di)
        if side == "spaCy":
            if s not in b.evx_start or e not in b.evx_end:
                return R_BOUNDARY_EVX
            if b.sentence_of[b.evx_start[s]] != b.sentence_of[b.evx_end[e]]:
                return R_SENTENCE
        elif s not in b.spacy_start or e not in b.spacy_end:
            return R_BOUNDARY_SPACY
        if b.inside(b.evx_words, s, e) != b.inside(b.spacy_tokens, s, e):
            return R_TOKENS
        if side == "evx" and self.spacy_greedy is not None:
            every, greedy = self.spacy_greedy
            if span in every and span not in greedy:
                return R_GREEDY
        other = "evx" if side == "spaCy" else "spaCy"
        if (di, pid, s) in self.by_start[other]:
            return R_OTHER_END
        if (di, s, e) in self.by_span[other]:
            return R_OTHER_PATTERN
        if any(os < e and s < oe for os, oe in self.by_doc[other].get(di, ())):
            return R_OVERLAP
        return R_OTHER


def span_shower(
    corpus: Corpus, patterns: Mapping[str, Mapping[str, Any]], tokens: bool = False
) -> Callable[[Span], str]:
    """A one-line description of a span: pattern, kind, evx pattern text and the text."""

    def show(span: Span) -> str:
        di, pid, s, e = span
        if tokens:
            doc = corpus.spacy_docs[di]
            s, e = _char_span(doc, s, e)
        text = corpus.texts[di]
        found = " ".join(text[s:e].split())
        before = " ".join(text[max(0, s - 25) : s].split())
        after = " ".join(text[e : e + 25].split())
        p = patterns[pid]
        return f"{pid} [{p['kind']}] `{pattern_text(p)}`: …{before} «{found}» {after}…"

    return show


def print_comparison(title: str, cmp: Comparison) -> None:
    print(title)
    print()
    rows: list[list[str]] = []
    for kind, c in cmp.by_kind.items():
        union = c["both"] + c["left"] + c["right"]
        rows.append(
            [
                kind,
                f"{c['both']:,}",
                f"{c['left']:,}",
                f"{c['right']:,}",
                fraction(c["both"] / union if union else None),
            ]
        )
    t = cmp.total()
    rows.append(
        [
            "**all**",
            f"{t['both']:,}",
            f"{t['left']:,}",
            f"{t['right']:,}",
            fraction(cmp.agreement()),
        ]
    )
    print(
        table(["pattern kind", "both", f"only {cmp.left}", f"only {cmp.right}", "agreement"], rows)
    )
    used = [r for r in REASONS if any(counts[r] for counts in cmp.reasons.values())]
    if used:
        print()
        print(
            table(
                ["why they differ", f"only {cmp.left}", f"only {cmp.right}"],
                [
                    [
                        r,
                        f"{cmp.reasons.get(cmp.left, Counter())[r]:,}",
                        f"{cmp.reasons.get(cmp.right, Counter())[r]:,}",
                    ]
                    for r in used
                ],
            )
        )
    if cmp.examples:
        print()
        for line in cmp.examples:
            print(f"- {line}")
    print()


# ---------------------------------------------------------------- linear time

LINEAR_NEVER: Final = "zzzneverzzz"


@dataclass(frozen=True)
class LinearCase:
    key: str
    title: str
    rules: str
    lead: tuple[str, ...] = ()  # tokens the sentence starts with, before the wire copy


LINEAR_CASES: Final = (
    LinearCase(
        "capture_recovery",
        "(1) capture recovery: `[]+ [!punct]`, `overlap: each` (one match per start, each "
        "running to the sentence's last word)",
        "event Lin { overlap: each }\nrule capture -> Lin { match: []+ [!punct] }\n",
    ),
    LinearCase(
        "overlap_longest",
        "(2) overlap resolution: `[!punct]` under `overlap: longest` (one match per word)",
        "event Lin { overlap: longest }\nrule longest -> Lin { match: [!punct] }\n",
    ),
    LinearCase(
        "window_condition",
        f'(3) window conditions: `x:[!punct]` where `not sentence(x) has {{ "{LINEAR_NEVER}" }}`'
        " (true for every word)",
        "event Lin { overlap: each }\n"
        "rule window -> Lin { match: x:[!punct]\n"
        f'    where: not sentence(x) has {{ "{LINEAR_NEVER}" }} }}\n',
    ),
    LinearCase(
        "nested_stars",
        f"(4) nested stars: `{PATHOLOGICAL_PATTERN}` (workloads.py), the sentence opening "
        f"with `{LINEAR_NEVER}` (one match; every other start fails after the whole suffix)",
        f"event Lin {{ overlap: each }}\nrule nested -> Lin {{ match: {PATHOLOGICAL_PATTERN} }}\n",
        lead=(LINEAR_NEVER,),
    ),
)


class OverBudget(BaseException):
    """Raised by the CPU-time alarm; a BaseException so that no `except Exception` eats it."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise OverBudget


def cpu_limited(fn: Callable[[], object], budget: float) -> tuple[float, object]:
    """CPU seconds and result of ``fn()``; raises OverBudget after ``budget`` CPU seconds."""
    previous = signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, budget)
    try:
        t0 = time.process_time()
        out = fn()
        return time.process_time() - t0, out
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def linear_sentence(n: int, lead: Sequence[str], words: Sequence[str]) -> evx.Document:
    """One sentence of exactly ``n`` tokens: ``lead``, then the wire-copy words cycled."""
    tokens = list(lead) + [words[i % len(words)] for i in range(n - len(lead))]
    doc = evx.Document.from_tokens(tokens, sentence_starts=[0], doc_id=f"sentence-{n}")
    doc.column("punct")  # flag columns are computed on first use: keep that out of the timing
    return doc


@dataclass
class LinearResult:
    seconds: dict[int, float | None] = field(default_factory=dict)  # None: over budget
    passes: dict[int, int] = field(default_factory=dict)
    matches: dict[int, int] = field(default_factory=dict)


def run_linear(
    case: LinearCase,
    sizes: Sequence[int],
    words: Sequence[str],
    directory: Path,
    repeat: int,
    size_budget: float,
    case_budget: float,
) -> LinearResult:
    rules = load_rules_text(case.rules, directory, f"{case.key}.rules")
    result = LinearResult()
    for n in sizes:
        doc = linear_sentence(n, case.lead, words)

        def count(doc: evx.Document = doc) -> int:
            return sum(len(h) for h in rules.annotate(doc).hits.values())

        try:
            first, found = cpu_limited(count, case_budget)
            spent = [first]
            for _ in range(passes_within(first, repeat, size_budget) - 1):
                spent.append(cpu_limited(count, case_budget)[0])
        except OverBudget:
            result.seconds[n] = None
            log(f"linear {case.key}: {n:,} tokens over the {case_budget:g} s budget; stopped")
            break
        assert isinstance(found, int)
        if found == 0:
            raise RuntimeError(f"linear case {case.key} found no match on {n} tokens")
        median = result.seconds[n] = statistics.median(spent)
        result.passes[n] = len(spent)
        result.matches[n] = found
        log(f"linear {case.key}: {n:,} tokens {secs(median)} s, {found:,} matches")
    return result


# ---------------------------------------------------------------- the run


@dataclass
class SizeResult:
    """What was measured for one pattern-set size on one corpus."""

    seconds: dict[str, float | None]
    counts: dict[str, int | None]
    passes: int


@dataclass
class Report:
    """Everything the JSON line carries, filled as the run goes."""

    match: dict[str, dict[int, SizeResult]] = field(default_factory=dict)
    build: dict[int, dict[str, float | None]] = field(default_factory=dict)
    rejected: dict[int, int | None] = field(default_factory=dict)
    agreement: dict[str, dict[int, float | None]] = field(default_factory=dict)
    greedy_check: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    end_to_end: dict[str, dict[str, Any]] = field(default_factory=dict)
    linear: dict[str, LinearResult] = field(default_factory=dict)


def measure_matching(
    corpora: Sequence[Corpus],
    sizes: Sequence[int],
    nlp: Language,
    helpers: SpacyHelpers,
    to_raw_regex: Any,
    args: argparse.Namespace,
    tmp: Path,
    report: Report,
) -> None:
    have_hyperscan = hyperscan_version() is not None
    for n in sizes:
        patterns = load_patterns(patterns_file(n, GENERATED_SIZES))
        by_id = {str(p["id"]): p for p in patterns}
        kinds = {pid: str(p["kind"]) for pid, p in by_id.items()}
        order = {str(p["id"]): i for i, p in enumerate(patterns)}
        build: dict[str, float | None] = {}
        t0 = time.process_time()
        rules = load_rules_text(
            translate(patterns, overlap="all"), tmp / f"n{n}", f"bench_{n}.rules"
        )
        build["evx_load_compile"] = time.process_time() - t0
        t0 = time.process_time()
        matcher = spacy_matcher(nlp, patterns, helpers)
        build["spacy_matcher_add"] = time.process_time() - t0
        t0 = time.process_time()
        index = NaiveIndex(patterns)
        build["naive_index_build"] = time.process_time() - t0
        hs: HyperscanPeer | None = None
        build["hyperscan_compile"] = None
        report.rejected[n] = None
        if have_hyperscan:
            log(f"N={n}: compiling the Hyperscan database")
            hs = HyperscanPeer(patterns, to_raw_regex)
            build["hyperscan_compile"] = hs.compile_seconds
            report.rejected[n] = len(hs.rejected)
        report.build[n] = build
        names = {nlp.vocab.strings[pid]: pid for pid in by_id}
        for ci, corpus in enumerate(corpora):
            engines: list[tuple[str, PassFn]] = [
                ("evx", evx_pass(rules, corpus.evx_docs)),
                ("spacy", spacy_pass(matcher, corpus.spacy_docs)),
                ("naive", naive_pass(index, corpus.tokens)),
            ]
            if hs is not None:
                engines.append(("hyperscan", hs.pass_fn(corpus.data)))
            log(f"N={n}, {corpus.name} corpus: timing {', '.join(e for e, _ in engines)}")
            timing = interleaved(
                engines, len(corpus.docs), corpus.warm, args.repeat, args.cell_budget
            )
            out = timing.outputs
            counts: dict[str, int | None] = {e: None for e in ENGINES}
            seconds: dict[str, float | None] = {e: None for e in ENGINES}
            seconds.update(timing.seconds)
            assert isinstance(out["evx"], list)
            counts["evx"] = sum(len(h) for hits in out["evx"] for h in hits.values())
            for name in ("spacy", "naive"):
                found = out[name]
                assert isinstance(found, list)
                counts[name] = sum(len(m) for m in found)
            if "hyperscan" in out:
                found = out["hyperscan"]
                assert isinstance(found, list)
                counts["hyperscan"] = len(found)
            report.match.setdefault(corpus.name, {})[n] = SizeResult(seconds, counts, timing.passes)
            if ci == 0:
                log(f"N={n}, {corpus.name} corpus: agreement")
                check_agreement(
                    corpus, n, patterns, by_id, kinds, order, names, out, nlp, helpers, tmp, report
                )
            del out, timing, engines
        del rules, matcher, index, hs
        gc.collect()


def check_agreement(
    corpus: Corpus,
    n: int,
    patterns: Sequence[Mapping[str, Any]],
    by_id: Mapping[str, Mapping[str, Any]],
    kinds: Mapping[str, str],
    order: Mapping[str, int],
    names: Mapping[int, str],
    outputs: Mapping[str, object],
    nlp: Language,
    helpers: SpacyHelpers,
    tmp: Path,
    report: Report,
) -> None:
    ndocs = len(corpus.docs)
    show = span_shower(corpus, by_id)

    # 1. the naive index against spaCy, on spaCy's tokens: the same spans, every length
    naive = naive_token_spans(outputs["naive"], [str(p["id"]) for p in patterns])
    spacy_all = spacy_token_spans(outputs["spacy"], names)
    cmp = compare_spans(
        "naive", "spaCy", naive, spacy_all, kinds, show=span_shower(corpus, by_id, tokens=True)
    )
    report.agreement.setdefault("naive_index", {})[n] = cmp.agreement()
    print_comparison(
        f"Agreement, N={n}: naive index vs spaCy `Matcher`, every match of every length, "
        f"on spaCy's tokens ({corpus.name} corpus)",
        cmp,
    )

    # 2. all: evx `overlap: all` vs spaCy's every span, in both engines' own meaning
    left = evx_spans(corpus, outputs["evx"])
    right = spacy_all_spans(corpus, outputs["spacy"], names, order)
    cmp = compare_spans("evx", "spaCy", left, right, kinds, Explainer(corpus, left, right), show)
    report.agreement.setdefault("all", {})[n] = cmp.agreement()
    print_comparison(
        f"Agreement, N={n}, mode all: evx `overlap: all` (every span any path of a rule "
        "matches, exact duplicate spans across rules dropped) vs spaCy `Matcher` (every "
        "span of every pattern, duplicates dropped the same way); spans compared in "
        "character offsets",
        cmp,
    )

    # 3. longest: evx `overlap: longest` vs spaCy greedy="LONGEST" + non-overlap
    longest = load_rules_text(
        translate(patterns, overlap="longest"), tmp / f"n{n}", f"bench_{n}_longest.rules"
    )
    left = evx_spans(corpus, evx_pass(longest, corpus.evx_docs)(ndocs))
    right, every, greedy_kept = spacy_non_overlapping(corpus, outputs["spacy"], names, order)
    greedy = spacy_matcher(nlp, patterns, helpers, greedy="LONGEST")
    spacy_out = outputs["spacy"]
    assert isinstance(spacy_out, list)
    checked, wrong = check_greedy(greedy, corpus.spacy_docs[: corpus.warm], spacy_out)
    report.greedy_check[n] = (corpus.warm, checked, wrong)
    explain = Explainer(corpus, left, right, (every, greedy_kept))
    cmp = compare_spans("evx", "spaCy", left, right, kinds, explain, show)
    report.agreement.setdefault("longest", {})[n] = cmp.agreement()
    print_comparison(
        f'Agreement, N={n}, mode longest: evx `overlap: longest` vs spaCy `greedy="LONGEST"`, '
        "then non-overlapping across patterns (longest first, then earlier start, then "
        "pattern order, as evx resolves); spans compared in character offsets. spaCy's "
        "greedy filter is applied to the timed pass's matches, as `Matcher.__call__` does; "
        f'against a real `greedy="LONGEST"` matcher on the first {corpus.warm} documents: '
        f"{checked:,} spans, {wrong} different",
        cmp,
    )


def measure_end_to_end(
    corpora: Sequence[Corpus], nlp: Language, args: argparse.Namespace, report: Report
) -> str | None:
    """Time text -> records with the shipped packs against spaCy's tokenizer; or say why not."""
    rules_dir = REPO / "rules"
    try:
        rules = evx.load(rules_dir) if any(rules_dir.rglob("*.rules")) else None
    except evx.EvxError as exc:
        return f"the shipped rules do not load: {exc}"
    if rules is None or not rules.rule_names:
        return "no shipped rules"
    for corpus in corpora:
        texts = corpus.texts

        def extract(stop: int, texts: list[str] = texts) -> list[list[evx.Event]]:
            return [rules.extract(text) for text in texts[:stop]]

        def tokenize(stop: int, texts: list[str] = texts) -> list[Doc]:
            return [nlp.make_doc(text) for text in texts[:stop]]

        log(f"end to end, {corpus.name} corpus")
        timing = interleaved(
            [("evx", extract), ("spacy", tokenize)],
            len(texts),
            corpus.warm,
            args.repeat,
            args.cell_budget,
        )
        records = timing.outputs["evx"]
        assert isinstance(records, list)
        report.end_to_end[corpus.name] = {
            "evx_extract": timing.seconds["evx"],
            "spacy_tokenizer": timing.seconds["spacy"],
            "records": sum(len(r) for r in records),
            "passes": timing.passes,
            "rules": len(rules.rule_names),
            "event_types": len(rules.event_types),
        }
    return None


# ---------------------------------------------------------------- printing


def print_matching(corpus: Corpus, sizes: Sequence[int], report: Report) -> None:
    results = report.match[corpus.name]
    cols = [n for n in sizes if n in results]
    print(
        f"Matching over the pre-tokenized {corpus.name} corpus ({len(corpus.docs)} documents, "
        f"{corpus.spacy_tokens:,} spaCy tokens, {corpus.evx_tokens:,} evx tokens), "
        "CPU seconds per pass (median)"
    )
    print()
    rows: list[list[str]] = []
    for e in ENGINES:
        rows.append([ENGINE_LABELS[e], *(seconds_or_na(results[n].seconds[e]) for n in cols)])

    def s(n: int, e: str) -> float | None:
        return results[n].seconds[e]

    rows.append(
        ["spaCy / evx (evx speedup)", *(times(ratio(s(n, "spacy"), s(n, "evx"))) for n in cols)]
    )
    rows.append(
        ["naive / evx (evx speedup)", *(times(ratio(s(n, "naive"), s(n, "evx"))) for n in cols)]
    )
    rows.append(
        [
            "evx / Hyperscan (evx slowdown)",
            *(times(ratio(s(n, "evx"), s(n, "hyperscan"))) for n in cols),
        ]
    )
    for e, what in (
        ("evx", "evx (every span any path matches; duplicates across rules dropped)"),
        ("spacy", "spaCy (every length)"),
        ("naive", "naive index (every length)"),
        ("hyperscan", "Hyperscan (one per end offset)"),
    ):
        rows.append(
            [
                f"matches: {what}",
                *(
                    "n/a" if results[n].counts[e] is None else f"{results[n].counts[e]:,}"
                    for n in cols
                ),
            ]
        )
    rows.append(["timed rounds", *(str(results[n].passes) for n in cols)])
    print(table(["engine", *(f"N={n:,}" for n in cols)], rows))
    print()


def print_build(sizes: Sequence[int], report: Report) -> None:
    cols = [n for n in sizes if n in report.build]
    print("Set-up, once per pattern set (CPU seconds, not in the figures above)")
    print()
    labels = {
        "evx_load_compile": "evx load + check + compile",
        "spacy_matcher_add": "spaCy `Matcher.add` of every pattern",
        "naive_index_build": "naive index build",
        "hyperscan_compile": "Hyperscan compile (SOM leftmost)",
    }
    rows = [
        [label, *(seconds_or_na(report.build[n][key]) for n in cols)]
        for key, label in labels.items()
    ]
    rows.append(
        [
            "patterns Hyperscan rejected (skipped)",
            *("n/a" if report.rejected[n] is None else str(report.rejected[n]) for n in cols),
        ]
    )
    print(table(["step", *(f"N={n:,}" for n in cols)], rows))
    print()


def print_end_to_end(corpora: Sequence[Corpus], report: Report) -> None:
    rows: list[list[str]] = []
    for corpus in corpora:
        e2e = report.end_to_end.get(corpus.name)
        if e2e is None:
            continue
        evx_s, sp_s = e2e["evx_extract"], e2e["spacy_tokenizer"]
        rows.append(
            [
                corpus.name,
                secs(evx_s),
                secs(sp_s),
                times(ratio(evx_s, sp_s)),
                f"{corpus.spacy_tokens / evx_s:,.0f}",
                f"{e2e['records']:,}",
                str(e2e["passes"]),
            ]
        )
    print(
        table(
            [
                "corpus",
                "evx `extract`, text -> records (s)",
                "spaCy blank `make_doc` (s)",
                "evx / spaCy tokenizer",
                "evx tokens/s (spaCy count)",
                "records",
                "timed rounds",
            ],
            rows,
        )
    )
    print()


def print_linear(sizes: Sequence[int], report: Report, case_budget: float) -> None:
    print(
        "Linear time: one sentence of n tokens of wire copy (the seed articles' words, "
        "cycled), `RuleSet.annotate`, CPU seconds per pass; x per doubling = t(n) / t(n/2) "
        "(2 for linear time, 4 for quadratic)"
    )
    print()
    for case in LINEAR_CASES:
        res = report.linear[case.key]
        print(case.title)
        print()
        rows: list[list[str]] = []
        prev: float | None = None
        for n in sizes:
            if n not in res.seconds:
                rows.append([f"{n:,}", "not run (an earlier size was over budget)", "", "", ""])
                continue
            t = res.seconds[n]
            if t is None:
                rows.append([f"{n:,}", f"over budget (> {case_budget:g} s CPU)", "", "", ""])
                prev = None
                continue
            rows.append(
                [
                    f"{n:,}",
                    secs(t),
                    times(ratio(t, prev)) if prev is not None else "",
                    f"{res.matches[n]:,}",
                    str(res.passes[n]),
                ]
            )
            prev = t
        print(table(["tokens", "s per pass", "x per doubling", "matches", "passes"], rows))
        print()


def headline(
    corpora: Sequence[Corpus], sizes: Sequence[int], report: Report, quick: bool
) -> dict[str, Any]:
    """The JSON line: headline ratios (on the smallest corpus, and suffixed per corpus for
    the others), agreement fractions, and every raw figure."""
    out: dict[str, Any] = {"mode": "quick" if quick else "full", "corpus": corpora[0].name}
    required = sorted({10, 1000, *sizes} | ({10000} if not quick else set()))
    for ci, corpus in enumerate(corpora):
        suffix = "" if ci == 0 else f"_{corpus.name}"
        results = report.match.get(corpus.name, {})

        def sec(n: int, e: str, results: dict[int, SizeResult] = results) -> float | None:
            r = results.get(n)
            return None if r is None else r.seconds.get(e)

        for n in required:
            out[f"evx_over_spacy_speedup_n{n}{suffix}"] = ratio(sec(n, "spacy"), sec(n, "evx"))
        for n in required:
            out[f"evx_over_naive_index_speedup_n{n}{suffix}"] = ratio(
                sec(n, "naive"), sec(n, "evx")
            )
        for n in required:
            out[f"evx_over_hyperscan_slowdown_n{n}{suffix}"] = ratio(
                sec(n, "evx"), sec(n, "hyperscan")
            )
        out[f"evx_scaling_n1000_over_n10{suffix}"] = ratio(sec(1000, "evx"), sec(10, "evx"))
        e2e = report.end_to_end.get(corpus.name)
        out[f"end_to_end_over_spacy_tokenizer{suffix}"] = (
            None if e2e is None else ratio(e2e["evx_extract"], e2e["spacy_tokenizer"])
        )
        out[f"end_to_end_tokens_per_s{suffix}"] = (
            None if e2e is None else ratio(float(corpus.spacy_tokens), e2e["evx_extract"])
        )
    for mode, values in sorted(report.agreement.items()):
        for n in required:
            out[f"agreement_{mode}_n{n}"] = values.get(n)
    for n in required:
        check = report.greedy_check.get(n)
        out[f"spacy_greedy_check_n{n}"] = (
            None
            if check is None
            else {"docs": check[0], "spans": check[1], "differences": check[2]}
        )
    out["linear_ratio_per_doubling"] = {
        key: {
            str(n): ratio(t, res.seconds.get(n // 2))
            for n, t in res.seconds.items()
            if res.seconds.get(n // 2) is not None
        }
        for key, res in report.linear.items()
    }
    out["linear_over_budget"] = {
        key: next((n for n, t in res.seconds.items() if t is None), None)
        for key, res in report.linear.items()
    }
    out["hyperscan"] = hyperscan_version()
    for n in required:
        out[f"hyperscan_rejected_n{n}"] = report.rejected.get(n)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["seconds"] = {
        "match": {
            name: {str(n): r.seconds for n, r in sorted(results.items())}
            for name, results in report.match.items()
        },
        "match_counts": {
            name: {str(n): r.counts for n, r in sorted(results.items())}
            for name, results in report.match.items()
        },
        "build": {str(n): b for n, b in sorted(report.build.items())},
        "end_to_end": report.end_to_end,
        "linear": {
            key: {str(n): t for n, t in res.seconds.items()} for key, res in report.linear.items()
        },
    }
    out["corpora"] = {
        c.name: {"docs": len(c.docs), "spacy_tokens": c.spacy_tokens, "evx_tokens": c.evx_tokens}
        for c in corpora
    }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="evx against spaCy's Matcher, a naive index and Hyperscan."
    )
    parser.add_argument(
        "--quick", action="store_true", help="100k tokens, N = 10 and 1,000, sentences to 4k"
    )
    parser.add_argument("--tokens", type=int_list, help="corpus sizes (default 100k,1M)")
    parser.add_argument("--sizes", type=int_list, help="pattern-set sizes (of 10,100,1000,10000)")
    parser.add_argument("--repeat", type=int, help="timed rounds per figure (5; quick 3)")
    parser.add_argument(
        "--cell-budget",
        type=float,
        help="CPU seconds one figure's timed rounds may take before fewer are run (600; quick 90)",
    )
    parser.add_argument(
        "--linear-budget",
        type=float,
        help="CPU seconds the passes at one linear-time size may take before fewer are run "
        "(30; quick 3)",
    )
    parser.add_argument(
        "--linear-max", type=int, help="longest linear-time sentence (16000; quick 4000)"
    )
    parser.add_argument(
        "--case-budget",
        type=float,
        default=60.0,
        help="CPU seconds one linear-time pass may take before its case stops (60)",
    )
    args = parser.parse_args(argv)
    quick = bool(args.quick)
    tokens: list[int] = sorted(set(args.tokens or (QUICK_TOKENS if quick else FULL_TOKENS)))
    sizes: list[int] = sorted(set(args.sizes or (QUICK_SIZES if quick else FULL_SIZES)))
    if not set(sizes) <= set(GENERATED_SIZES):
        parser.error(f"--sizes must be among {','.join(map(str, GENERATED_SIZES))}")
    args.repeat = args.repeat or (3 if quick else 5)
    args.cell_budget = args.cell_budget or (90.0 if quick else 600.0)
    args.linear_budget = args.linear_budget or (3.0 if quick else 30.0)
    linear_max = args.linear_max or (LINEAR_QUICK_MAX if quick else max(LINEAR_FULL))
    linear_sizes = [n for n in LINEAR_FULL if n <= linear_max] or [linear_max]
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    reason = spacy_missing_reason()
    if reason is not None:
        print(reason, file=sys.stderr)
        return 2

    wall0 = time.perf_counter()
    nlp = spacy_nlp()
    helpers = SpacyHelpers()
    to_raw_regex = load_shared_module("patterns").to_raw_regex
    log(f"preparing the corpora ({', '.join(corpus_name(t) for t in tokens)}) for every engine")
    corpora = [prepare_corpus(t, nlp) for t in tokens]
    patterns_file(min(sizes), GENERATED_SIZES)  # generate the sets now, outside any figure
    gc.collect()
    gc.freeze()  # the prepared inputs are never freed: keep them out of every GC pass
    tmp = Path(tempfile.mkdtemp(prefix="evx-peers-"))
    report = Report()
    hs_version = hyperscan_version()

    print(machine())
    print(
        f"mode: {'quick' if quick else 'full'}; hyperscan: "
        + (hs_version or "not installed (pip install hyperscan): its figures are skipped")
    )
    print(
        f"each figure: median CPU time (process_time) of up to {args.repeat} interleaved "
        f"rounds after a warm-up round over the first ~{WARMUP_TOKENS:,} tokens; fewer "
        f"rounds when they would take over {args.cell_budget:g} s"
    )
    print()
    if hs_version is None:
        print("Hyperscan skipped: the `hyperscan` package is not installed; its fields are null.")
        print()

    measure_matching(corpora, sizes, nlp, helpers, to_raw_regex, args, tmp, report)
    for corpus in corpora:
        print_matching(corpus, sizes, report)
    print_build(sizes, report)

    skipped = measure_end_to_end(corpora, nlp, args, report)
    print("End to end: text in, records out (`RuleSet.extract` with the packs in `rules/`) vs ")
    print("spaCy's blank English tokenizer (`nlp.make_doc`) on the same texts, CPU s per pass")
    print()
    if skipped is not None:
        print(f"(skipped: {skipped})")
        print()
    else:
        some = next(iter(report.end_to_end.values()))
        print(f"{some['rules']} rules and mentions, {some['event_types']} event types")
        print()
        print_end_to_end(corpora, report)

    words = wire_words()
    for case in LINEAR_CASES:
        report.linear[case.key] = run_linear(
            case,
            linear_sizes,
            words,
            tmp / "linear",
            args.repeat,
            args.linear_budget,
            args.case_budget,
        )
    print_linear(linear_sizes, report, args.case_budget)

    out = headline(corpora, sizes, report, quick)
    out["wall_seconds"] = time.perf_counter() - wall0
    out["cpu_seconds"] = time.process_time()
    print(json.dumps(out, sort_keys=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
