"""Compile a checked rule set into the rules the matcher runs and the index that picks them.

Each rule gets its program (:mod:`evx.match.patterns`), its prefilter keys
(:mod:`evx.match.prefilter`), how its captures turn into values, and a plan per field
whose `set:` expressions are closures (:mod:`evx.match.expressions`). The rules are
grouped by label in the checker's dependency order.
"""

from __future__ import annotations

import attrs

from evx.check.result import CheckedRule, CheckedRuleSet
from evx.check.schema import FieldType, Schema
from evx.lang import ast
from evx.lang.analysis import value_sources
from evx.match.automaton import Program, fixed_length
from evx.match.classes import TokenClasses
from evx.match.conditions import ConditionIndex
from evx.match.deps import PARSE_COLUMNS, CompiledPath, compile_path
from evx.match.ends import EndFinder, is_plain
from evx.match.expressions import Condition, Evaluator, ExprCompiler
from evx.match.lexicons import CompiledLexicon, LexiconTable
from evx.match.patterns import PatternCompiler
from evx.match.prefilter import Key, first_keys, required_keys
from evx.match.scan import Scanner
from evx.match.tokens import label_test, test_atom
from evx.text.attributes import FLAGS, LEMMAS, LOWER, STRING_ATTRIBUTES


@attrs.frozen(eq=False)
class FieldPlan:
    """How one field gets its value: its capture first, then the first `set:` that applies."""

    name: str
    type: FieldType
    capture: str | None
    assignments: tuple[tuple[Condition | None, Evaluator], ...]


@attrs.frozen(eq=False)
class CaptureValuer:
    """How a capture's spans turn into values: the value of a mention with exactly that span,
    else a lexicon entry's canonical value, else the text."""

    labels: tuple[str, ...] = ()
    lexicons: tuple[CompiledLexicon, ...] = ()


@attrs.frozen(eq=False)
class CompiledRule:
    """One rule ready to run: its program, its prefilter and how its record is filled."""

    checked: CheckedRule
    label: str
    program: Program
    required: frozenset[Key] | None
    first: frozenset[Key] | None
    valuers: dict[str, CaptureValuer]
    fields: tuple[FieldPlan, ...]
    value: Evaluator | None  # mentions: their value
    resolves: tuple[ast.Resolve, ...]
    where: Condition | None = None  # a match is kept only when this holds
    qualified_name: str = ""  # file:rule, computed once (records and counts use it a lot)
    fixed: int = 0  # > 0: every match is this many tokens with no choice to make (see _fixed)
    ends: EndFinder | None = None  # a plain rule's matches, found without the VM
    order: int = 0  # where the rule was written among all rules (ties go to the first)
    paths: tuple[CompiledPath, ...] = ()  # `path:` captures, added to each match

    @property
    def name(self) -> str:
        return self.checked.rule.name

    @property
    def captures(self) -> tuple[str, ...]:
        """The names of the rule's captures: its pattern's, then its paths'."""
        return (*self.program.captures, *(p.name for p in self.paths))


@attrs.frozen(eq=False)
class Stratum:
    """Labels that need no label of each other: their rules are scanned for together."""

    labels: tuple[str, ...]  # in the checker's label order
    rule_ids: tuple[int, ...]
    scanner: Scanner


@attrs.frozen(eq=False)
class CompiledRuleSet:
    """Everything the matcher needs: rules by stage and stratum, the token classes, the
    prefilter index and the schemas."""

    checked: CheckedRuleSet
    rules: tuple[CompiledRule, ...]
    stages: tuple[tuple[str, tuple[int, ...]], ...]  # (label, indexes of its rules)
    key_index: dict[Key, tuple[int, ...]]
    unkeyed: frozenset[int]
    schemas: dict[str, Schema]
    needed_attrs: dict[str, tuple[str, ...]]  # supplied attribute -> rules that use it
    attribute_types: dict[str, str] = attrs.Factory(dict)  # declared attribute -> its type
    externals: tuple[str, ...] = ()  # `external mention` labels some rule reads
    classes: TokenClasses = attrs.field(factory=TokenClasses)
    strata: tuple[Stratum, ...] = ()
    rule_names: tuple[str, ...] = ()  # qualified names, in rule order
    conditions: ConditionIndex | None = None  # where `has` patterns can match
    modes: tuple[str, ...] = ()  # each rule's match mode: its label's overlap policy
    read_labels: frozenset[str] = frozenset()  # labels some rule reads: they get tables


