"""Token regexes (`[text=/^\\d+$/]`): Python's syntax and classes, run by RE2 in linear time.

A backtracking engine takes exponential time on some patterns (`/^(a+)+$/` on a long
word), and a rule file must not be able to hang a run. RE2 (google-re2) never
backtracks, so it rejects what needs backtracking: backreferences and lookarounds
inside a regex. Its `\\w`, `\\d` and `\\s` are ASCII, where Python's are Unicode, so they
are rewritten into Unicode classes first; `\\b` and `\\B` (whose RE2 meaning is ASCII)
are refused: a token regex sees one token, anchor it with `^` and `$`.
"""

from __future__ import annotations

from typing import Any

import re2

__all__ = ["RegexError", "compile_regex"]

_SPACE = r"\s\p{Z}\x{85}\x{0b}\x{1c}-\x{1f}"  # Python's \s: str.isspace
_CLASSES = {"w": r"\p{L}\p{N}_", "d": r"\p{Nd}", "s": _SPACE}
_OUTSIDE = {
    "w": r"[\p{L}\p{N}_]",
    "W": r"[^\p{L}\p{N}_]",
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
    "Z": r"\z",
}
_FLAGS = {"i": "i", "m": "m", "s": "s"}

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # errors are reported as diagnostics, not on stderr


class RegexError(ValueError):
    """A token regex that RE2 cannot run, with what to do instead."""


def translate(pattern: str) -> str:
    """The pattern in RE2's syntax, with Python's meaning of its character classes."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in "bB":
                raise RegexError(
                    f"`\\{nxt}` (word boundary) is not supported: a token regex sees one "
                    "token; anchor it with ^ and $"
                )
            if in_class:
                if nxt in _CLASSES:
                    out.append(_CLASSES[nxt])
                elif nxt in "WDS":
                    raise RegexError(
                        f"`\\{nxt}` inside [...] is not supported; write the class out, "
                        f"or use [^...] with \\{nxt.lower()}"
                    )
                else:
                    out.append(pattern[i : i + 2])
            elif nxt in _OUTSIDE:
                out.append(_OUTSIDE[nxt])
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            # a ] right after [ or [^ is a literal
            if pattern.startswith("^", i + 1):
                out.append("^")
                i += 1
            if pattern.startswith("]", i + 1):
                out.append("\\]")
                i += 1
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def compile_regex(pattern: str, flags: str = "") -> Any:
    """A compiled RE2 pattern (with ``.search``) for a token regex and its flag letters.

    Raises :class:`RegexError` with a readable reason when RE2 cannot run the pattern.
    """
    prefix = "".join(_FLAGS[f] for f in flags if f in _FLAGS)
    body = translate(pattern)
    source = f"(?{prefix}){body}" if prefix else body
    try:
        return re2.compile(source, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        if "perl operator" in reason or "escape sequence: \\" in reason:
            reason += (
                " (lookarounds and backreferences need backtracking, which token regexes "
                "do not do: they run in linear time)"
            )
        raise RegexError(reason) from None
