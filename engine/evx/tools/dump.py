"""`evx check --dump ast|ir|plan`: each stage of the pipeline as text, the way `re.DEBUG` shows
a regex's parse and code.

- ``ast``: the syntax tree of each rule, as the parser built it (positions left out);
- ``ir``: what the checker made of each label: its schema, its rules in dependency order,
  the value type of each capture;
- ``plan``: what the compiler made: the strata, and for each rule its program state by
  state (what each consumes, where it is written, where it goes next), its prefilter keys.

The output is for people debugging the language; its shape may change between versions.
"""

from __future__ import annotations

from typing import Any

import attrs

from evx.errors import SourcePos
from evx.match.automaton import ACCEPT, Entry, Program, one_token
from evx.ruleset import RuleSet

STAGES = ("ast", "ir", "plan")


def _plain(node: object, depth: int = 0) -> list[str]:
    """An attrs tree as indented lines, without source positions."""
    pad = "  " * depth
    cls: Any = type(node)
    if attrs.has(cls):
        fields = [
            (a.name, getattr(node, a.name))
            for a in attrs.fields(cls)
            if not isinstance(getattr(node, a.name), SourcePos)
        ]
        simple = [(n, v) for n, v in fields if not _nested(v)]
        head = type(node).__name__
        if simple:
            head += " " + " ".join(f"{n}={_short(v)}" for n, v in simple if v not in (None, (), ""))
        out = [pad + head.rstrip()]
        for name, value in fields:
            if _nested(value):
                out.append(f"{pad}  {name}:")
                items = value if isinstance(value, tuple) else (value,)
                for item in items:
                    out.extend(_plain(item, depth + 2))
        return out
    return [pad + repr(node)]


def _short(value: object) -> str:
    """A value on one line, source positions left out."""
    cls: Any = type(value)
    if attrs.has(cls):
        inner = ", ".join(
            f"{a.name}={_short(getattr(value, a.name))}"
            for a in attrs.fields(cls)
            if not isinstance(getattr(value, a.name), SourcePos)
        )
        return f"{cls.__name__}({inner})"
    if isinstance(value, tuple):
        return "(" + ", ".join(_short(v) for v in value if not isinstance(v, SourcePos)) + ")"
    return repr(value)


def _nested(value: Any) -> bool:
    if attrs.has(type(value)):
        return True
    return isinstance(value, tuple) and any(attrs.has(type(v)) for v in value)


def dump_ast(rules: RuleSet) -> str:
    """The syntax tree of every rule and mention."""
    out: list[str] = []
    for rule in rules.compiled.rules:
        out.append(f"# {rule.qualified_name}")
        out.extend(_plain(rule.checked.rule))
    return "\n".join(out)


def dump_ir(rules: RuleSet) -> str:
    """Every label's schema and rules, in the checker's dependency order."""
    checked = rules.compiled.checked
    out: list[str] = []
    for label in checked.label_order:
        schema = checked.schemas[label]
        kind = "event" if schema.is_event else "mention"
        deps = sorted(checked.label_deps.get(label, ()))
        out.append(f"{kind} {label}  overlap={schema.overlap}  reads={deps or '-'}")
        for name, ftype in schema.fields:
            out.append(f"  field {name}: {ftype.describe()}")
        for crule in checked.rules:
            if crule.rule.target != label:
                continue
            captures = ", ".join(f"{n}: {t.describe()}" for n, t in crule.capture_types)
            out.append(f"  rule {crule.qualified_name}  captures: {captures or '-'}")
    return "\n".join(out)


def _entry(entry: Entry, captures: tuple[str, ...]) -> str:
    guards, tags, target = entry
    parts = []
    if guards:
        parts.append("if " + " & ".join(("not " if g.negate else "") + g.kind for g in guards))
    for tag in tags:
        cap, close = divmod(tag, 2)
        parts.append(f"{'close' if close else 'open'} {captures[cap]}")
    parts.append("accept" if target == ACCEPT else f"-> {target}")
    return ", ".join(parts)


def dump_program(prog: Program) -> list[str]:
    """A program state by state."""
    out = ["  start: " + "; ".join(_entry(e, prog.captures) for e in prog.start)]
    for q in range(prog.size):
        note = prog.notes[q] if q < len(prog.notes) else "?"
        place = prog.places[q] if q < len(prog.places) else None
        kind = "token" if one_token(prog, q) else "span"
        where = f"  @ {place}" if place is not None else ""
        out.append(f"  {q}: {kind} {note}{where}")
        out.extend(f"      {_entry(e, prog.captures)}" for e in prog.nexts[q])
    return out


def dump_plan(rules: RuleSet) -> str:
    """The strata and every rule's program and prefilter keys."""
    compiled = rules.compiled
    out: list[str] = []
    for i, stratum in enumerate(compiled.strata):
        out.append(f"stratum {i}: {', '.join(stratum.labels)}")
    for rule in compiled.rules:
        out.append(f"# {rule.qualified_name} -> {rule.label}")
        if rule.first is not None:
            out.append("  first keys: " + ", ".join(f"{k}:{v}" for k, v in sorted(rule.first)))
        if rule.fixed:
            out.append(f"  fixed length {rule.fixed}: matched without the VM")
        elif rule.ends is not None:
            out.append("  plain: its matches come from a DFA")
        out.extend(dump_program(rule.program))
    return "\n".join(out)


def dump(rules: RuleSet, stage: str) -> str:
    """One stage as text (see STAGES)."""
    return {"ast": dump_ast, "ir": dump_ir, "plan": dump_plan}[stage](rules)