def compile_rules(checked: CheckedRuleSet) -> CompiledRuleSet:
    """Compile every checked rule and build the prefilter index."""
    lexicons = LexiconTable(
        {name: CompiledLexicon(name, lex.entries) for name, lex in checked.lexicons.items()}
    )
    patterns = PatternCompiler(lexicons, checked.sources)
    exprs = ExprCompiler(patterns, checked)
    classes = TokenClasses()
    rules: list[CompiledRule] = []
    for crule in checked.rules:
        rule = _compile_rule(crule, checked, patterns, exprs)
        if not rule.fixed and is_plain(rule.program):
            rule = attrs.evolve(rule, ends=EndFinder(rule.program, classes))
        rules.append(rule)
    by_label: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        by_label.setdefault(rule.label, []).append(i)
    stages = tuple(
        (label, tuple(by_label[label])) for label in checked.label_order if label in by_label
    )
    key_index: dict[Key, list[int]] = {}
    unkeyed: set[int] = set()
    for i, rule in enumerate(rules):
        if rule.required is None:
            unkeyed.add(i)
            continue
        for key in rule.required:
            key_index.setdefault(key, []).append(i)
    needed: dict[str, list[str]] = {}
    users: list[tuple[str, object]] = [(r.qualified_name, r.checked.rule) for r in rules]
    users += [(f"classify {name}", c) for name, c in checked.classifiers.items()]
    users += [(f"condition {name}", c) for name, c in checked.conditions.items()]
    for user, node in users:
        for attr in sorted(_attrs_used(node)):
            needed.setdefault(attr, []).append(user)
    for rule in rules:
        if rule.paths:
            for column in PARSE_COLUMNS:
                needed.setdefault(column, []).append(rule.qualified_name)
    classes.supplied = tuple(sorted(needed))
    read: frozenset[str] = frozenset().union(*checked.label_deps.values())
    return CompiledRuleSet(
        checked=checked,
        rules=tuple(rules),
        stages=stages,
        key_index={k: tuple(v) for k, v in key_index.items()},
        unkeyed=frozenset(unkeyed),
        schemas=checked.schemas,
        needed_attrs={k: tuple(v) for k, v in needed.items()},
        attribute_types=dict(checked.attributes),
        externals=tuple(sorted(n for n in read if checked.schemas[n].external)),
        classes=classes,
        strata=_strata(checked, stages, rules, classes),
        rule_names=tuple(rule.qualified_name for rule in rules),
        read_labels=read,
        conditions=ConditionIndex(list(exprs.programs.values()), classes),
        modes=tuple(checked.schemas[rule.label].overlap for rule in rules),
    )


def _strata(
    checked: CheckedRuleSet,
    stages: tuple[tuple[str, tuple[int, ...]], ...],
    rules: list[CompiledRule],
    classes: TokenClasses,
) -> tuple[Stratum, ...]:
    """Group the stages by depth: a label's depth is one more than the deepest label it
    reads, so every label a stratum reads was found by an earlier one."""
    depth: dict[str, int] = {}
    for label in checked.label_order:
        deps = checked.label_deps.get(label, frozenset())
        depth[label] = 1 + max((depth.get(d, 0) for d in deps), default=-1)
    grouped: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
    for label, rule_ids in stages:
        grouped.setdefault(depth[label], []).append((label, rule_ids))
    out: list[Stratum] = []
    for level in sorted(grouped):
        members = grouped[level]
        rule_ids = tuple(i for _, ids in members for i in ids)
        scanner = Scanner([(i, rules[i].program) for i in rule_ids], classes)
        out.append(Stratum(tuple(label for label, _ in members), rule_ids, scanner))
    return tuple(out)


def _attrs_used(node: object) -> set[str]:
    """The columns a rule, classifier or named condition tests that a document may lack:
    supplied attributes and declared flags, in its pattern and in the `has` patterns of its
    conditions."""
    used: set[str] = set()
    stack: list[object] = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.TokEq | ast.TokRegex | ast.TokIn):
            if node.attr not in STRING_ATTRIBUTES:
                used.add(node.attr)
        elif isinstance(node, ast.TokFlag):
            if node.name not in FLAGS:
                used.add(node.name)
        elif isinstance(node, list | tuple):
            stack.extend(node)
        elif attrs.has(type(node)) and not isinstance(node, ast.LexEntry | ast.Example):
            stack.extend(attrs.astuple(node, recurse=False))  # type: ignore[arg-type]
    return used


