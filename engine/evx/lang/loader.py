"""Read rule files from disk: expand directories, follow imports, load lexicon files.

Syntax errors stop loading at once (RuleSyntaxError); missing files and import cycles are
gathered as diagnostics for the checker to report with everything else.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

import attrs

from evx.errors import Diagnostic, SourcePos, source_line
from evx.lang import ast
from evx.lang.parser import parse_file, parse_lexicon_line

RULE_SUFFIX = ".rules"


@attrs.frozen
class LoadedFile:
    """A parsed rule file, with the name rules from it are reported under."""

    path: Path
    display: str
    tree: ast.RuleFile
    imports: tuple[Path, ...]


@attrs.frozen
class Loaded:
    """Everything read from disk: files in dependency order, and problems found on the way."""

    files: tuple[LoadedFile, ...]
    diagnostics: tuple[Diagnostic, ...]
    read: tuple[tuple[str, str], ...] = ()  # every file read: (resolved path, sha256 of its text)


def expand_rule_paths(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, Path]]:
    """(file, root) pairs: files as given, directories recursed for `.rules` files."""
    out: list[tuple[Path, Path]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend((f, path) for f in sorted(path.rglob(f"*{RULE_SUFFIX}")) if f.is_file())
        else:
            out.append((path, path.parent))
    return out


def display_name(path: Path, root: Path) -> str:
    """The name a rule file is known by inside evx (records, positions): its path relative
    to the directory it was found in, or its file name."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


MAX_RULE_FILE_BYTES = 20_000_000
"""A rule file larger than this is refused (E401): no rule set needs one."""

MAX_LEXICON_BYTES = 50_000_000
"""A lexicon file larger than this is refused (E403): it would not fit a rule set's use."""


def load_rules(
    paths: Iterable[str | os.PathLike[str]],
    allow_outside: Iterable[str | os.PathLike[str]] = (),
) -> Loaded:
    """Parse the given rule files and directories and everything they import.

    Imports and lexicon files must lie inside the rule set's roots (the directories given,
    and the directories of the files given) or inside a directory of ``allow_outside``,
    after symlinks are resolved: a rule file shared between teams cannot make evx read
    ``/etc`` or ``/proc`` (E404). Only regular files are read, up to a size limit.
    """
    paths = list(paths)
    roots = [root.resolve() for _file, root in expand_rule_paths(paths)]
    roots += [Path(extra).resolve() for extra in allow_outside]
    diagnostics: list[Diagnostic] = []
    loaded: dict[Path, LoadedFile] = {}
    order: list[Path] = []
    visiting: list[Path] = []
    read: dict[str, str] = {}  # what was read, for the compile cache to check it later

    def visit(path: Path, root: Path, importer: ast.RuleFile | None, at: SourcePos | None) -> None:
        def report(code: str, message: str, hint: str) -> None:
            line = source_line(importer.source, at.line) if importer and at else None
            diagnostics.append(Diagnostic(code, message, at, hint=hint, source_line=line))

        key = path.resolve()
        if key in loaded:
            return
        if key in visiting:
            cycle = [*visiting[visiting.index(key) :], key]
            names = " -> ".join(p.name for p in cycle)
            report(
                "E402",
                f"import cycle: {names}",
                "move what both files need into a third file that both import",
            )
            return
        if importer is not None and not _inside(key, roots):
            report(
                "E404",
                f"import {path} is outside the rule set ({_where(roots)})",
                "imports must lie under the directories given; to read another one, "
                "pass it with --allow-outside",
            )
            return
        if importer is not None and key.suffix != RULE_SUFFIX:
            report(
                "E404",
                f"import {path} is not a {RULE_SUFFIX} file",
                "only rule files are imported; lexicons are read with `lexicon x from`",
            )
            return
        try:
            text = _read_text(key, MAX_RULE_FILE_BYTES)
        except (OSError, UnicodeDecodeError) as exc:
            report(
                "E401",
                f"cannot read rule file {path}: {_reason(exc)}",
                "imports are relative to the importing file"
                if importer is not None
                else "give a rule file or a directory of them",
            )
            return
        read[key.as_posix()] = digest(text)
        display = display_name(path, root)
        tree = parse_file(text, display)
        visiting.append(key)
        imports: list[Path] = []
        statements: list[ast.Statement] = []
        for stmt in tree.statements:
            if isinstance(stmt, ast.Import):
                target = _resolve(path.parent / stmt.path)
                if target is None:
                    diagnostics.append(
                        Diagnostic(
                            "E401",
                            f"cannot read rule file {stmt.path!r}: not a usable path",
                            stmt.pos,
                            hint="a path cannot hold a NUL character or loop through links",
                            source_line=source_line(tree.source, stmt.pos.line),
                        )
                    )
                    continue
                imports.append(target)
                visit(target, root, tree, stmt.pos)
            elif isinstance(stmt, ast.Lexicon) and stmt.path is not None:
                stmt = _load_lexicon_file(stmt, path, tree, diagnostics, read, roots)
            statements.append(stmt)
        visiting.pop()
        tree = attrs.evolve(tree, statements=tuple(statements))
        loaded[key] = LoadedFile(key, display, tree, tuple(imports))
        order.append(key)

    for path, root in expand_rule_paths(paths):
        visit(path, root, None, None)
    return Loaded(tuple(loaded[k] for k in order), tuple(diagnostics), tuple(sorted(read.items())))


