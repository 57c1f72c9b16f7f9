"""Questions about every path of a program from a start, for the `all` and `leftmost` modes.

The VM answers "where does the match this start prefers end?". These answer "where can
any match from this start end?" (`all` reports every such span, as spaCy's Matcher
does), "how far can a match from this start reach?" (`leftmost` keeps the longest), and
"which way does the preferred path to this end go?" (the captures of such a span). Each
is memoised per (state, position) in the sentence's run, so the work is bounded by
states x tokens for the latest end, and by the number of spans reported for `all`.
"""

from __future__ import annotations

from typing import Any

from evx.match.automaton import ACCEPT, Program
from evx.match.vm import FAIL, Match, Run, pair_tags

NOWHERE = -1


def _memo(run: Run, kind: str, prog: Program, extra: int = 0) -> dict[int, Any]:
    key = (kind, id(prog), extra)
    found = run.path_memos.get(key)
    if found is None:
        found = run.path_memos[key] = {}
    return found


def _starting(run: Run, prog: Program, start: int) -> list[int]:
    """The states a non-empty match from `start` can begin in (start guards passed)."""
    out = []
    for guards, _tags, target in prog.start:
        if target == ACCEPT:
            continue  # empty matches are never reported
        if guards and not run._guards_hold(guards, start):
            continue
        out.append(target)
    return out


def _fold(
    run: Run, prog: Program, q0: int, p0: int, memo: dict[int, Any], empty: Any, join: Any
) -> Any:
    """Combine, over every path from (q0, p0), the ends it can reach: an explicit stack
    over (state, position) pairs, each settled once. `join(acc, end_or_sub, is_end)`."""
    width = run.width
    key0 = q0 * width + p0
    if key0 in memo:
        return memo[key0]
    consume = run._consume
    nexts = prog.nexts
    guards_hold = run._guards_hold
    stack: list[list[Any]] = [[q0, key0, consume(prog, q0, p0), 0, 0, empty]]
    while stack:
        frame = stack[-1]
        q, key, ends, ei, xi, acc = frame
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
                    acc = join(acc, e, True)
                    continue
                tkey = target * width + e
                if tkey not in memo:
                    frame[3], frame[4], frame[5] = ei, xi - 1, acc
                    stack.append([target, tkey, consume(prog, target, e), 0, 0, empty])
                    pushed = True
                    break
                acc = join(acc, memo[tkey], False)
            if pushed:
                break
            ei += 1
            xi = 0
        if pushed:
            continue
        memo[key] = acc
        stack.pop()
    return memo[key0]


def _union(acc: frozenset[int], value: Any, is_end: bool) -> frozenset[int]:
    return acc | {value} if is_end else acc | value


def _latest(acc: int, value: int, is_end: bool) -> int:
    return value if value > acc else acc


def ends_from(run: Run, prog: Program, start: int) -> list[int]:
    """Every end of a non-empty match starting at `start`, by any path, ascending."""
    memo = _memo(run, "ends", prog)
    found: frozenset[int] = frozenset()
    for target in _starting(run, prog, start):
        found |= _fold(run, prog, target, start, memo, frozenset(), _union)
    return sorted(found)


def latest_end(run: Run, prog: Program, start: int) -> int:
    """The furthest end of a non-empty match starting at `start`, or NOWHERE."""
    memo = _memo(run, "latest", prog)
    best = NOWHERE
    for target in _starting(run, prog, start):
        best = max(best, _fold(run, prog, target, start, memo, NOWHERE, _latest))
    return best


def match_ending(run: Run, prog: Program, start: int, end: int) -> Match | None:
    """The match from `start` to exactly `end` that the pattern prefers among those that end
    there (greedy, lazy and alternative choices as the VM makes them), with its captures."""
    if not prog.captures:
        return Match(start, end, ())
    memo = _memo(run, "exact", prog, end)
    width = run.width
    for guards, tags, target in prog.start:
        if target == ACCEPT or (guards and not run._guards_hold(guards, start)):
            continue
        if _exact(run, prog, target, start, end, memo) == FAIL:
            continue
        marks = [(t, start) for t in tags]
        q, p = target, start
        while True:  # walk the remembered choices, as the VM's rebuild does
            ei, xi = memo[q * width + p][1]
            e = run._consume(prog, q, p)[ei]
            _g, step_tags, nxt = prog.nexts[q][xi]
            marks.extend((t, e) for t in step_tags)
            if nxt == ACCEPT:
                break
            q, p = nxt, e
        return Match(start, end, pair_tags(prog, marks))
    return None


def _exact(run: Run, prog: Program, q0: int, p0: int, want: int, memo: dict[int, Any]) -> int:
    """`want` if the preferred path from (q0, p0) among those ending at `want` exists, else
    FAIL; memo values are (result, (end index, entry index)) for the walk back."""
    width = run.width
    key0 = q0 * width + p0
    if key0 in memo:
        return int(memo[key0][0])
    consume = run._consume
    nexts = prog.nexts
    guards_hold = run._guards_hold
    stack: list[list[Any]] = [[q0, key0, consume(prog, q0, p0), 0, 0]]
    while stack:
        frame = stack[-1]
        q, key, ends, ei, xi = frame
        entries = nexts[q]
        result, pushed = FAIL, False
        while ei < len(ends):
            e = ends[ei]
            if e > want:  # positions only grow: this way cannot end at `want`
                ei += 1
                xi = 0
                continue
            while xi < len(entries):
                guards, _tags, target = entries[xi]
                if guards and not guards_hold(guards, e):
                    xi += 1
                    continue
                if target == ACCEPT:
                    if e == want:
                        result = e
                        break
                    xi += 1
                    continue
                tkey = target * width + e
                sub = memo.get(tkey)
                if sub is None:
                    frame[3], frame[4] = ei, xi
                    stack.append([target, tkey, consume(prog, target, e), 0, 0])
                    pushed = True
                    break
                if sub[0] != FAIL:
                    result = want
                    break
                xi += 1
            if pushed or result != FAIL:
                break
            ei += 1
            xi = 0
        if pushed:
            continue
        memo[key] = (result, (ei, xi))
        stack.pop()
    return int(memo[key0][0])