def _compile_rule(
    crule: CheckedRule,
    checked: CheckedRuleSet,
    patterns: PatternCompiler,
    exprs: ExprCompiler,
) -> CompiledRule:
    rule = crule.rule
    assert rule.match is not None
    schema = checked.schemas[rule.target]
    program = patterns.program(rule.match)
    required = required_keys(rule.match, patterns.lexicons)
    first = first_keys(rule.match, patterns.lexicons)
    valuers: dict[str, CaptureValuer] = {}

    def valuer(body: ast.Pattern) -> CaptureValuer:
        labels: list[str] = []
        lexicons: list[CompiledLexicon] = []
        for inner in value_sources(body):
            if isinstance(inner, ast.MentionRef) and not checked.schemas[inner.name].is_event:
                labels.append(inner.name)
            elif isinstance(inner, ast.LexiconRef | ast.InlineLexicon):
                lexicon = patterns.lexicons.of(inner)
                if lexicon.has_values:
                    lexicons.append(lexicon)
        return CaptureValuer(labels=tuple(labels), lexicons=tuple(lexicons))

    valuers["match"] = valuer(rule.match)
    for path in rule.paths:
        valuers[path.name] = CaptureValuer()  # the text of the token reached
    for node in ast.walk_pattern(rule.match):
        if isinstance(node, ast.Capture) and node.name not in valuers:
            valuers[node.name] = valuer(node.body)
    fields: list[FieldPlan] = []
    value: Evaluator | None = None
    bind = {name: name for name, _ in crule.capture_types}
    if schema.is_event:
        for name, ftype in schema.fields:
            capture = name if crule.capture_type(name) is not None else None
            assignments = tuple(
                (
                    exprs.condition(a.cond, bind) if a.cond is not None else None,
                    exprs.expr(a.expr, bind),
                )
                for a in rule.sets
                if a.field == name
            )
            fields.append(FieldPlan(name, ftype, capture, assignments))
    else:
        value = _mention_value(rule, exprs, bind)
    return CompiledRule(
        checked=crule,
        label=rule.target,
        program=program,
        required=frozenset(required) if required is not None else None,
        first=frozenset(first) if first is not None else None,
        valuers=valuers,
        fields=tuple(fields),
        value=value,
        resolves=rule.resolves,
        where=exprs.condition(rule.where, bind) if rule.where is not None else None,
        qualified_name=crule.qualified_name,
        fixed=fixed_length(program),
        order=crule.order,
        paths=tuple(
            compile_path(
                p, label_test(test_atom(p.test, patterns.lexicons.named)) if p.test else None
            )
            for p in rule.paths
        ),
    )


def _mention_value(rule: ast.RuleDef, exprs: ExprCompiler, bind: dict[str, str]) -> Evaluator:
    if rule.value is not None:
        return exprs.expr(rule.value, bind)
    # without `value:`, a mention is worth what it wraps (a label's value, a lexicon's
    # canonical form) or else its text: see the "match" valuer in _compile_rule
    return lambda scope: scope.value("match")


def lemmas_needed(checked: CheckedRuleSet) -> dict[str, str]:
    """The lemma of every word compiling these rules looks up (lexicon words matched by
    lemma, `[lemma=...]` values): stored with a cached or pickled rule set, they let it be
    compiled again without loading the lemmatizer's dictionary."""
    words: set[str] = set()
    stack: list[object] = [
        checked.lexicons,
        [r.rule for r in checked.rules],
        checked.classifiers,
        checked.conditions,
    ]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.LexWord):
            if not node.exact:
                words.add(LOWER[node.text])
        elif isinstance(node, ast.TokEq | ast.TokIn) and node.attr == "lemma":
            if isinstance(node, ast.TokEq):
                words.add(LOWER[node.value])
            stack.extend(node.entries if isinstance(node, ast.TokIn) else ())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
        elif attrs.has(type(node)):
            stack.extend(attrs.astuple(node, recurse=False))  # type: ignore[arg-type]
    return {word: LEMMAS[word] for word in words}
