"""Where matches can start: all rules of a stratum as one token automaton, run once per sentence.

Each rule's program becomes a token-level NFA over atom ids (lexicon phrases expanded
into their trie, a label span `@X` read as "an X span starts here ... one ends here",
a test that reads a label, `[@X & title]`, one atom like any token test), with
lookarounds, anchors and captures left out. That automaton accepts a superset of
what the rule matches, so the positions it reports are candidates the VM then confirms:
the result is exactly the VM's, found without trying every rule at every token.

The sentence is read right to left. A state is the set of NFA nodes that could consume
the current token and still reach the end of a match; reading a token keeps the nodes
its class passes, reports the rules whose first node is among them (a match of that rule
can start at this token), and moves on to their predecessors. States are built on first
use and remembered with their transitions, as in RE2's DFA: after warm-up a token costs
one dictionary lookup, whatever the number of rules. The cache is bounded; when it is
full it starts over, so memory stays bounded on any input.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, islice

from evx.match.automaton import ACCEPT, Program, one_token
from evx.match.classes import TokenClasses
from evx.match.lexicons import CompiledLexicon

ANY = -1
"""The atom of a node that consumes any token."""

MAX_TRANSITIONS = 200_000
"""Transitions remembered at most, over all states of one scanner, before it starts over."""


def labels_read(program: Program) -> set[str]:
    """The labels whose spans a program consumes (`@X` elements) or its token tests read
    (`[@X]`), lookarounds aside."""
    found: set[str] = set()
    for q, span in enumerate(program.spans):
        if span is None or isinstance(span, CompiledLexicon):
            continue
        atom = program.atoms[q] if q < len(program.atoms) else None
        if atom is not None:  # a test that reads labels
            found.update(atom.labels)
        else:
            found.add(span.label)  # type: ignore[attr-defined]
    return found


class _State(dict[int, "tuple[_State, tuple[int, ...]]"]):
    """A set of pending NFA nodes; maps a token class to the next state and the rules
    whose matches can start at that token."""

    __slots__ = ("pending",)

    def __init__(self, pending: frozenset[int]) -> None:
        super().__init__()
        self.pending = pending


class Scanner:
    """The candidate-start automaton of one stratum's rules."""

    def __init__(self, programs: Sequence[tuple[int, Program]], classes: TokenClasses) -> None:
        self.classes = classes
        self.atom: list[int] = []
        self.preds: list[list[int]] = []
        self.final: list[bool] = []
        self.start_rule: list[int] = []
        self.labels: set[str] = set()  # labels the patterns consume or test (`@X`, `[@X]`)
        for rule_id, program in programs:
            self._add_program(rule_id, program)
        self._final_any = tuple(n for n, a in enumerate(self.atom) if self.final[n] and a == ANY)
        by_atom: dict[int, list[int]] = {}
        for n, a in enumerate(self.atom):
            if self.final[n] and a != ANY:
                by_atom.setdefault(a, []).append(n)
        self._final_by_atom = {a: tuple(ns) for a, ns in by_atom.items()}
        self._preds = tuple(tuple(p) for p in self.preds)
        self._states: dict[frozenset[int], _State] = {}
        self._transitions = 0
        self.root = self._state(frozenset())
        self._ends = _EndClasses(self)

    # ---------------------------------------------------------------- building the NFA

    def _node(self, atom: int) -> int:
        self.atom.append(atom)
        self.preds.append([])
        self.final.append(False)
        self.start_rule.append(-1)
        return len(self.atom) - 1

    def _add_program(self, rule_id: int, program: Program) -> None:
        entries: list[list[int]] = []  # state -> nodes that consume its first token
        exits: list[list[int]] = []  # state -> nodes that consume its last token
        for q in range(program.size):
            span = program.spans[q]
            if one_token(program, q):
                atom = program.atoms[q] if q < len(program.atoms) else None
                n = self._node(ANY if atom is None else self.classes.atom_id(atom))
                if atom is not None and atom.labels:  # `[@X]`: X's table corrects the classes
                    self.labels.update(atom.labels)
                entries.append([n])
                exits.append([n])
            elif isinstance(span, CompiledLexicon):
                first, last = self._add_trie(span)
                entries.append(first)
                exits.append(last)
            else:  # a label: one token, or a first token, any tokens, a last token
                label = span.label  # type: ignore[union-attr]
                self.labels.add(label)
                one = self._node(self.classes.label_atom(label, "se"))
                head = self._node(self.classes.label_atom(label, "s"))
                mid = self._node(ANY)
                tail = self._node(self.classes.label_atom(label, "e"))
                self._link(head, mid)
                self._link(mid, mid)
                self._link(mid, tail)
                self._link(head, tail)
                entries.append([one, head])
                exits.append([one, tail])
        for q in range(program.size):
            for _guards, _tags, target in program.nexts[q]:
                for x in exits[q]:
                    if target == ACCEPT:
                        self.final[x] = True
                    else:
                        for e in entries[target]:
                            self._link(x, e)
        for _guards, _tags, target in program.start:
            if target != ACCEPT:
                for e in entries[target]:
                    self.start_rule[e] = rule_id

    def _add_trie(self, lexicon: CompiledLexicon) -> tuple[list[int], list[int]]:
        from evx.match.tokens import lexicon_atom

        node_of: dict[int, int] = {}
        first: list[int] = []
        last: list[int] = []
        for trie_id, parent, lowers, lemmas, terminal in lexicon.trie_edges():
            n = self._node(self.classes.atom_id(lexicon_atom(lowers, lemmas)))
            node_of[trie_id] = n
            if parent == 0:
                first.append(n)
            else:
                self._link(node_of[parent], n)
            if terminal:
                last.append(n)
        return first, last

    def _link(self, a: int, b: int) -> None:
        """Node `b` may consume the token after the one `a` consumed."""
        if a not in self.preds[b]:
            self.preds[b].append(a)

    # ---------------------------------------------------------------- running

    def _state(self, pending: frozenset[int]) -> _State:
        found = self._states.get(pending)
        if found is None:
            found = self._states[pending] = _State(pending)
        return found

    def _step(self, state: _State, cls: int) -> tuple[_State, tuple[int, ...]]:
        members = self.classes.members[cls]
        kept = list(self._final_any)
        by_atom = self._final_by_atom
        for a in members:
            found = by_atom.get(a)
            if found is not None:
                kept.extend(found)
        atom = self.atom
        for n in state.pending:
            a = atom[n]
            if a == ANY or a in members:
                kept.append(n)
        start_rule = self.start_rule
        hits = tuple(sorted({start_rule[n] for n in kept if start_rule[n] >= 0}))
        preds = self._preds
        pending = frozenset(p for n in kept for p in preds[n])
        if self._transitions >= MAX_TRANSITIONS:
            # start over; the states in use stay valid objects, and the root stays the root
            self.root.clear()
            self._states = {frozenset(): self.root}
            self._transitions = 0
        step = (self._state(pending), hits)
        state[cls] = step
        self._transitions += 1
        return step

    def starts(
        self,
        classes: Sequence[int],
        sentences: Sequence[tuple[int, int]],
        sentence_of: Sequence[int],
        within: tuple[int, int] | None = None,
    ) -> dict[int, dict[int, list[int]]]:
        """Sentence -> rule id -> the tokens where a match of that rule may start, ascending
        (in the tokens [lo, hi) of ``within`` only, when given: one sentence, say).

        From the root state (nothing pending) a token that no last node accepts leads
        back to the root and reports nothing, so the scan jumps from one token that can end
        a match to the next, and reads token by token only while something is pending.
        """
        out: dict[int, dict[int, list[int]]] = {}
        root = self.root
        lo, hi = within if within is not None else (0, len(classes))
        ends = list(compress(range(lo, hi), map(self._ends.__getitem__, islice(classes, lo, hi))))
        k = len(ends) - 1
        while k >= 0:
            j = ends[k]
            sentence = sentence_of[j]
            lo = sentences[sentence][0]
            state = root
            while j >= lo:
                cls = classes[j]
                step = state.get(cls)
                if step is None:
                    step = self._step(state, cls)
                state, hits = step
                if hits:
                    found = out.get(sentence)
                    if found is None:
                        found = out[sentence] = {}
                    for rule_id in hits:
                        at = found.get(rule_id)
                        if at is None:
                            found[rule_id] = [j]
                        else:
                            at.append(j)
                j -= 1
                if state is root:
                    break
            while k >= 0 and ends[k] > j:
                k -= 1
        for found in out.values():
            for at in found.values():
                at.reverse()
        return out


class _EndClasses(dict[int, bool]):
    """Token class -> whether a token of it can be the last of a match (so the scan must
    look at it), computed on first sight of the class."""

    __slots__ = ("scanner",)

    def __init__(self, scanner: Scanner) -> None:
        super().__init__()
        self.scanner = scanner

    def __missing__(self, cls: int) -> bool:
        scanner = self.scanner
        members = scanner.classes.members[cls]
        found = bool(scanner._final_any) or any(a in scanner._final_by_atom for a in members)
        self[cls] = found
        return found
