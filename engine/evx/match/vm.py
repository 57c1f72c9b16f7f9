"""The pattern VM: run compiled programs over tokens by memoised search, linear in sentence length.

For a program state ``q`` and token boundary ``p`` the preferred continuation (the one a
backtracking engine would find first, honouring greedy and lazy quantifiers) depends only
on ``(q, p)``; so each pair is solved once and remembered. A sentence of n tokens and a
program of m states therefore costs O(n * m) whatever the pattern: nested stars and wide
gaps around a literal that never occurs fail fast instead of exploding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from evx.match.automaton import ACCEPT, Guard, Program

if TYPE_CHECKING:
    from evx.match.context import DocContext

FAIL = -1
_Tags = tuple[int, int, "_Tags"] | None  # (tag, position, rest): tags crossed to a match's end
_UNKNOWN = object()
NONE = 1 << 62  # the earliest end of no match: larger than any position


class Match(NamedTuple):
    """One match of a program: token span and the token spans of its captures, in order.

    A named tuple rather than an attrs class: the matcher makes one per match, and a tuple
    is several times cheaper to build.
    """

    start: int
    end: int
    captures: tuple[tuple[str, int, int], ...]

    def spans_of(self, name: str) -> list[tuple[int, int]]:
        """Every span captured under `name` (several when the capture sits in a repeat)."""
        return [(s, e) for n, s, e in self.captures if n == name]

    def last(self, name: str) -> tuple[int, int] | None:
        """The last span captured under `name`, like ``re``'s group after a repeat."""
        found = None
        for n, s, e in self.captures:
            if n == name:
                found = (s, e)
        return found


