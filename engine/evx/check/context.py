"""The state the checker passes share: what was loaded, the names found, and the diagnostics.

Every pass reads and extends one :class:`Context`; none raises. Reporting goes through
:meth:`Context.error`, which attaches the offending source line, so diagnostics from any
pass render the same way and are sorted and raised together at the end.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import attrs

from evx.check.schema import FieldType, Schema
from evx.errors import Diagnostic, Related, SourcePos, source_line
from evx.lang import ast
from evx.lang.loader import Loaded


@attrs.define(eq=False)
class RuleState:
    """One rule (or mention) as the passes see it, filled in as they go."""

    rule: ast.RuleDef
    file: str  # display path of its rule file
    order: int  # position among all rules read; ties in overlap resolution go to the first
    ok: bool = True  # False once a pass found it cannot be checked further
    captures: dict[str, FieldType] = attrs.Factory(dict)  # capture -> value type
    used: set[str] = attrs.Factory(set)  # captures that a clause reads


@attrs.define(eq=False)
class Context:
    """Everything the checker knows about a rule set so far."""

    loaded: Loaded
    diagnostics: list[Diagnostic]
    sources: dict[str, str]  # display path -> source text
    lexicons: dict[str, ast.Lexicon] = attrs.Factory(dict)
    enums: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    events: dict[str, ast.EventDef] = attrs.Factory(dict)
    classifiers: dict[str, ast.ClassifyDef] = attrs.Factory(dict)
    conditions: dict[str, ast.ConditionDef] = attrs.Factory(dict)  # named conditions
    externals: dict[str, ast.External] = attrs.Factory(dict)  # `external mention` labels
    attributes: dict[str, str] = attrs.Factory(dict)  # `external attribute` name -> type
    rules: list[RuleState] = attrs.Factory(list)
    schemas: dict[str, Schema] = attrs.Factory(dict)
    # "namespace:name" -> the kind of what was defined under it, and where
    defined: dict[str, tuple[str, SourcePos]] = attrs.Factory(dict)
    label_order: tuple[str, ...] = ()
    label_deps: dict[str, frozenset[str]] = attrs.Factory(dict)  # label -> labels it reads
    warnings: list[Diagnostic] = attrs.Factory(list)  # reported, but the rules still load

    @classmethod
    def start(cls, loaded: Loaded) -> Context:
        """A fresh context holding the loader's own diagnostics."""
        sources = {f.display: f.tree.source for f in loaded.files}
        return cls(loaded=loaded, diagnostics=list(loaded.diagnostics), sources=sources)

    def error(
        self, code: str, message: str, pos: SourcePos | None, hint: str | None = None
    ) -> None:
        """Record one problem; it is reported with all the others once every pass ran."""
        line = None
        if pos is not None and pos.file in self.sources:
            line = source_line(self.sources[pos.file], pos.line)
        self.diagnostics.append(Diagnostic(code, message, pos, hint=hint, source_line=line))

    def warn(
        self,
        code: str,
        message: str,
        pos: SourcePos | None,
        hint: str | None = None,
        related: tuple[Related, ...] = (),
    ) -> None:
        """Record something worth telling the author that does not stop the rules loading."""
        line = None
        if pos is not None and pos.file in self.sources:
            line = source_line(self.sources[pos.file], pos.line)
        self.warnings.append(
            Diagnostic(
                code,
                message,
                pos,
                hint=hint,
                source_line=line,
                related=related,
                severity="warning",
            )
        )

    def note(self, message: str, pos: SourcePos) -> Related:
        """A second place a diagnostic points at, with its source line."""
        line = source_line(self.sources[pos.file], pos.line) if pos.file in self.sources else None
        return Related(message, pos, line)

    def checkable(self) -> list[RuleState]:
        """The rules no earlier pass gave up on, in the order they were read."""
        return [state for state in self.rules if state.ok]


def suggest(name: str, options: Iterable[str]) -> str | None:
    """A "did you mean" hint naming the options closest to a misspelt name, if any."""
    close = difflib.get_close_matches(name, list(options), n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
