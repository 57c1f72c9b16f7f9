"""The error hierarchy: every mistake a user can make surfaces as one of these.

Each error carries a code (searchable, stable), a source position when there is one,
and a message that says what was expected and, where we can, how to fix it.
``str(error)`` renders the position, the offending line and a caret, the way a
compiler would, so the CLI can print it as is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs


def source_line(source: str, line: int) -> str:
    """The 1-based line of a source text, or '' past its end (the line a caret sits under)."""
    lines = source.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


@attrs.frozen
class SourcePos:
    """A position in a rule (or lexicon) file: 1-based line and column."""

    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # every syntax-tree node has one: unpickling them by call keeps the cache fast
        return SourcePos, (self.file, self.line, self.column, self.end_line, self.end_column)


def _caret(pos: SourcePos, line: str) -> list[str]:
    """The source line and a caret under the span, indented four spaces."""
    text = line.rstrip("\n").expandtabs(1)
    width = 1
    if pos.end_line == pos.line and pos.end_column > pos.column:
        width = pos.end_column - pos.column
    return [f"    {text}", "    " + " " * (pos.column - 1) + "^" * max(1, width)]


@attrs.frozen
class Related:
    """A second place a diagnostic points at: where the unclosed `(` was opened."""

    message: str
    pos: SourcePos
    source_line: str | None = None


@attrs.frozen
class Diagnostic:
    """One problem found in a rule file, with its code and position."""

    code: str
    message: str
    pos: SourcePos | None = None
    hint: str | None = None
    source_line: str | None = None
    related: tuple[Related, ...] = ()
    severity: str = "error"  # or "warning"

    def render(self) -> str:
        """Render as ``file:line:col: CODE message``, the offending line, a caret, each
        related place (a note with its own line and caret) and a hint."""
        head = f"{self.pos}: " if self.pos is not None else ""
        out = [f"{head}{self.code} {self.message}"]
        if self.pos is not None and self.source_line is not None:
            out.extend(_caret(self.pos, self.source_line))
        for note in self.related:
            out.append(f"  note: {note.pos}: {note.message}")
            if note.source_line is not None:
                out.extend(_caret(note.pos, note.source_line))
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)

    def with_file(self, rename: Callable[[str], str]) -> Diagnostic:
        """The same diagnostic with every file name passed through ``rename`` (the CLI
        prints paths as the user gave them)."""
        pos = None if self.pos is None else attrs.evolve(self.pos, file=rename(self.pos.file))
        related = tuple(
            attrs.evolve(r, pos=attrs.evolve(r.pos, file=rename(r.pos.file))) for r in self.related
        )
        return attrs.evolve(self, pos=pos, related=related)


class EvxError(Exception):
    """Root of every error evx raises on purpose."""

    code: str = "E000"


class RuleSyntaxError(EvxError):
    """A rule file does not parse; raised at the first error, with its position."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        self.code = diagnostic.code
        super().__init__(diagnostic.render())

    @property
    def pos(self) -> SourcePos | None:
        return self.diagnostic.pos


class RuleCheckError(EvxError):
    """One or more semantic problems in a rule set, gathered and reported together."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        self.code = self.diagnostics[0].code if self.diagnostics else "E000"
        n = len(self.diagnostics)
        summary = f"{n} error{'s' if n != 1 else ''} in rule set"
        body = "\n".join(d.render() for d in self.diagnostics)
        super().__init__(f"{body}\n{summary}")

    @property
    def codes(self) -> list[str]:
        return [d.code for d in self.diagnostics]


class DocumentError(EvxError):
    """A document could not be read or processed; other documents are unaffected."""

    code = "D001"

    def __init__(self, doc: str, message: str, code: str = "D001") -> None:
        self.doc = doc
        self.code = code
        self.message = message
        super().__init__(f"{doc}: {code} {message}")

    def __reduce__(self) -> tuple[type[DocumentError], tuple[str, str, str]]:
        # across processes (worker pools, Dask) it is rebuilt from its fields
        return (DocumentError, (self.doc, self.message, self.code))
