"""Check a loaded rule set: resolve every name, type every field, gather all problems at once.

The checker never stops at the first problem: it walks every file and collects
diagnostics, then raises one RuleCheckError holding all of them, so an author fixes a
file in one pass. What it returns is the checked rule set the compiler trusts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

import attrs

from evx import ast
from evx.errors import Diagnostic, RuleCheckError, SourcePos
from evx.loader import Loaded
from evx.normalize import NORMALIZERS
from evx.parser import source_line
from evx.schema import INT, STR, FieldType, Schema

BASE_ATTRS = ("text", "lower", "lemma", "shape")
OPTIONAL_ATTRS = ("pos", "tag", "ent", "dep")
FLAGS = ("punct", "num", "digit", "alpha", "title", "upper")
WINDOWS = ("before", "after", "near", "clause", "sentence", "inside")
TEXT_FUNCS = ("text", "lower")
LIST_FUNCS = ("collect", "find", "join")
OVERLAPS = ("longest", "all")
MAX_REPEAT = 500
MAX_STATES = 2_000  # bounded repeats are expanded: nested ones multiply


@attrs.frozen
class CheckedRule:
    """A rule that passed checking, with what the compiler needs to know about it."""

    rule: ast.RuleDef
    file: str
    order: int
    capture_types: tuple[tuple[str, FieldType], ...]

    @property
    def qualified_name(self) -> str:
        """`file:rule`, the name records carry as their provenance."""
        return f"{self.file}:{self.rule.name}"

    def capture_type(self, name: str) -> FieldType | None:
        for cap, typ in self.capture_types:
            if cap == name:
                return typ
        return None


@attrs.frozen
class CheckedRuleSet:
    """A consistent rule set: every name resolves, every field is typed, labels are ordered."""

    lexicons: dict[str, ast.Lexicon]
    enums: dict[str, tuple[str, ...]]
    schemas: dict[str, Schema]
    rules: tuple[CheckedRule, ...]
    classifiers: dict[str, ast.ClassifyDef]
    label_order: tuple[str, ...]
    sources: dict[str, str]  # display path -> source text


def check(loaded: Loaded) -> CheckedRuleSet:
    """Check everything that was loaded; raise RuleCheckError with all problems found."""
    return _Checker(loaded).run()


def _suggest(name: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(options), n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"


def expanded_size(pattern: ast.Pattern) -> int:
    """How many token-consuming states the pattern compiles to (repeats expanded)."""
    if isinstance(pattern, ast.Literal):
        return max(1, len(pattern.text.split()))
    if isinstance(pattern, ast.Seq):
        return sum(expanded_size(i) for i in pattern.items)
    if isinstance(pattern, ast.Alt):
        return sum(expanded_size(o) for o in pattern.options)
    if isinstance(pattern, ast.Repeat):
        copies = pattern.max if pattern.max is not None else max(pattern.min, 1)
        return expanded_size(pattern.body) * max(copies, 1)
    if isinstance(pattern, ast.Capture | ast.Look):
        return expanded_size(pattern.body)
    return 0 if isinstance(pattern, ast.Anchor) else 1


def nullable(pattern: ast.Pattern) -> bool:
    """Whether the pattern can match without consuming a token."""
    if isinstance(pattern, ast.Seq):
        return all(nullable(i) for i in pattern.items)
    if isinstance(pattern, ast.Alt):
        return any(nullable(o) for o in pattern.options)
    if isinstance(pattern, ast.Repeat):
        return pattern.min == 0 or nullable(pattern.body)
    if isinstance(pattern, ast.Capture):
        return nullable(pattern.body)
    return isinstance(pattern, ast.Look | ast.Anchor)


def unwrap_optional(pattern: ast.Pattern) -> ast.Pattern:
    """`X?`, `(X)` and `name:X` look through to X: they have the same kind of value."""
    while True:
        if isinstance(pattern, ast.Repeat) and pattern.max == 1:
            pattern = pattern.body
        elif isinstance(pattern, ast.Seq) and len(pattern.items) == 1:
            pattern = pattern.items[0]
        elif isinstance(pattern, ast.Capture):
            pattern = pattern.body
        else:
            return pattern


def value_sources(pattern: ast.Pattern) -> list[ast.Pattern]:
    """The alternatives a captured span can be: `(@Party | force_noun)` gives both; each is
    a mention or lexicon reference (whose value a capture takes) or any other pattern (text)."""
    inner = unwrap_optional(pattern)
    if isinstance(inner, ast.Alt):
        out: list[ast.Pattern] = []
        for option in inner.options:
            out.extend(value_sources(option))
        return out
    return [inner]


class _Checker:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.diags: list[Diagnostic] = list(loaded.diagnostics)
        self.sources = {f.display: f.tree.source for f in loaded.files}
        self.lexicons: dict[str, ast.Lexicon] = {}
        self.enums: dict[str, tuple[str, ...]] = {}
        self.events: dict[str, ast.EventDef] = {}
        self.classifiers: dict[str, ast.ClassifyDef] = {}
        self.rules: list[tuple[ast.RuleDef, str]] = []
        self.schemas: dict[str, Schema] = {}
        self.defined: dict[str, SourcePos] = {}

    # ---------------------------------------------------------------- reporting

    def error(
        self, code: str, message: str, pos: SourcePos | None, hint: str | None = None
    ) -> None:
        line = None
        if pos is not None and pos.file in self.sources:
            line = source_line(self.sources[pos.file], pos.line)
        self.diags.append(Diagnostic(code, message, pos, hint=hint, source_line=line))

    # ---------------------------------------------------------------- driver

    def run(self) -> CheckedRuleSet:
        self.collect()
        self.build_schemas()
        checked: list[CheckedRule] = []
        for order, (rule, file) in enumerate(self.rules):
            result = self.check_rule(rule, file, order)
            if result is not None:
                checked.append(result)
        for classifier in self.classifiers.values():
            self.check_classifier(classifier)
        label_order = self.order_labels()
        if self.diags:
            self.diags.sort(
                key=lambda d: (d.pos.file, d.pos.line, d.pos.column) if d.pos else ("", 0, 0)
            )
            raise RuleCheckError(self.diags)
        return CheckedRuleSet(
            lexicons=self.lexicons,
            enums=self.enums,
            schemas=self.schemas,
            rules=tuple(checked),
            classifiers=self.classifiers,
            label_order=label_order,
            sources=self.sources,
        )

    # ---------------------------------------------------------------- definitions

    def define(self, kind: str, name: str, pos: SourcePos) -> bool:
        key = f"{kind}:{name}" if kind in ("lexicon", "classify") else f"label:{name}"
        if kind in ("rule",):
            key = f"rule:{name}"
        previous = self.defined.get(key)
        if previous is not None:
            self.error(
                "E101",
                f"{kind} `{name}` is already defined at {previous}",
                pos,
                hint="names of rules, lexicons, events, mentions and enums must be unique "
                "across the files loaded together",
            )
            return False
        self.defined[key] = pos
        return True

    def collect(self) -> None:
        for loaded in self.loaded.files:
            for stmt in loaded.tree.statements:
                if isinstance(stmt, ast.Lexicon):
                    if self.define("lexicon", stmt.name, stmt.pos):
                        self.lexicons[stmt.name] = stmt
                elif isinstance(stmt, ast.EnumDef):
                    if self.define("enum", stmt.name, stmt.pos):
                        self.enums[stmt.name] = stmt.members
                elif isinstance(stmt, ast.EventDef):
                    if self.define("event", stmt.name, stmt.pos):
                        self.events[stmt.name] = stmt
                elif isinstance(stmt, ast.ClassifyDef):
                    if self.define("classify", stmt.name, stmt.pos):
                        self.classifiers[stmt.name] = stmt
                elif isinstance(stmt, ast.RuleDef):
                    kind = "mention" if stmt.is_mention else "rule"
                    if self.define(kind, stmt.name, stmt.pos):
                        self.rules.append((stmt, loaded.display))
        for name in self.classifiers:
            if name in NORMALIZERS or name in WINDOWS or name in TEXT_FUNCS or name in LIST_FUNCS:
                self.error(
                    "E101",
                    f"classifier `{name}` has the name of a built-in function",
                    self.classifiers[name].pos,
                    hint="built-ins: "
                    + ", ".join([*NORMALIZERS, *WINDOWS, *TEXT_FUNCS, *LIST_FUNCS]),
                )

    def resolve_type(self, texpr: ast.TypeExpr) -> FieldType | None:
        if texpr.name in ("int", "str", "bool"):
            return FieldType(texpr.name, optional=texpr.optional)
        if texpr.name == "enum":
            return FieldType("enum", optional=texpr.optional, members=texpr.members)
        if texpr.name == "list":
            if texpr.arg is None:
                self.error("E105", "`list` needs an element type", texpr.pos, "write `list[str]`")
                return None
            elem = self.resolve_type(texpr.arg)
            if elem is None:
                return None
            return FieldType("list", members=(), elem=elem)
        if texpr.name in self.enums:
            return FieldType(
                "enum",
                optional=texpr.optional,
                members=self.enums[texpr.name],
                enum_name=texpr.name,
            )
        options = ["int", "str", "bool", "list", *self.enums]
        self.error(
            "E105",
            f"unknown type `{texpr.name}`",
            texpr.pos,
            hint=_suggest(texpr.name, options)
            or "types are int, str, bool, list[T], enum { ... } or a declared enum",
        )
        return None

    def overlap_policy(self, written: str | None, pos: SourcePos) -> str:
        """The overlap policy as written (default `longest`), reported when unknown."""
        overlap = written or "longest"
        if overlap not in OVERLAPS:
            self.error(
                "E303",
                f"unknown overlap policy `{overlap}`",
                pos,
                hint="policies: " + ", ".join(OVERLAPS),
            )
        return overlap

    def build_schemas(self) -> None:
        for event in self.events.values():
            fields: list[tuple[str, FieldType]] = []
            seen: set[str] = set()
            for field in event.fields:
                if field.name in seen:
                    self.error("E110", f"field `{field.name}` is declared twice", field.pos)
                    continue
                seen.add(field.name)
                ftype = self.resolve_type(field.type)
                if ftype is not None:
                    fields.append((field.name, ftype))
            overlap = self.overlap_policy(event.overlap, event.overlap_pos or event.pos)
            if event.merge is not None and event.merge not in seen:
                self.error(
                    "E207",
                    f"`merge: {event.merge}` names no field of {event.name}",
                    event.merge_pos or event.pos,
                    hint=_suggest(event.merge, seen),
                )
            self.schemas[event.name] = Schema(
                event.name, True, tuple(fields), event.pos, overlap=overlap, merge=event.merge
            )
        for rule, _file in self.rules:
            if not rule.is_mention:
                continue
            vtype = STR
            if rule.value_type is not None:
                resolved = self.resolve_type(rule.value_type)
                if resolved is not None:
                    vtype = resolved
            overlap = self.overlap_policy(rule.overlap, rule.overlap_pos or rule.pos)
            self.schemas[rule.name] = Schema(
                rule.name, False, (("value", vtype),), rule.pos, overlap=overlap
            )

    # ---------------------------------------------------------------- rules

    def check_rule(self, rule: ast.RuleDef, file: str, order: int) -> CheckedRule | None:
        schema = self.schemas.get(rule.target)
        if schema is None:
            options = [n for n, s in self.schemas.items() if s.is_event]
            self.error(
                "E104",
                f"rule `{rule.name}` produces unknown event type `{rule.target}`",
                rule.target_pos or rule.pos,
                hint=_suggest(rule.target, options) or "declare it with `event Name { ... }`",
            )
            return None
        if not rule.is_mention and not schema.is_event:
            self.error(
                "E104",
                f"`{rule.target}` is a mention; rules produce events",
                rule.target_pos or rule.pos,
                hint=f"add alternatives to `mention {rule.target}` itself",
            )
            return None
        if rule.match is None:
            self.error(
                "E309",
                f"rule `{rule.name}` has no `match:` clause",
                rule.pos,
                hint='add `match: "..." [...]` with the pattern it looks for',
            )
            return None
        self.check_clause_kinds(rule)
        self.check_pattern(rule.match)
        if nullable(rule.match):
            self.error(
                "E304",
                f"the pattern of `{rule.name}` can match without any token",
                rule.match.pos,
                hint="make at least one part required; `?`, `*` and lookarounds alone match "
                "nothing",
            )
        captures = self.capture_types(rule.match)
        capture_names = {name for name, _ in captures}
        used = self.check_sets(rule, schema, dict(captures))
        used |= self.check_resolves(rule, capture_names)
        if rule.where is not None:
            used |= self.check_cond(rule.where, dict(captures))
        if rule.is_mention:
            used |= self.check_mention_value(rule, schema, dict(captures))
        else:
            for name, ctype in captures:
                field = schema.field(name)
                if field is None:
                    if name not in used:
                        self.error(
                            "E201",
                            f"capture `{name}` is not a field of {schema.name} and is not used",
                            self.capture_pos(rule.match, name),
                            hint=_suggest(name, schema.field_names)
                            or f"fields of {schema.name}: " + ", ".join(schema.field_names),
                        )
                    continue
                self.check_capture_fits(name, ctype, field, rule)
            self.check_required(rule, schema, capture_names)
        self.check_examples(rule, schema)
        return CheckedRule(rule, file, order, captures)

    def check_clause_kinds(self, rule: ast.RuleDef) -> None:
        if rule.is_mention:
            if rule.sets:
                self.error(
                    "E206",
                    "a mention computes one `value:`; `set:` is for event rules",
                    rule.sets[0].pos,
                    hint="write `value: number(match)` or similar",
                )
            if rule.resolves:
                self.error("E206", "`resolve:` is for event rules", rule.resolves[0].pos)
        else:
            if rule.value is not None:
                self.error(
                    "E206",
                    "`value:` is for mentions; event rules fill fields with captures and `set:`",
                    rule.pos,
                    hint="write `set: field = expression`",
                )
            if rule.overlap is not None:
                self.error(
                    "E206",
                    "overlaps are resolved per event type, not per rule",
                    rule.overlap_pos or rule.pos,
                    hint=f"declare `overlap: {rule.overlap}` in `event {rule.target} {{ ... }}`",
                )

    def capture_pos(self, pattern: ast.Pattern, name: str) -> SourcePos:
        for node in ast.walk_pattern(pattern):
            if isinstance(node, ast.Capture) and node.name == name:
                return node.pos
        return pattern.pos

    def capture_types(self, pattern: ast.Pattern) -> tuple[tuple[str, FieldType], ...]:
        found: dict[str, FieldType] = {}
        for node in ast.walk_pattern(pattern):
            if not isinstance(node, ast.Capture):
                continue
            ctype = self.value_type_of(node.body)
            previous = found.get(node.name)
            if previous is not None and previous.kind != ctype.kind:
                ctype = STR
            found[node.name] = ctype
        return tuple(found.items())

    def value_type_of(self, pattern: ast.Pattern) -> FieldType:
        """A capture's value type: its mentions' value type when every alternative is a
        valued mention of one type, else text (str)."""
        found: FieldType | None = None
        for source in value_sources(pattern):
            if not isinstance(source, ast.MentionRef):
                return STR
            schema = self.schemas.get(source.name)
            value = schema.field("value") if schema is not None and not schema.is_event else None
            if value is None:
                return STR
            value = attrs.evolve(value, optional=False)
            if found is not None and found != value:
                return STR
            found = value
        return found or STR

    def check_capture_fits(
        self, name: str, ctype: FieldType, field: FieldType, rule: ast.RuleDef
    ) -> None:
        assert rule.match is not None
        target = field.elem if field.kind == "list" and field.elem is not None else field
        if self.fits(ctype, target):
            return
        if target.kind == "enum" and ctype.kind == "str":
            inner = self.capture_body(rule.match, name)
            values = self.canonical_values(inner) if inner is not None else None
            if values is not None:
                bad = sorted(v for v in values if v not in target.members)
                if not bad:
                    return
                self.error(
                    "E202",
                    f"capture `{name}` can give {', '.join(bad)}, not members of "
                    f"{target.describe()}",
                    self.capture_pos(rule.match, name),
                    hint="members: " + ", ".join(target.members),
                )
                return
        hint = None
        if target.kind == "int":
            hint = (
                f"capture a valued mention (e.g. `{name}:@Quantity`) or rename the capture and "
                f"`set: {name} = number(...)`"
            )
        elif target.kind == "enum":
            hint = (
                f"use a lexicon whose entries map to members (`word -> member`), or `set: {name}`"
            )
        self.error(
            "E202",
            f"capture `{name}` gives {ctype.describe()} but field `{name}` is {field.describe()}",
            self.capture_pos(rule.match, name),
            hint=hint,
        )

    def capture_body(self, pattern: ast.Pattern, name: str) -> ast.Pattern | None:
        for node in ast.walk_pattern(pattern):
            if isinstance(node, ast.Capture) and node.name == name:
                return unwrap_optional(node.body)
        return None

    def canonical_values(self, pattern: ast.Pattern) -> set[str] | None:
        """Values a lexicon capture can take, when every entry has a canonical value."""
        if isinstance(pattern, ast.LexiconRef):
            lexicon = self.lexicons.get(pattern.name)
            entries: tuple[ast.LexEntry, ...] = lexicon.entries if lexicon else ()
        elif isinstance(pattern, ast.InlineLexicon):
            entries = pattern.entries
        else:
            return None
        if not entries or any(e.value is None for e in entries):
            return None
        return {e.value for e in entries if e.value is not None}

    @staticmethod
    def fits(source: FieldType, target: FieldType) -> bool:
        if target.kind == source.kind == "enum":
            return set(source.members) <= set(target.members)
        if target.kind == "str":
            return source.kind in ("str", "int", "enum")
        return source.kind == target.kind

    def check_required(self, rule: ast.RuleDef, schema: Schema, captures: set[str]) -> None:
        filled = captures | {a.field for a in rule.sets}
        missing = [
            name
            for name, ftype in schema.fields
            if not ftype.optional and ftype.kind != "list" and name not in filled
        ]
        if missing:
            self.error(
                "E204",
                f"rule `{rule.name}` never fills required field"
                f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} of {schema.name}",
                rule.pos,
                hint="capture it (`name:...`), `set:` it, or declare the field optional (`?`)",
            )

    # ---------------------------------------------------------------- patterns

    def check_pattern(self, pattern: ast.Pattern) -> None:
        size = expanded_size(pattern)
        if size > MAX_STATES:
            self.error(
                "E307",
                f"the pattern expands to {size:,} token states (limit {MAX_STATES:,})",
                pattern.pos,
                hint="nested bounded repeats multiply; use `*` or `+` for long gaps",
            )
            return
        for node in ast.walk_pattern(pattern):
            if isinstance(node, ast.MentionRef):
                if node.name not in self.schemas:
                    self.error(
                        "E102",
                        f"unknown label `@{node.name}`",
                        node.pos,
                        hint=_suggest(node.name, self.schemas)
                        or "declare it with `mention` or `event`",
                    )
            elif isinstance(node, ast.LexiconRef):
                self.known_lexicon(node.name, node.pos)
            elif isinstance(node, ast.InlineLexicon):
                self.check_entries(node.entries)
            elif isinstance(node, ast.TokenPat) and node.test is not None:
                self.check_test(node.test)
            elif isinstance(node, ast.Repeat):
                bound = node.max if node.max is not None else node.min
                if bound > MAX_REPEAT:
                    self.error(
                        "E307",
                        f"repeat bound {bound} is above the limit of {MAX_REPEAT}",
                        node.pos,
                        hint="use `*` or `+` for an unbounded repeat",
                    )
            elif isinstance(node, ast.Look):
                for inner in ast.walk_pattern(node.body):
                    if isinstance(inner, ast.Capture):
                        self.error(
                            "E305",
                            f"capture `{inner.name}` inside a lookaround never gives a value",
                            inner.pos,
                            hint="lookarounds test context without consuming it; move the "
                            "capture outside",
                        )

    def check_entries(self, entries: Iterable[ast.LexEntry]) -> None:
        for entry in entries:
            if not entry.words:
                self.error("E018", "empty lexicon entry", entry.pos)

    def known_lexicon(self, name: str, pos: SourcePos) -> ast.Lexicon | None:
        lexicon = self.lexicons.get(name)
        if lexicon is None:
            hint = _suggest(name, self.lexicons)
            if hint is None and name in self.schemas:
                hint = f"`{name}` is a label: write `@{name}`"
            self.error(
                "E103",
                f"unknown lexicon `{name}`",
                pos,
                hint=hint or "declare it with `lexicon name = { ... }`; quote literal words",
            )
        return lexicon

    def check_test(self, test: ast.TokenTest) -> None:
        for node in ast.walk_tests(test):
            if isinstance(node, ast.TokEq | ast.TokRegex | ast.TokIn):
                self.check_attr(node.attr, node.pos)
            if isinstance(node, ast.TokRegex):
                try:
                    re.compile(node.pattern, regex_flags(node.flags))
                except re.error as exc:
                    self.error(
                        "E302",
                        f"invalid regular expression /{node.pattern}/: {exc.msg}",
                        node.pos,
                        hint="token regexes use Python `re` syntax and are searched "
                        "(anchor with ^ and $)",
                    )
            elif isinstance(node, ast.TokIn):
                entries = node.entries
                if node.lexicon is not None:
                    lexicon = self.known_lexicon(node.lexicon, node.pos)
                    entries = lexicon.entries if lexicon else ()
                multi = [
                    " ".join(w.text for w in e.words) for e in entries if _entry_is_multiword(e)
                ]
                if multi:
                    shown = ", ".join(f'"{m}"' for m in multi[:3])
                    self.error(
                        "E306",
                        f"a token test matches one token, but the lexicon has phrases ({shown})",
                        node.pos,
                        hint=f"use the lexicon as a pattern element instead: `{node.lexicon}`"
                        if node.lexicon
                        else "use `{...}` as a pattern element instead of inside `[...]`",
                    )
            elif isinstance(node, ast.TokFlag) and node.name not in FLAGS:
                hint = _suggest(node.name, FLAGS)
                if node.name in BASE_ATTRS or node.name in OPTIONAL_ATTRS:
                    hint = f"`{node.name}` is an attribute: write `[{node.name}=...]`"
                self.error(
                    "E301",
                    f"unknown token flag `{node.name}`",
                    node.pos,
                    hint=hint or "flags: " + ", ".join(FLAGS),
                )

    def check_attr(self, attr: str, pos: SourcePos) -> None:
        if attr in BASE_ATTRS or attr in OPTIONAL_ATTRS:
            return
        self.error(
            "E301",
            f"unknown token attribute `{attr}`",
            pos,
            hint=_suggest(attr, [*BASE_ATTRS, *OPTIONAL_ATTRS])
            or "attributes: " + ", ".join([*BASE_ATTRS, *OPTIONAL_ATTRS]),
        )

    # ---------------------------------------------------------------- expressions

    def check_sets(
        self, rule: ast.RuleDef, schema: Schema, captures: dict[str, FieldType]
    ) -> set[str]:
        used: set[str] = set()
        for assignment in rule.sets:
            field = schema.field(assignment.field)
            if field is None:
                self.error(
                    "E203",
                    f"{schema.name} has no field `{assignment.field}`",
                    assignment.pos,
                    hint=_suggest(assignment.field, schema.field_names)
                    or "fields: " + ", ".join(schema.field_names),
                )
            if field is None:
                # names may be members of an enum we cannot know: report the field only
                used |= {
                    e.name
                    for e in ast.walk_expr(assignment.expr)
                    if isinstance(e, ast.Ref) and e.name in captures
                }
            else:
                used |= self.check_expr(assignment.expr, captures, field)
            if assignment.cond is not None:
                used |= self.check_cond(assignment.cond, captures)
        return used

    def check_mention_value(
        self, rule: ast.RuleDef, schema: Schema, captures: dict[str, FieldType]
    ) -> set[str]:
        if rule.value is None:
            declared = schema.field("value")
            assert rule.match is not None
            implicit = self.value_type_of(rule.match)
            if declared is not None and not self.fits(implicit, declared):
                self.error(
                    "E202",
                    f"mention `{rule.name}` is declared {declared.describe()} but its text is "
                    f"{implicit.describe()}",
                    rule.pos,
                    hint="compute the value: `value: number(match)` (or duration, ordinal, date)",
                )
            return set()
        return self.check_expr(rule.value, captures, schema.field("value"))

    def check_resolves(self, rule: ast.RuleDef, captures: set[str]) -> set[str]:
        used: set[str] = set()
        for resolve in rule.resolves:
            if resolve.capture not in captures:
                self.error(
                    "E207",
                    f"`resolve: {resolve.capture}` names no capture of rule `{rule.name}`",
                    resolve.pos,
                    hint=_suggest(resolve.capture, captures),
                )
            used.add(resolve.capture)
            if resolve.label not in self.schemas:
                self.error(
                    "E102",
                    f"unknown label `@{resolve.label}`",
                    resolve.pos,
                    hint=_suggest(resolve.label, self.schemas),
                )
        return used

    def expr_type(self, expr: ast.Expr, captures: dict[str, FieldType]) -> FieldType | None:
        """The static type of an expression; None when unknown (already reported)."""
        if isinstance(expr, ast.Lit):
            value = expr.value
            if value is None:
                return FieldType("str", optional=True)
            if isinstance(value, bool):
                return FieldType("bool")
            if isinstance(value, int):
                return INT
            if isinstance(value, str):
                return STR
            return FieldType("list", elem=STR)
        if isinstance(expr, ast.Ref):
            if expr.name in captures:
                return captures[expr.name]
            if expr.name == "match":
                return STR
            return None
        if isinstance(expr, ast.LabelArg):
            return None
        if expr.func in NORMALIZERS:
            return FieldType(NORMALIZERS[expr.func].result_type, optional=True)
        if expr.func in TEXT_FUNCS or expr.func == "join":
            return STR
        if expr.func in ("collect", "find"):
            label = expr.args[0] if expr.args else None
            schema = self.schemas.get(label.name) if isinstance(label, ast.LabelArg) else None
            value = schema.field("value") if schema is not None and not schema.is_event else None
            elem = attrs.evolve(value, optional=False) if value is not None else STR
            if expr.func == "find":
                return attrs.evolve(elem, optional=True)
            return FieldType("list", elem=elem)
        classifier = self.classifiers.get(expr.func)
        if classifier is not None:
            members = self.enums.get(classifier.result_type, ())
            return FieldType("enum", members=members, enum_name=classifier.result_type)
        return None

    def check_expr(
        self, expr: ast.Expr, captures: dict[str, FieldType], target: FieldType | None
    ) -> set[str]:
        """Check names, calls and the fit to `target`; return the captures it reads."""
        used: set[str] = set()
        if isinstance(expr, ast.Ref):
            if expr.name in captures:
                used.add(expr.name)
            elif expr.name == "match":
                pass
            elif target is not None and target.kind == "enum":
                if expr.name not in target.members:
                    self.error(
                        "E202",
                        f"`{expr.name}` is not a member of {target.describe()}",
                        expr.pos,
                        hint=_suggest(expr.name, target.members)
                        or "members: " + ", ".join(target.members),
                    )
                return used
            else:
                self.error(
                    "E107",
                    f"unknown name `{expr.name}`: not a capture of this rule",
                    expr.pos,
                    hint=_suggest(expr.name, captures) or "quote it to use it as a string",
                )
                return used
        elif isinstance(expr, ast.Call):
            used |= self.check_call(expr, captures, window_ok=False)
        elif isinstance(expr, ast.LabelArg):
            self.error(
                "E111",
                f"`@{expr.name}` on its own has no value",
                expr.pos,
                hint=f"collect the spans of a label in a window: `collect(@{expr.name}, "
                "sentence(match))`",
            )
            return used
        if target is not None:
            etype = self.expr_type(expr, captures)
            if etype is not None:
                self.check_fits_expr(expr, etype, target)
        return used

    def check_fits_expr(self, expr: ast.Expr, etype: FieldType, target: FieldType) -> None:
        if isinstance(expr, ast.Lit):
            if expr.value is None:
                if not target.optional and target.kind != "list":
                    self.error(
                        "E202",
                        f"null given to a required field of type {target.describe()}",
                        expr.pos,
                    )
                return
            if target.kind == "enum" and isinstance(expr.value, str):
                if expr.value not in target.members:
                    self.error(
                        "E202",
                        f'"{expr.value}" is not a member of {target.describe()}',
                        expr.pos,
                    )
                return
            if target.kind == "list" and isinstance(expr.value, tuple):
                return
        wanted = target.elem if target.kind == "list" and target.elem is not None else target
        if not self.fits(etype, wanted) and not self.fits(etype, target):
            self.error(
                "E202",
                f"expression gives {etype.describe()} but the field is {target.describe()}",
                expr.pos,
            )

    def check_call(
        self, call: ast.Call, captures: dict[str, FieldType], window_ok: bool
    ) -> set[str]:
        used: set[str] = set()
        known = [
            *NORMALIZERS,
            *TEXT_FUNCS,
            *LIST_FUNCS,
            *self.classifiers,
            *(WINDOWS if window_ok else ()),
        ]
        if call.func == "join":
            for arg in call.args:
                used |= self.check_expr(arg, captures, None)
            if not call.args:
                self.error("E111", "`join` takes one or more values", call.pos)
            return used
        if call.func in ("collect", "find"):
            label, window = (*call.args, None, None)[:2]
            if (
                len(call.args) != 2
                or not isinstance(label, ast.LabelArg)
                or not isinstance(window, ast.Call)
                or window.func not in WINDOWS
            ):
                self.error(
                    "E111",
                    f"`{call.func}` takes a label and a window",
                    call.pos,
                    hint=f"write `{call.func}(@Party, sentence(match))`",
                )
                return used
            if label.name not in self.schemas:
                self.error(
                    "E102",
                    f"unknown label `@{label.name}`",
                    label.pos,
                    hint=_suggest(label.name, self.schemas),
                )
            return self.check_call(window, captures, window_ok=True)
        if call.func in WINDOWS:
            if not window_ok:
                self.error(
                    "E106",
                    f"`{call.func}(...)` is a window: use it in a condition, "
                    f"`if {call.func}(...) has ...`",
                    call.pos,
                )
                return used
            want = 2 if call.func in ("before", "after", "near") else 1
            ok = len(call.args) == want and isinstance(call.args[0], ast.Ref)
            if ok and want == 2:
                size = call.args[1]
                ok = isinstance(size, ast.Lit) and isinstance(size.value, int) and size.value > 0
            if not ok:
                shape = f"{call.func}(capture, N)" if want == 2 else f"{call.func}(capture)"
                takes = "a capture and a token count" if want == 2 else "a capture"
                self.error(
                    "E111",
                    f"`{call.func}` takes {takes}",
                    call.pos,
                    hint=f"write `{shape}`; `match` stands for the whole match",
                )
                return used
        elif call.func in NORMALIZERS or call.func in TEXT_FUNCS or call.func in self.classifiers:
            if len(call.args) != 1 or not isinstance(call.args[0], ast.Ref):
                self.error(
                    "E111",
                    f"`{call.func}` takes one capture",
                    call.pos,
                    hint=f"write `{call.func}(name)` with a capture name, or `match`",
                )
                return used
        else:
            self.error(
                "E106",
                f"unknown function `{call.func}`",
                call.pos,
                hint=_suggest(call.func, known) or "functions: " + ", ".join(known),
            )
            # the captures it was given are still used: one mistake, one message
            return {a.name for a in call.args if isinstance(a, ast.Ref) and a.name in captures}
        ref = call.args[0]
        assert isinstance(ref, ast.Ref)
        if ref.name in captures:
            used.add(ref.name)
        elif ref.name != "match":
            self.error(
                "E107",
                f"unknown capture `{ref.name}`",
                ref.pos,
                hint=_suggest(ref.name, [*captures, "match"]) or "`match` is the whole match",
            )
        return used

    def check_cond(self, cond: ast.Cond, captures: dict[str, FieldType]) -> set[str]:
        used: set[str] = set()
        for node in ast.walk_cond(cond):
            if isinstance(node, ast.CondHas):
                window = node.window
                if isinstance(window, ast.Call) and window.func in WINDOWS:
                    used |= self.check_call(window, captures, window_ok=True)
                else:
                    self.error(
                        "E106",
                        "`has` needs a window on its left",
                        node.pos,
                        hint="windows: " + ", ".join(f"{w}(...)" for w in WINDOWS),
                    )
                self.check_pattern(node.pattern)
                if nullable(node.pattern):
                    self.error(
                        "E304",
                        "the pattern after `has` can match without any token",
                        node.pattern.pos,
                    )
            elif isinstance(node, ast.CondPresent):
                used |= self.check_expr(node.expr, captures, None)
        return used

    # ---------------------------------------------------------------- classifiers

    def check_classifier(self, classifier: ast.ClassifyDef) -> None:
        members = self.enums.get(classifier.result_type)
        if members is None:
            self.error(
                "E105",
                f"classifier `{classifier.name}` returns unknown enum `{classifier.result_type}`",
                classifier.pos,
                hint=_suggest(classifier.result_type, self.enums)
                or "declare it with `enum Name { ... }`",
            )
            members = ()
        captures = {classifier.param: STR}
        for case in classifier.cases:
            if members and case.result not in members:
                self.error(
                    "E109",
                    f"`{case.result}` is not a member of {classifier.result_type}",
                    case.pos,
                    hint=_suggest(case.result, members) or "members: " + ", ".join(members),
                )
            self.check_cond(case.cond, captures)
        if members and classifier.otherwise not in members:
            self.error(
                "E109",
                f"`{classifier.otherwise}` is not a member of {classifier.result_type}",
                classifier.otherwise_pos or classifier.pos,
                hint=_suggest(classifier.otherwise, members),
            )

    # ---------------------------------------------------------------- examples

    def check_examples(self, rule: ast.RuleDef, schema: Schema) -> None:
        for example in rule.examples:
            for name, value, pos in example.expect:
                field = schema.field(name)
                if field is None:
                    self.error(
                        "E205",
                        f"example expects `{name}`, which {schema.name} does not have",
                        pos,
                        hint=_suggest(name, schema.field_names)
                        or "fields: " + ", ".join(schema.field_names),
                    )
                    continue
                if isinstance(value, ast.Ref):
                    if field.kind != "enum" or value.name not in field.members:
                        self.error(
                            "E205",
                            f"example gives `{value.name}` for `{name}` ({field.describe()})",
                            pos,
                            hint="quote text values; enum members are bare names",
                        )
                    continue
                literal = value.value
                if isinstance(literal, tuple):
                    literal = list(literal)
                if not field.accepts(literal) and not (literal is None and field.kind != "list"):
                    self.error(
                        "E205",
                        f"example gives {value.value!r} for `{name}`, which is {field.describe()}",
                        pos,
                    )

    # ---------------------------------------------------------------- label order

    def order_labels(self) -> tuple[str, ...]:
        """Labels in an order where every label comes after the labels its rules use."""
        deps: dict[str, set[str]] = {name: set() for name in self.schemas}
        where: dict[tuple[str, str], SourcePos] = {}
        for rule, _file in self.rules:
            if rule.target not in deps:
                continue
            for label, pos in self.rule_labels(rule):
                if label in self.schemas:
                    deps[rule.target].add(label)
                    where.setdefault((rule.target, label), pos)
        order: list[str] = []
        state: dict[str, int] = {}
        for start in sorted(deps):
            if state.get(start):
                continue
            stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(deps[start])))]
            state[start] = 1
            while stack:
                label, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[label] = 2
                    order.append(label)
                    stack.pop()
                    continue
                if state.get(child) == 1:
                    cycle = [name for name, _ in stack]
                    cycle = [*cycle[cycle.index(child) :], child]
                    self.error(
                        "E108",
                        "labels use each other in a cycle: " + " -> ".join(f"@{c}" for c in cycle),
                        where.get((label, child)),
                        hint="a label cannot be needed to find itself; split one of the rules",
                    )
                    continue
                if not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(sorted(deps[child]))))
        return tuple(order)

    def rule_labels(self, rule: ast.RuleDef) -> Iterator[tuple[str, SourcePos]]:
        patterns: list[ast.Pattern] = [rule.match] if rule.match is not None else []
        conds: list[ast.Cond] = [rule.where] if rule.where is not None else []
        exprs: list[ast.Expr] = [rule.value] if rule.value is not None else []
        exprs.extend(a.expr for a in rule.sets)
        conds.extend(a.cond for a in rule.sets if a.cond is not None)
        seen: set[str] = set()
        while conds or exprs:
            for expr in exprs:
                for node in ast.walk_expr(expr):
                    if isinstance(node, ast.LabelArg):
                        yield node.name, node.pos
                    classifier = (
                        self.classifiers.get(node.func) if isinstance(node, ast.Call) else None
                    )
                    if classifier is not None and classifier.name not in seen:
                        seen.add(classifier.name)
                        conds.extend(case.cond for case in classifier.cases)
            exprs = []
            for cond in conds:
                for cnode in ast.walk_cond(cond):
                    if isinstance(cnode, ast.CondHas):
                        patterns.append(cnode.pattern)
                    elif isinstance(cnode, ast.CondPresent):
                        exprs.append(cnode.expr)
            conds = []
        for pattern in patterns:
            for pnode in ast.walk_pattern(pattern):
                if isinstance(pnode, ast.MentionRef):
                    yield pnode.name, pnode.pos
        for resolve in rule.resolves:
            yield resolve.label, resolve.pos


def _entry_is_multiword(entry: ast.LexEntry) -> bool:
    from evx.tokenizer import tokenize

    if len(entry.words) > 1:
        return True
    word = entry.words[0]
    return word.exact and len(tokenize(word.text)) > 1


def regex_flags(flags: str) -> int:
    """Python `re` flags for the letters after a /regex/."""
    value = 0
    for ch in flags:
        value |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}.get(ch, 0)
    return value
