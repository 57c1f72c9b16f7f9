"""Where a plain rule's preferred match from a given start ends, without the VM.

A *plain* program has no lookarounds or anchors, no captures and no spans (lexicon
phrases, labels): each state tests one token. For it the match a backtracking engine
prefers can be found by RE2's leftmost-first DFA: a state is the list of pending
program states in priority order; a token keeps the ones it passes and expands them in
order; reaching the end of the pattern records a match and drops every lower-priority
thread, and a later match of a thread kept before it overrides it. States and their
transitions are built on first use and shared by every start and document.
"""

from __future__ import annotations

from collections.abc import Sequence

from evx.match.automaton import ACCEPT, Program, one_token
from evx.match.classes import TokenClasses

ANY = -1
MAX_TRANSITIONS = 100_000
"""Transitions remembered at most per rule before the cache starts over."""

MAX_WALK = 48
"""Tokens a walk reads at most before it hands the start to the VM. The DFA shares no
work between starts, so a match that can run to the end of a long sentence from every
start (`[]+ [!punct]`) would cost quadratic time; the VM's memo makes those linear."""

GAVE_UP = -2
"""What :meth:`EndFinder.end` returns when the walk reached MAX_WALK undecided."""


class _Threads(dict[int, "tuple[_Threads, bool]"]):
    """Pending states in priority order; maps a token class to the next list and whether
    a match ends after that token."""

    __slots__ = ("threads",)

    def __init__(self, threads: tuple[int, ...]) -> None:
        super().__init__()
        self.threads = threads


def is_plain(program: Program) -> bool:
    """Whether the program has no guards, captures or spans (see the module docstring);
    a test that reads labels counts as a token test (its atom is in the token classes)."""
    if program.captures or not all(one_token(program, q) for q in range(program.size)):
        return False
    entries = [*program.start, *(e for nexts in program.nexts for e in nexts)]
    return not any(guards or tags for guards, tags, _ in entries)


class _Set(dict[int, "tuple[_Set, bool]"]):
    """Pending states, any order (every path counts); maps a token class to the next set and
    whether some match ends after that token."""

    __slots__ = ("states",)

    def __init__(self, states: frozenset[int]) -> None:
        super().__init__()
        self.states = states


class EndFinder:
    """The preferred-match automaton of one plain program, and its every-path twin."""

    def __init__(self, program: Program, classes: TokenClasses) -> None:
        self.classes = classes
        self.atom = [ANY if a is None else classes.atom_id(a) for a in program.atoms]
        self.nexts = [tuple(target for _, _, target in entries) for entries in program.nexts]
        first = tuple(target for _, _, target in program.start if target != ACCEPT)
        self._lists: dict[tuple[int, ...], _Threads] = {}
        self._transitions = 0
        self.root = self._list(_dedupe(first))
        self._sets: dict[frozenset[int], _Set] = {}
        self._set_transitions = 0
        self.set_root = self._set(frozenset(first))

    def _set(self, states: frozenset[int]) -> _Set:
        found = self._sets.get(states)
        if found is None:
            found = self._sets[states] = _Set(states)
        return found

    def _set_step(self, state: _Set, cls: int) -> tuple[_Set, bool]:
        members = self.classes.members[cls]
        atom, nexts = self.atom, self.nexts
        out: set[int] = set()
        matched = False
        for q in state.states:
            a = atom[q]
            if a != ANY and a not in members:
                continue
            for target in nexts[q]:
                if target == ACCEPT:
                    matched = True
                else:
                    out.add(target)
        if self._set_transitions >= MAX_TRANSITIONS:
            self.set_root.clear()
            self._sets = {self.set_root.states: self.set_root}
            self._set_transitions = 0
        step = (self._set(frozenset(out)), matched)
        state[cls] = step
        self._set_transitions += 1
        return step

    def all_ends(self, classes: Sequence[int], start: int, hi: int) -> list[int] | None:
        """Every end of a non-empty match from `start` by any path (ascending), or None
        after MAX_WALK tokens undecided (the caller asks the VM's memo instead)."""
        state = self.set_root
        found: list[int] = []
        i = start
        stop = min(hi, start + MAX_WALK)
        while state.states:
            if i >= stop:
                if i < hi:
                    return None
                break
            cls = classes[i]
            step = state.get(cls)
            if step is None:
                step = self._set_step(state, cls)
            state, matched = step
            i += 1
            if matched:
                found.append(i)
        return found

    def _list(self, threads: tuple[int, ...]) -> _Threads:
        found = self._lists.get(threads)
        if found is None:
            found = self._lists[threads] = _Threads(threads)
        return found

    def _step(self, state: _Threads, cls: int) -> tuple[_Threads, bool]:
        members = self.classes.members[cls]
        atom, nexts = self.atom, self.nexts
        out: list[int] = []
        seen: set[int] = set()
        matched = False
        for q in state.threads:
            a = atom[q]
            if a != ANY and a not in members:
                continue
            for target in nexts[q]:
                if target == ACCEPT:
                    matched = True  # what comes after it has a lower priority: cut
                    break
                if target not in seen:
                    seen.add(target)
                    out.append(target)
            if matched:
                break
        if self._transitions >= MAX_TRANSITIONS:
            self.root.clear()
            self._lists = {self.root.threads: self.root}
            self._transitions = 0
        step = (self._list(tuple(out)), matched)
        state[cls] = step
        self._transitions += 1
        return step

    def end(self, classes: Sequence[int], start: int, hi: int) -> int:
        """The end of the preferred non-empty match starting at `start` (at most `hi`), -1
        when there is none, or GAVE_UP after MAX_WALK tokens."""
        state = self.root
        best = -1
        i = start
        stop = min(hi, start + MAX_WALK)
        while state.threads:
            if i >= stop:
                if i < hi:
                    return GAVE_UP
                break
            cls = classes[i]
            step = state.get(cls)
            if step is None:
                step = self._step(state, cls)
            state, matched = step
            i += 1
            if matched:
                best = i
        return best


def _dedupe(states: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(states))
