"""Token classes: every distinct token mapped once to the set of atomic tests it passes.

All token tests of a rule set are interned as atoms (:class:`~evx.match.tokens.Atom`). A
*class* is a set of atoms; two tokens with the same word (and, when a document brings its
own, the same lemma, supplied columns and flags) have the same class, so a word's class is
computed once and remembered across documents. The scanner then reads a document as a
sequence of small integers. Label atoms (a span of `@Party` starts or ends here) depend on
the position, not the word: :meth:`TokenClasses.with_labels` adds them where they apply.
So do tests that read labels (`[@Person & title]`): a word's class holds their answer for
a token inside no span, and ``with_labels`` answers them again, from the word's class and
the labels a token lies inside, at the tokens inside spans (remembered per class and set
of labels, like the word classes).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING

from evx.match.tokens import Atom
from evx.text.attributes import FLAG_NAMES

if TYPE_CHECKING:
    from evx.match.context import LabelTable
    from evx.text.document import Document

MAX_CACHED_WORDS = 1_000_000
"""Word keys remembered at most; past that the cache starts over (an open vocabulary)."""


class TokenClasses:
    """The atoms of a rule set and the classes of the tokens seen so far."""

    def __init__(self) -> None:
        self.atoms: list[Atom | None] = []  # None: a label atom, set per position
        self._ids: dict[Hashable, int] = {}
        self._by_column: dict[str, dict[str, list[int]]] = {}
        self._evaluated: list[int] = []  # atoms without an index: their predicate is called
        self._class_ids: dict[frozenset[int], int] = {}
        self.members: list[frozenset[int]] = []
        self._words: dict[Hashable, int] = {}
        self._labelled: dict[tuple[int, frozenset[int]], int] = {}
        self.label_atoms: dict[tuple[str, str], int] = {}  # (label, "s"|"e"|"se") -> atom
        # tests that read labels: (atom, the labels it reads, its answer from a class's
        # members and the labels a token lies inside)
        self._placed: list[tuple[int, frozenset[str], _Answer]] = []
        self.inside_labels: set[str] = set()
        self._inside: dict[tuple[int, frozenset[str]], int] = {}
        self.supplied: tuple[str, ...] = ()  # columns some evaluated atom reads (set by compiler)
        self.empty = self._intern(frozenset())

    # ---------------------------------------------------------------- building

    def atom_id(self, atom: Atom) -> int:
        """The id of an atom, interned by its key (the same test anywhere is one atom)."""
        found = self._ids.get(atom.key)
        if found is not None:
            return found
        formula = atom.formula
        if formula is not None:
            leaves = {id(leaf): self.atom_id(leaf) for leaf in formula.leaves()}
            self.inside_labels.update(atom.labels)

            def answer(members: frozenset[int], inside: frozenset[str]) -> bool:
                return formula.holds(lambda a: leaves[id(a)] in members, inside.__contains__)

            self._placed.append((len(self.atoms), atom.labels, answer))
        aid = len(self.atoms)
        self._ids[atom.key] = aid
        self.atoms.append(atom)
        if atom.index is None:
            self._evaluated.append(aid)
        else:
            for column, values in atom.index:
                table = self._by_column.setdefault(column, {})
                for value in values:
                    table.setdefault(value, []).append(aid)
        self._words.clear()
        return aid

    def label_atom(self, label: str, kind: str) -> int:
        """The atom "a span of `label` starts here" (s), "ends here" (e) or both (se)."""
        key = (label, kind)
        found = self.label_atoms.get(key)
        if found is None:
            found = self.label_atoms[key] = len(self.atoms)
            self._ids[("label", label, kind)] = found
            self.atoms.append(None)
        return found

    def _intern(self, members: frozenset[int]) -> int:
        found = self._class_ids.get(members)
        if found is None:
            found = self._class_ids[members] = len(self.members)
            self.members.append(members)
        return found

    # ---------------------------------------------------------------- documents

    def of(self, doc: Document) -> list[int]:
        """The class of every token of a document."""
        keys: Sequence[Hashable]
        if doc.lemmas_computed and not self.supplied and not doc.flags_supplied:
            keys = doc.words  # everything an atom can read follows from the word
        else:
            columns = [doc.words, doc.lemma, *(doc.column(c) for c in self.supplied)]
            if doc.flags_supplied:  # all flags, so keys of two documents mean the same
                columns.extend(doc.column(f) for f in FLAG_NAMES)
            keys = list(zip(*columns, strict=True))
        cache = self._words
        missing = set(keys).difference(cache)  # each new key is computed once, at a token of it
        if missing:
            if len(cache) + len(missing) > MAX_CACHED_WORDS:
                cache.clear()
                missing = set(keys)
            position = keys.index
            for key in missing:
                cache[key] = self._compute(doc, position(key))
        return list(map(cache.__getitem__, keys))

    def _compute(self, doc: Document, i: int) -> int:
        passed: set[int] = set()
        for column, table in self._by_column.items():
            ids = table.get(_value(doc, column, i))
            if ids:
                passed.update(ids)
        atoms = self.atoms
        for aid in self._evaluated:
            atom = atoms[aid]
            if atom is not None and atom.test(doc, i):
                passed.add(aid)
        return self._intern(frozenset(passed))

    def with_labels(
        self, classes: list[int], tables: Iterable[tuple[str, LabelTable]]
    ) -> list[int]:
        """The classes with the label atoms of these label tables added where they apply,
        and the tests that read their labels answered again inside their spans."""
        tables = list(tables)
        out = self._inside_answers(classes, tables)
        extra: dict[int, set[int]] = {}
        for label, table in tables:
            s_atom = self.label_atoms.get((label, "s"))
            e_atom = self.label_atoms.get((label, "e"))
            se_atom = self.label_atoms.get((label, "se"))
            for pos, ends in table.by_start.items():
                if s_atom is not None:
                    extra.setdefault(pos, set()).add(s_atom)
                if se_atom is not None and pos + 1 in ends:  # a one-token span
                    extra.setdefault(pos, set()).add(se_atom)
            if e_atom is not None:
                for end in table.by_end:
                    extra.setdefault(end - 1, set()).add(e_atom)
        if not extra:
            return out
        if out is classes:
            out = list(classes)
        for pos, atoms in extra.items():
            key = (out[pos], frozenset(atoms))
            found = self._labelled.get(key)
            if found is None:
                found = self._labelled[key] = self._intern(self.members[out[pos]] | key[1])
            out[pos] = found
        return out

    def _inside_answers(
        self, classes: list[int], tables: list[tuple[str, LabelTable]]
    ) -> list[int]:
        """The classes of the tokens inside spans of these tables' labels, with the tests
        that read those labels answered for where the token is (the classes themselves
        when no such test or span is there)."""
        inside: dict[int, set[str]] = {}
        for label, table in tables:
            if label in self.inside_labels:
                for start, end in table.cover():
                    for pos in range(start, end):
                        inside.setdefault(pos, set()).add(label)
        if not inside:
            return classes
        out = list(classes)
        cache = self._inside
        for pos, found in inside.items():
            key = (out[pos], frozenset(found))
            cls = cache.get(key)
            if cls is None:
                members = self.members[key[0]]
                answered = set(members)
                for aid, labels, answer in self._placed:
                    if labels & key[1]:
                        if answer(members, key[1]):
                            answered.add(aid)
                        else:
                            answered.discard(aid)
                cls = cache[key] = self._intern(frozenset(answered))
            out[pos] = cls
        return out


_Answer = Callable[[frozenset[int], frozenset[str]], bool]
"""A test that reads labels, answered from a token class's members and the labels the
token lies inside."""


def _value(doc: Document, column: str, i: int) -> str:
    if column == "lower":
        return doc.lower[i]
    if column == "lemma":
        return doc.lemma[i]
    if column == "text":
        return doc.words[i]
    return doc.shape[i]
