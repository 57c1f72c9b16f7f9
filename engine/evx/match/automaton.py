"""Automata for token patterns: Thompson construction, then epsilon closures folded into each state.

A pattern compiles (see ``compiler``) into an epsilon-NFA built here with continuation-passing
helpers. ``Builder.finish`` then removes every epsilon move: each consuming state gets the
ordered list of ways to reach the next consuming state (or acceptance), each way carrying
the assertions it must pass (lookaround, anchors) and the capture tags it crosses. Order is
priority: greedy quantifiers put "one more" first, lazy ones put "stop" first. The matcher
(``matcher``) walks these programs with memoised search over (state, position) pairs, so
every pattern runs in time linear in the sentence length: no backtracking blow-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import attrs

if TYPE_CHECKING:
    from evx.errors import SourcePos
    from evx.match.tokens import Atom
    from evx.text.document import Document

ACCEPT = -1
"""Target of an entry that completes the match."""

TokenPredicate = Callable[["Document", int], bool]


class SpanSource(Protocol):
    """Something that matches several tokens at once: a lexicon's phrases or a mention label."""

    def ends(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        """Ends (exclusive, <= limit) of the spans starting at token `pos`, longest first."""
        ...

    def starts(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        """Starts (>= limit) of the spans ending at token boundary `pos`, longest first."""
        ...


class SpanContext(Protocol):
    """What a span source may look at: the document and the spans found so far."""

    doc: Document

    def label_ends(self, label: str, pos: int, limit: int) -> Sequence[int]: ...

    def label_starts(self, label: str, pos: int, limit: int) -> Sequence[int]: ...

    def inside(self, label: str) -> Sequence[int]:
        """Per token, non-zero when it lies inside a span of the label."""
        ...


@attrs.frozen(eq=False)
class Guard:
    """A zero-width test at a token boundary: sentence start/end, or a lookaround sub-program."""

    kind: str  # "bos", "eos", "look"
    prog: Program | None = None
    negate: bool = False


Entry = tuple[tuple[Guard, ...], tuple[int, ...], int]
"""(guards to pass, capture tags crossed, target state or ACCEPT). Tags: 2*capture (+1 on close)."""


@attrs.frozen(eq=False)
class Program:
    """A compiled pattern: consuming states with their closures, ready for the matcher.

    States are parallel tuples: ``tests[q]`` is a token predicate (None = any token) when
    ``spans[q]`` is None; otherwise the state consumes one span from ``spans[q]``, which
    is one token when the state has an atom (a test that reads labels, see
    :func:`one_token`).
    ``forward`` is False for lookbehind bodies, which run right to left.
    """

    start: tuple[Entry, ...]
    tests: tuple[TokenPredicate | None, ...]
    spans: tuple[SpanSource | None, ...]
    nexts: tuple[tuple[Entry, ...], ...]
    captures: tuple[str, ...]
    forward: bool = True
    notes: tuple[str, ...] = ()  # what each state consumes, as the rule wrote it (explain)
    atoms: tuple[Atom | None, ...] = ()  # each test state's test as an atom (the scanner's)
    # where each state's pattern element is written (explain points into the rule file)
    places: tuple[SourcePos | None, ...] = ()

    @property
    def size(self) -> int:
        return len(self.tests)


class _Node:
    """An epsilon-NFA node under construction."""

    __slots__ = ("atom", "guard", "kind", "note", "outs", "place", "span", "tag", "test")

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "test", "span", "split", "tag", "assert", "match"
        self.test: TokenPredicate | None = None
        self.atom: Atom | None = None
        self.span: SpanSource | None = None
        self.tag = -1
        self.guard: Guard | None = None
        self.outs: list[int] = []
        self.note = ""
        self.place: SourcePos | None = None


class Builder:
    """Builds an epsilon-NFA back to front: each helper takes the continuation node id."""

    def __init__(self) -> None:
        self.nodes: list[_Node] = []
        self.captures: list[str] = []
        self.accept = self._add(_Node("match"))

    def _add(self, node: _Node) -> int:
        self.nodes.append(node)
        return len(self.nodes) - 1

    def test(
        self, atom: Atom | None, cont: int, note: str = "[]", place: SourcePos | None = None
    ) -> int:
        """A state consuming one token that passes `atom` (any token when None)."""
        node = _Node("test")
        node.test = atom.test if atom is not None else None
        node.atom = atom
        node.note = note
        node.place = place
        node.outs = [cont]
        return self._add(node)

    def span(
        self,
        source: SpanSource,
        cont: int,
        note: str = "",
        place: SourcePos | None = None,
        atom: Atom | None = None,
    ) -> int:
        """A state consuming what `source` matches; with `atom`, one token that passes
        it, asked through the source (a test that reads labels needs the label tables)."""
        node = _Node("span")
        node.span = source
        node.atom = atom
        node.note = note
        node.place = place
        node.outs = [cont]
        return self._add(node)

    def split(self, outs: Sequence[int]) -> int:
        node = _Node("split")
        node.outs = list(outs)
        return self._add(node)

    def placeholder(self) -> int:
        """A split whose outs are filled in later (loops)."""
        return self._add(_Node("split"))

    def set_outs(self, node_id: int, outs: Sequence[int]) -> None:
        self.nodes[node_id].outs = list(outs)

    def guard(self, guard: Guard, cont: int) -> int:
        node = _Node("assert")
        node.guard = guard
        node.outs = [cont]
        return self._add(node)

    def capture_index(self, name: str) -> int:
        if name not in self.captures:
            self.captures.append(name)
        return self.captures.index(name)

    def tag(self, capture: int, close: bool, cont: int) -> int:
        node = _Node("tag")
        node.tag = 2 * capture + (1 if close else 0)
        node.outs = [cont]
        return self._add(node)

    def finish(self, start: int, forward: bool = True) -> Program:
        """Fold epsilon moves into closures and number the consuming states."""
        consuming = [i for i, n in enumerate(self.nodes) if n.kind in ("test", "span")]
        index = {node_id: q for q, node_id in enumerate(consuming)}

        def closure(node_id: int) -> tuple[Entry, ...]:
            entries: list[Entry] = []
            seen_entries: set[tuple[frozenset[Guard], int]] = set()
            visited: dict[int, list[frozenset[Guard]]] = {}
            # explicit stack of (node, guards, tags) in priority order (last pushed = next)
            stack: list[tuple[int, tuple[Guard, ...], tuple[int, ...]]] = [(node_id, (), ())]
            while stack:
                nid, guards, tags = stack.pop()
                gset = frozenset(guards)
                seen = visited.setdefault(nid, [])
                if any(prev <= gset for prev in seen):
                    continue  # an earlier (higher-priority) path got here with fewer conditions
                seen.append(gset)
                node = self.nodes[nid]
                if node.kind in ("test", "span") or node.kind == "match":
                    target = ACCEPT if node.kind == "match" else index[nid]
                    key = (gset, target)
                    if key not in seen_entries:
                        seen_entries.add(key)
                        entries.append((guards, tags, target))
                elif node.kind == "split":
                    for out in reversed(node.outs):
                        stack.append((out, guards, tags))
                elif node.kind == "tag":
                    stack.append((node.outs[0], guards, (*tags, node.tag)))
                elif node.kind == "assert":
                    assert node.guard is not None
                    stack.append((node.outs[0], (*guards, node.guard), tags))
            return tuple(entries)

        tests: list[TokenPredicate | None] = []
        spans: list[SpanSource | None] = []
        nexts: list[tuple[Entry, ...]] = []
        notes: list[str] = []
        atoms: list[Atom | None] = []
        places: list[SourcePos | None] = []
        for node_id in consuming:
            node = self.nodes[node_id]
            tests.append(node.test)
            atoms.append(node.atom)
            spans.append(node.span)
            notes.append(node.note)
            places.append(node.place)
            nexts.append(closure(node.outs[0]))
        return Program(
            start=closure(start),
            tests=tuple(tests),
            spans=tuple(spans),
            nexts=tuple(nexts),
            captures=tuple(self.captures),
            forward=forward,
            notes=tuple(notes),
            atoms=tuple(atoms),
            places=tuple(places),
        )


def one_token(program: Program, q: int) -> bool:
    """Whether state `q` consumes exactly one token: a token test, or a span state with an
    atom (a test that reads labels, answered through its span source)."""
    return program.spans[q] is None or (q < len(program.atoms) and program.atoms[q] is not None)


def fixed_length(program: Program) -> int:
    """The length of every match when the program is a plain chain of token tests (one way
    through, no guards, no captures, no spans), else 0: its matches need no VM."""
    if program.captures or len(program.start) != 1:
        return 0
    guards, tags, q = program.start[0]
    length = 0
    while q != ACCEPT:
        if guards or tags or not one_token(program, q) or len(program.nexts[q]) != 1:
            return 0
        length += 1
        if length > program.size:
            return 0  # a loop
        guards, tags, q = program.nexts[q][0]
    return length if not guards and not tags else 0
