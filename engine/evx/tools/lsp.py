"""A small language server for `.rules` files (pygls): `evx check` diagnostics on save, and
go-to-definition for `@Label`s, lexicons, enums, events, classifiers and named conditions.

Run it as `evx-lsp` (stdio), the command an editor's LSP client starts. A rule file is
checked with the other rule files of its directory, since names are global across the
files loaded together; every file of that pack gets its diagnostics (an empty list clears
old ones). Definitions are found by reading the pack's declarations line by line, so they
work while a file does not parse. Needs the `editor` extra (pygls).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from evx.errors import Diagnostic, RuleCheckError, RuleSyntaxError
from evx.lang.loader import RULE_SUFFIX
from evx.ruleset import load
from evx.version import __version__

DECLARATION = re.compile(
    r"^\s*(?P<kind>lexicon|mention|event|enum|classify|condition|rule)\s+(?P<name>[A-Za-z_]\w*)"
)
WORD = re.compile(r"[A-Za-z_]\w*")


def path_of(uri: str) -> Path:
    """The file a `file://` URI names."""
    return Path(unquote(urlparse(uri).path))


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


def to_lsp(diagnostic: Diagnostic, root: Path) -> tuple[Path | None, lsp.Diagnostic]:
    """An evx diagnostic as an LSP one (0-based positions), with the file it belongs to."""
    pos = diagnostic.pos
    if pos is None:
        start = end = lsp.Position(0, 0)
        path = None
    else:
        start = lsp.Position(pos.line - 1, pos.column - 1)
        end_line = pos.end_line if pos.end_line >= pos.line else pos.line
        end_col = pos.end_column if pos.end_column > 0 else pos.column + 1
        end = lsp.Position(end_line - 1, end_col - 1)
        path = root / pos.file
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(
                uri=uri_of(root / r.pos.file),
                range=lsp.Range(
                    lsp.Position(r.pos.line - 1, r.pos.column - 1),
                    lsp.Position(r.pos.line - 1, r.pos.column),
                ),
            ),
            message=r.message,
        )
        for r in diagnostic.related
    ]
    message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    severity = (
        lsp.DiagnosticSeverity.Warning
        if diagnostic.severity == "warning"
        else lsp.DiagnosticSeverity.Error
    )
    return path, lsp.Diagnostic(
        range=lsp.Range(start, end),
        message=message,
        severity=severity,
        code=diagnostic.code,
        source="evx",
        related_information=related or None,
    )


def check_pack(path: Path) -> dict[Path, list[lsp.Diagnostic]]:
    """The diagnostics of every rule file in the directory of `path`, by file (files with
    none are present with an empty list)."""
    root = path.parent
    found: dict[Path, list[lsp.Diagnostic]] = {
        p.resolve(): [] for p in sorted(root.glob(f"*{RULE_SUFFIX}"))
    }
    found.setdefault(path.resolve(), [])
    diagnostics: tuple[Diagnostic, ...]
    try:
        diagnostics = load(root, cache_dir=None).warnings
    except RuleSyntaxError as exc:
        diagnostics = (exc.diagnostic,)
    except RuleCheckError as exc:
        diagnostics = exc.diagnostics
    for diagnostic in diagnostics:
        where, converted = to_lsp(diagnostic, root)
        found.setdefault((where or path).resolve(), []).append(converted)
    return found


def definitions(root: Path) -> dict[str, lsp.Location]:
    """Where each name of a pack is declared (`lexicon x`, `mention X`, `event E`, ...); for
    a name declared twice, the first."""
    out: dict[str, lsp.Location] = {}
    for file in sorted(root.glob(f"*{RULE_SUFFIX}")):
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines):
            match = DECLARATION.match(line)
            if match is None or match["name"] in out:
                continue
            col = match.start("name")
            out[match["name"]] = lsp.Location(
                uri=uri_of(file),
                range=lsp.Range(
                    lsp.Position(number, col), lsp.Position(number, col + len(match["name"]))
                ),
            )
    return out


def word_at(line: str, character: int) -> str | None:
    """The name under the cursor (an `@` before it is not part of it)."""
    for match in WORD.finditer(line):
        if match.start() <= character <= match.end():
            return match.group()
    return None


def make_server() -> LanguageServer:
    """A server with the evx features registered (a new one per call: tests drive several)."""
    server = LanguageServer("evx-lsp", __version__)

    def publish(ls: LanguageServer, uri: str) -> None:
        for path, items in check_pack(path_of(uri)).items():
            ls.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri_of(path), diagnostics=items)
            )

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: LanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        lines = document.lines
        if params.position.line >= len(lines):
            return None
        name = word_at(lines[params.position.line], params.position.character)
        if name is None:
            return None
        return definitions(path_of(params.text_document.uri).parent).get(name)

    return server


def main() -> None:
    """The `evx-lsp` command: serve one editor over stdin and stdout."""
    make_server().start_io()