def _load_lexicon_file(
    stmt: ast.Lexicon,
    rule_path: Path,
    tree: ast.RuleFile,
    diagnostics: list[Diagnostic],
    read: dict[str, str],
    roots: list[Path],
) -> ast.Lexicon:
    assert stmt.path is not None
    resolved = _resolve(rule_path.parent / stmt.path)
    if resolved is None:
        diagnostics.append(
            Diagnostic(
                "E403",
                f"cannot read lexicon file {stmt.path!r}: not a usable path",
                stmt.pos,
                hint="a path cannot hold a NUL character or loop through links",
                source_line=source_line(tree.source, stmt.pos.line),
            )
        )
        return stmt
    lex_path = resolved
    if not _inside(lex_path, roots):
        diagnostics.append(
            Diagnostic(
                "E404",
                f"lexicon file {stmt.path} is outside the rule set ({_where(roots)})",
                stmt.pos,
                hint="lexicon files must lie under the directories given; to read another "
                "one, pass it with --allow-outside",
                source_line=source_line(tree.source, stmt.pos.line),
            )
        )
        return stmt
    try:
        text = _read_text(lex_path, MAX_LEXICON_BYTES)
    except (OSError, UnicodeDecodeError) as exc:
        diagnostics.append(
            Diagnostic(
                "E403",
                f"cannot read lexicon file {stmt.path}: {_reason(exc)}",
                stmt.pos,
                hint="lexicon files are relative to the rule file that names them",
                source_line=source_line(tree.source, stmt.pos.line),
            )
        )
        return stmt
    read[lex_path.as_posix()] = digest(text)
    display = Path(tree.path).parent.joinpath(stmt.path).as_posix()
    entries: list[ast.LexEntry] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue  # the grammar ignores trailing comments on entry lines itself
        entries.append(parse_lexicon_line(line, display, lineno))
    return attrs.evolve(stmt, entries=tuple(entries))


def _resolve(path: Path) -> Path | None:
    """The path with links followed; None for one no file can have (a NUL character, a
    loop of links)."""
    try:
        return path.resolve()
    except (ValueError, OSError, RuntimeError):
        return None


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def _where(roots: list[Path]) -> str:
    shown = ", ".join(r.as_posix() for r in roots[:3])
    return f"under {shown}" + (" ..." if len(roots) > 3 else "")


def _read_text(path: Path, limit: int) -> str:
    """A regular file's UTF-8 text: FIFOs and devices would block or never end (the size
    is checked before reading, and the reading stops past it anyway)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError(0, "not a regular file (a FIFO, device or directory)")
    if info.st_size > limit:
        raise OSError(0, f"{info.st_size:,} bytes, over the limit of {limit:,}")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(0, f"over the limit of {limit:,} bytes")
    return data.decode("utf-8")


def digest(text: str) -> str:
    """The sha256 of a file's text: how the compile cache knows it is unchanged."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _reason(exc: OSError | UnicodeDecodeError) -> str:
    """Why a file could not be read, in a few words."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