class Run:
    """One bounded region (a sentence or a window inside it) and the memos of programs run there.

    ``lo``/``hi`` bound what a match may consume; ``slo``/``shi`` are the sentence's bounds,
    which anchors and lookarounds see.
    """

    __slots__ = (
        "_sentence",
        "ctx",
        "guard_memo",
        "hi",
        "lo",
        "memos",
        "min_memos",
        "path_memos",
        "shi",
        "slo",
        "tag_memos",
        "width",
    )

    def __init__(self, ctx: DocContext, lo: int, hi: int, slo: int, shi: int) -> None:
        self.ctx = ctx
        self.lo = lo
        self.hi = hi
        self.slo = slo
        self.shi = shi
        self.memos: dict[int, tuple[dict[int, int], dict[int, tuple[int, int]]]] = {}
        self.guard_memo: dict[tuple[int, int], bool] = {}
        self.min_memos: dict[int, dict[int, int]] = {}
        self.tag_memos: dict[int, dict[int, _Tags]] = {}
        self.path_memos: dict[tuple[str, int, int], dict[int, Any]] = {}  # see evx.match.paths
        self.width = len(ctx.doc) + 2  # memo keys are state * width + position
        self._sentence: Run | None = None

    def release(self, prog: Program) -> None:
        """Forget a program's search memos: once a rule has searched a sentence they are
        not needed again, and on a long sentence they are most of the memory."""
        self.memos.pop(id(prog), None)
        self.tag_memos.pop(id(prog), None)
        for key in [k for k in self.path_memos if k[1] == id(prog)]:
            del self.path_memos[key]

    def _memo(self, prog: Program) -> tuple[dict[int, int], dict[int, tuple[int, int]]]:
        memo = self.memos.get(id(prog))
        if memo is None:
            memo = ({}, {})
            self.memos[id(prog)] = memo
        return memo

    # ---------------------------------------------------------------- guards

    def guard_holds(self, guard: Guard, pos: int) -> bool:
        if guard.kind == "bos":
            return pos == self.slo
        if guard.kind == "eos":
            return pos == self.shi
        key = (id(guard), pos)
        cached = self.guard_memo.get(key)
        if cached is None:
            prog = guard.prog
            assert prog is not None
            # lookarounds see the whole sentence; a window keeps one sentence run, so its
            # memos serve every guard asked from it
            sub = self if (self.lo, self.hi) == (self.slo, self.shi) else self.sentence_run()
            found = sub.match_anchored(prog, pos) is not None
            cached = found != guard.negate
            self.guard_memo[key] = cached
        return cached

    def sentence_run(self) -> Run:
        """A run over this run's whole sentence, made once and kept."""
        if self._sentence is None:
            self._sentence = Run(self.ctx, self.slo, self.shi, self.slo, self.shi)
        return self._sentence

    def _guards_hold(self, guards: tuple[Guard, ...], pos: int) -> bool:
        # a plain loop: all() over a generator costs a frame per call in the hot path
        for guard in guards:  # noqa: SIM110
            if not self.guard_holds(guard, pos):
                return False
        return True

    # ---------------------------------------------------------------- search

    def _consume(self, prog: Program, q: int, p: int) -> Sequence[int]:
        """Positions reachable from boundary p by consuming what state q consumes."""
        span = prog.spans[q]
        if prog.forward:
            if span is None:
                if p >= self.hi:
                    return ()
                test = prog.tests[q]
                return (p + 1,) if test is None or test(self.ctx.doc, p) else ()
            return span.ends(self.ctx, p, self.hi)
        if span is None:
            if p <= self.lo:
                return ()
            test = prog.tests[q]
            return (p - 1,) if test is None or test(self.ctx.doc, p - 1) else ()
        return span.starts(self.ctx, p, self.lo)

    def _solve(
        self,
        prog: Program,
        q0: int,
        p0: int,
        memo: dict[int, int],
        why: dict[int, tuple[int, int]],
        width: int,
    ) -> int:
        """The end of the preferred match from state q0 at boundary p0, or FAIL (memoised).

        An explicit stack instead of recursion: a gap over a 5,000-token sentence would
        otherwise exceed Python's recursion limit. Frames are [state, key, ends, end index,
        entry index]; a parent resumes at the entry whose sub-result it is waiting for.
        """
        key0 = q0 * width + p0
        done = memo.get(key0)
        if done is not None:
            return done
        nexts = prog.nexts
        consume = self._consume
        guards_hold = self._guards_hold
        stack: list[list[Any]] = [[q0, key0, consume(prog, q0, p0), 0, 0]]
        while stack:
            frame = stack[-1]
            q, key, ends, ei, xi = frame
            entries = nexts[q]
            n_entries = len(entries)
            n_ends = len(ends)
            result = FAIL
            pushed = False
            while ei < n_ends:
                e = ends[ei]
                while xi < n_entries:
                    guards, _tags, target = entries[xi]
                    if guards and not guards_hold(guards, e):
                        xi += 1
                        continue
                    if target == ACCEPT:
                        result = e
                        break
                    tkey = target * width + e
                    sub = memo.get(tkey)
                    if sub is None:
                        child_ends = consume(prog, target, e)
                        if not child_ends:
                            # most states fail on their first token: settle them here
                            # instead of pushing a frame that would only pop again
                            memo[tkey] = FAIL
                            xi += 1
                            continue
                        frame[3] = ei
                        frame[4] = xi
                        stack.append([target, tkey, child_ends, 0, 0])
                        pushed = True
                        break
                    if sub != FAIL:
                        result = sub
                        break
                    xi += 1
                if pushed or result != FAIL:
                    break
                ei += 1
                xi = 0
            if pushed:
                continue
            memo[key] = result
            if result != FAIL:
                why[key] = (ei, xi)
            stack.pop()
        return memo[key0]

    def match_anchored(self, prog: Program, start: int) -> int | None:
        """End of the preferred match starting exactly at `start` (ending there, backwards)."""
        memo, why = self._memo(prog)
        for guards, _tags, target in prog.start:
            if guards and not self._guards_hold(guards, start):
                continue
            if target == ACCEPT:
                return start
            end = self._solve(prog, target, start, memo, why, self.width)
            if end != FAIL:
                return end
        return None

    def match_at(self, prog: Program, start: int) -> Match | None:
        """The preferred non-empty match starting at `start`, with its captures."""
        found = self.search(prog, (start,))
        return found[0] if found else None

    def search(self, prog: Program, starts: Sequence[int] | None = None) -> list[Match]:
        """The preferred non-empty match at every start (all of [lo, hi) when starts is None)."""
        memo, why = self._memo(prog)
        width = self.width
        out: list[Match] = []
        positions = range(self.lo, self.hi) if starts is None else starts
        start_entries = prog.start
        tests, spans = prog.tests, prog.spans
        doc, hi = self.ctx.doc, self.hi
        forward = prog.forward
        for i in positions:
            for guards, tags, target in start_entries:
                if target == ACCEPT:
                    continue  # empty matches are never reported
                if forward and spans[target] is None:
                    # cheap early reject: most starts fail their very first token test
                    if i >= hi:
                        continue
                    test = tests[target]
                    if test is not None and not test(doc, i):
                        continue
                if guards and not self._guards_hold(guards, i):
                    continue
                end = self._solve(prog, target, i, memo, why, width)
                if end == FAIL:
                    continue
                if prog.captures:
                    out.append(self._rebuild(prog, i, tags, target, end, why, width))
                else:  # nothing to recover: no walk over the match
                    out.append(Match(i, end, ()))
                break
        return out

    def _rebuild(
        self,
        prog: Program,
        start: int,
        tags: tuple[int, ...],
        target: int,
        end: int,
        why: dict[int, tuple[int, int]],
        width: int,
    ) -> Match:
        """Recover the capture tags along the preferred path from the start.

        The tags crossed from a (state, position) pair to the end of its preferred match
        do not depend on where the match started, so they are kept per pair as a shared
        linked list; a walk stops at the first pair already known. Every pair is walked
        once per sentence, so recovering the captures of all matches costs linear time
        even when every match runs to the end of a long sentence.
        """
        suffixes = self._suffixes(prog)
        path: list[tuple[int, tuple[int, ...], int]] = []
        q, p = target, start
        key = q * width + p
        tail: _Tags = None
        while True:
            known = suffixes.get(key, _UNKNOWN)
            if known is not _UNKNOWN:
                tail = known  # type: ignore[assignment]
                break
            ei, xi = why[key]
            e = self._consume(prog, q, p)[ei]
            _g, step_tags, nxt = prog.nexts[q][xi]
            path.append((key, step_tags, e))
            if nxt == ACCEPT:
                break
            q, p = nxt, e
            key = q * width + p
        for key, step_tags, e in reversed(path):
            for t in reversed(step_tags):
                tail = (t, e, tail)
            suffixes[key] = tail
        marks: list[tuple[int, int]] = [(t, start) for t in tags]
        while tail is not None:
            t, e, tail = tail
            marks.append((t, e))
        return Match(start, end, pair_tags(prog, marks))

    def _suffixes(self, prog: Program) -> dict[int, _Tags]:
        found = self.tag_memos.get(id(prog))
        if found is None:
            found = self.tag_memos[id(prog)] = {}
        return found

    def earliest_end(self, prog: Program, start: int) -> int:
        """The smallest end of any non-empty match of a forward program starting at `start`
        inside this run (NONE when there is none); memoised per (state, position), so
        asking it for every start costs O(states x tokens)."""
        memo = self.min_memos.get(id(prog))
        if memo is None:
            memo = self.min_memos[id(prog)] = {}
        width = self.width
        best = NONE
        for guards, _tags, target in prog.start:
            if target == ACCEPT:
                continue  # an empty match is never one: a condition needs a token
            if guards and not self._guards_hold(guards, start):
                continue
            end = self._earliest(prog, target, start, memo, width)
            if end < best:
                best = end
        return best

    def _earliest(self, prog: Program, q0: int, p0: int, memo: dict[int, int], width: int) -> int:
        """min over every path from state q0 at p0 of where it ends (NONE: no path)."""
        key0 = q0 * width + p0
        done = memo.get(key0)
        if done is not None:
            return done
        consume = self._consume
        nexts = prog.nexts
        guards_hold = self._guards_hold
        # an explicit stack, as in _solve: [state, key, ends, end index, entry index, best]
        stack: list[list[Any]] = [[q0, key0, consume(prog, q0, p0), 0, 0, NONE]]
        while stack:
            frame = stack[-1]
            q, key, ends, ei, xi, best = frame
            entries = nexts[q]
            pushed = False
            while ei < len(ends):
                e = ends[ei]
                while xi < len(entries):
                    guards, _tags, target = entries[xi]
                    xi += 1
                    if guards and not guards_hold(guards, e):
                        continue
                    if target == ACCEPT:
                        best = min(best, e)
                        continue
                    tkey = target * width + e
                    sub = memo.get(tkey)
                    if sub is None:
                        frame[3], frame[4], frame[5] = ei, xi - 1, best
                        stack.append([target, tkey, consume(prog, target, e), 0, 0, NONE])
                        pushed = True
                        break
                    best = min(best, sub)
                if pushed:
                    break
                ei += 1
                xi = 0
            if pushed:
                continue
            memo[key] = best
            stack.pop()
        return memo[key0]


def pair_tags(prog: Program, marks: list[tuple[int, int]]) -> tuple[tuple[str, int, int], ...]:
    """Turn open/close tag positions into (name, start, end) spans in the order they close."""
    open_at: dict[int, int] = {}
    spans: list[tuple[str, int, int]] = []
    for tag, pos in marks:
        cap, close = divmod(tag, 2)
        if close:
            start = open_at.pop(cap, None)
            # a capture around something that matched no token (an optional part left
            # out) did not capture anything
            if start is not None and pos > start:
                spans.append((prog.captures[cap], start, pos))
        else:
            open_at[cap] = pos
    spans.sort(key=lambda s: (s[1], s[2]))
    return tuple(spans)
