"""Render ``docs/errors.md`` from the two code catalogues: `python -m evx.tools.errordocs`."""

from __future__ import annotations

from evx.codes import CATALOGUE, EXAMPLE_CATALOGUE, LOADER_ONLY, OTHER_SYNTAX, CodeInfo
from evx.lang.syntax_errors import SYNTAX_CASES


def render_markdown() -> str:
    """docs/errors.md: every code with its meaning and an example that triggers it."""
    out = [
        "# Error codes",
        "",
        "Generated from `engine/evx/lang/syntax_errors.py` and `engine/evx/codes.py` "
        "(`python -m evx.tools.errordocs > docs/errors.md`); the test suite runs every "
        "example below.",
        "",
        "Syntax errors (E0xx) stop at the first one. Semantic errors (E1xx names, E2xx types "
        "and fields, E3xx patterns, E4xx files) are gathered and reported together.",
        "Document errors: `D001` not valid UTF-8 (or not valid in the `--encoding` given), "
        "`D002` binary data, `D003` a rule needs a token attribute the document lacks, "
        "`D004` unreadable file (a damaged compressed file or Parquet file included), `D005` "
        "a bad row in a collection (not JSON, cells that do not match the CSV header, no text "
        "field), at `file:line`, `D006` a directory where no file is chosen (see `--glob`), "
        "`D007` a token attribute holding values of another type than the rule file "
        "declares, `D900` internal error; the warning `W101` says a sentence longer than the "
        "sentence limit was cut into pieces, `W102` that a document longer than the document "
        "limit was read in pieces, `W103` that a supplied lemma column is only the "
        "lower-cased words. See [io.md](io.md).",
        "",
        "## Syntax",
        "",
    ]
    rows: list[tuple[str, str, str, str]] = []
    for case in SYNTAX_CASES:
        rows.append((case.code, case.message, case.hint, case.examples[0]))
    for code, (title, why) in OTHER_SYNTAX.items():
        rows.append((code, title, why, ""))
    for code, title, hint, example in sorted(rows):
        out.append(f"### `{code}` {title}")
        out.append("")
        out.append(hint)
        if example:
            out += ["", "```", example, "```"]
        out.append("")
    out += ["## Semantic", ""]
    for info in CATALOGUE:
        out += _entry(info)
    for code, text in LOADER_ONLY.items():
        out += [f"### `{code}` {text.split(':')[0]}", "", text, ""]
    out += ["## Examples (`evx test`)", ""]
    for info in EXAMPLE_CATALOGUE:
        out += _entry(info)
    out += [
        "## Gold files (`evx eval`)",
        "",
        "`G001` the gold directory or a gold file cannot be read; `G002` a malformed gold "
        "line (bad JSON, or `type`, `evidence`, `fields`, `occurrence` wrong); `G003` the "
        "evidence is not in the article (or occurs fewer times than `occurrence` asks).",
        "",
    ]
    return "\n".join(out).rstrip("\n") + "\n"


def _entry(info: CodeInfo) -> list[str]:
    return [
        f"### `{info.code}` {info.title}",
        "",
        info.explanation,
        "",
        f"Reported at line {info.line}, column {info.column} of:",
        "",
        "```",
        info.snippet.rstrip("\n"),
        "```",
        "",
    ]


if __name__ == "__main__":
    print(render_markdown(), end="")
