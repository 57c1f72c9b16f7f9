"""Lexicons compiled for matching: tries over lower forms and lemmas, and word sets for tests.

A bare entry word matches by lemma (and by its own lower form); a quoted one by its exact
lower form, tokenized as documents are. The forward trie finds phrases starting at a
token, the backward one phrases ending at a boundary (for lookbehinds).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from evx.lang import ast
from evx.match.automaton import SpanContext
from evx.text.attributes import LEMMAS, LOWER
from evx.text.tokenizer import words_of

if TYPE_CHECKING:
    from evx.text.document import Document


class _Trie:
    __slots__ = ("by_lemma", "by_lower", "terminal", "value")

    def __init__(self) -> None:
        self.by_lower: dict[str, _Trie] = {}
        self.by_lemma: dict[str, _Trie] = {}
        self.terminal = False
        self.value: str | None = None

    def child(self, lemma: bool, key: str) -> _Trie:
        table = self.by_lemma if lemma else self.by_lower
        node = table.get(key)
        if node is None:
            node = table[key] = _Trie()
        return node


@attrs.frozen
class LexWordKey:
    """How one word of an entry is matched: by lemma (and lower form) or by lower form only."""

    lower: str
    lemma: str | None


def entry_keys(entry: ast.LexEntry) -> list[LexWordKey]:
    """The per-token match keys of a lexicon entry (quoted words may be several tokens)."""
    keys: list[LexWordKey] = []
    for word in entry.words:
        if word.exact:
            keys.extend(LexWordKey(LOWER[w], None) for w in words_of(word.text))
        else:
            lower = LOWER[word.text]
            keys.append(LexWordKey(lower, LEMMAS[lower]))
    return keys


@functools.lru_cache(maxsize=4096)
def entries_word_set(entries: tuple[ast.LexEntry, ...], attr: str) -> frozenset[str]:
    """Lexicon entries as values of one token attribute, for `[attr in {...}]` (remembered:
    a rule set asks for the same entries several times)."""
    out: set[str] = set()
    for entry in entries:
        for word in entry.words:
            if attr == "lemma" and not word.exact:
                lower = LOWER[word.text]
                out.add(LEMMAS[lower])
            elif attr in ("lower", "lemma"):
                out.add(LOWER[word.text])
            else:
                out.add(word.text)
    return frozenset(out)


class CompiledLexicon:
    """A lexicon as tries (forward and backward) for phrase matching, and sets for token tests."""

    def __init__(self, name: str, entries: Sequence[ast.LexEntry]) -> None:
        self.name = name
        self.forward = _Trie()
        self.backward = _Trie()
        self.entries = tuple(entries)
        self.single_word = True
        self.has_values = any(e.value is not None for e in entries)
        self.first_keys: set[tuple[str, str]] = set()  # prefilter keys of first words
        for entry in entries:
            keys = entry_keys(entry)
            if not keys:
                continue
            if len(keys) > 1:
                self.single_word = False
            for trie, seq in ((self.forward, keys), (self.backward, keys[::-1])):
                node = trie
                for key in seq:
                    if key.lemma is not None:
                        child = node.child(True, key.lemma)
                        # a bare word also matches its own lower form ("left" lemmatises oddly)
                        node.by_lower.setdefault(key.lower, child)
                        node = child
                    else:
                        node = node.child(False, key.lower)
                if not node.terminal:
                    node.terminal = True
                    node.value = entry.value
            first = keys[0]
            self.first_keys.add(("w", first.lower))
            if first.lemma is not None:
                self.first_keys.add(("l", first.lemma))

    def _walk(self, doc: Document, trie: _Trie, pos: int, step: int, limit: int) -> list[int]:
        lower, lemma = doc.lower, doc.lemma
        found: list[int] = []
        frontier = [trie]
        i = pos
        while frontier:
            j = i if step > 0 else i - 1
            if (step > 0 and j >= limit) or (step < 0 and j < limit):
                break
            nxt: list[_Trie] = []
            for node in frontier:
                by_lower = node.by_lower.get(lower[j])
                if by_lower is not None:
                    nxt.append(by_lower)
                by_lemma = node.by_lemma.get(lemma[j])
                if by_lemma is not None and by_lemma is not by_lower:
                    nxt.append(by_lemma)
            i += step
            if any(n.terminal for n in nxt):
                found.append(i)
            frontier = nxt
        found.reverse()  # longest first
        return found

    def trie_edges(self) -> list[tuple[int, int, frozenset[str], frozenset[str], bool]]:
        """The forward trie as (node, parent, lower forms, lemmas, terminal) rows, parents
        first; node 0 is the root (not listed). A token moves from the parent to the node
        when its lower form or its lemma is in the sets."""
        rows: list[tuple[int, int, frozenset[str], frozenset[str], bool]] = []
        ids: dict[int, int] = {id(self.forward): 0}
        queue = [self.forward]
        while queue:
            parent = queue.pop(0)
            children: dict[int, tuple[_Trie, set[str], set[str]]] = {}
            for word, child in parent.by_lower.items():
                children.setdefault(id(child), (child, set(), set()))[1].add(word)
            for lemma, child in parent.by_lemma.items():
                children.setdefault(id(child), (child, set(), set()))[2].add(lemma)
            for child, lowers, lemmas in children.values():
                if id(child) in ids:
                    continue
                ids[id(child)] = len(ids)
                rows.append(
                    (
                        ids[id(child)],
                        ids[id(parent)],
                        frozenset(lowers),
                        frozenset(lemmas),
                        child.terminal,
                    )
                )
                queue.append(child)
        return rows

    def ends(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        doc, root = ctx.doc, self.forward
        # most tokens start no entry: answer those without walking the trie
        if pos >= limit or (
            doc.lower[pos] not in root.by_lower and doc.lemma[pos] not in root.by_lemma
        ):
            return ()
        return self._walk(doc, root, pos, 1, limit)

    def starts(self, ctx: SpanContext, pos: int, limit: int) -> Sequence[int]:
        doc, root = ctx.doc, self.backward
        if pos <= limit or (
            doc.lower[pos - 1] not in root.by_lower and doc.lemma[pos - 1] not in root.by_lemma
        ):
            return ()
        return self._walk(doc, root, pos, -1, limit)

    def value_at(self, doc: Document, start: int, end: int) -> str | None:
        """The canonical value of the entry matching exactly tokens [start, end), if any."""
        lower, lemma = doc.lower, doc.lemma
        frontier = [self.forward]
        for j in range(start, end):
            nxt: list[_Trie] = []
            for node in frontier:
                for child in (node.by_lower.get(lower[j]), node.by_lemma.get(lemma[j])):
                    if child is not None and child not in nxt:
                        nxt.append(child)
            frontier = nxt
        for node in frontier:
            if node.terminal and node.value is not None:
                return node.value
        return None

    def word_set(self, attr: str) -> frozenset[str]:
        """The single-word entries as values of one token attribute, for `[attr in lexicon]`."""
        return entries_word_set(self.entries, attr)


class LexiconTable:
    """The compiled lexicons of a rule set: the named ones, and inline ones compiled on demand."""

    def __init__(self, named: dict[str, CompiledLexicon]) -> None:
        self.named = named
        self._inline: dict[int, CompiledLexicon] = {}

    def of(self, node: ast.LexiconRef | ast.InlineLexicon) -> CompiledLexicon:
        """The compiled lexicon a pattern element refers to (or is, when inline)."""
        if isinstance(node, ast.LexiconRef):
            return self.named[node.name]
        found = self._inline.get(id(node))
        if found is None:
            found = self._inline[id(node)] = CompiledLexicon("<inline>", node.entries)
        return found
