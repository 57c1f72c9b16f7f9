"""The checker: resolve every name, type every field and order the labels of a loaded rule set.

It runs :data:`PASSES` in order over one shared :class:`~evx.check.context.Context`, the
way sqlglot's optimizer runs its rules. Passes never stop at a problem: they gather
diagnostics, and :func:`check` raises one :class:`~evx.errors.RuleCheckError` holding all
of them, sorted by position, so an author fixes a file in one pass. A pass may set a rule
aside (``RuleState.ok = False``) when later passes could only report follow-on errors.

A new check is a function in the pass that owns what it looks at; a new kind of check is
a new module with one entry function, added to :data:`PASSES` where its inputs are ready.
"""

from __future__ import annotations

from collections.abc import Callable

from evx.check.captures import type_captures
from evx.check.classifiers import check_classifiers
from evx.check.clauses import check_clauses
from evx.check.conditions import check_conditions
from evx.check.context import Context
from evx.check.declarations import build_schemas
from evx.check.definitions import collect_definitions
from evx.check.examples import check_examples
from evx.check.fields import check_fields
from evx.check.labels import order_labels
from evx.check.patterns import check_match_patterns
from evx.check.reach import check_reach
from evx.check.result import CheckedRule, CheckedRuleSet
from evx.check.rules import check_rule_shapes
from evx.check.shadows import report_shadowed
from evx.check.usage import report_unused
from evx.errors import RuleCheckError
from evx.lang.loader import Loaded

__all__ = ["PASSES", "CheckedRule", "CheckedRuleSet", "check"]

Pass = Callable[[Context], None]

PASSES: tuple[Pass, ...] = (
    collect_definitions,  # names of lexicons, enums, events, classifiers, conditions, rules (E101)
    build_schemas,  # declared types -> schemas of events and mention values (E105 E110 E207 E303)
    check_rule_shapes,  # known target, a match clause, clauses of the right kind (E104 E309 E206)
    check_match_patterns,  # labels, lexicons, token tests, limits in patterns (E102 E103 E3xx)
    type_captures,  # the value type of every capture
    check_clauses,  # set:, resolve:, where:, value: (E203 E207 E202 E106 E107 E111)
    check_fields,  # captures fit their fields, required fields are filled (E201 E202 E204)
    check_examples,  # example expectations fit the fields (E205)
    check_classifiers,  # classify blocks (E105 E109)
    check_conditions,  # named conditions: their bodies, calls in a cycle, depth (E113 E019)
    order_labels,  # labels after the labels they use (E108)
    report_unused,  # lexicons, classifiers, conditions, mentions nothing uses (W310-W315 W319)
    report_shadowed,  # a rule an earlier rule of its label always beats (W316)
    check_reach,  # captures read only by set: lines that never run, or by nothing (W317)
)
"""The checker passes, in the order they run; each reads what the ones before it found."""


def check(loaded: Loaded) -> CheckedRuleSet:
    """Check everything that was loaded; raise RuleCheckError with all problems found."""
    ctx = Context.start(loaded)
    for run_pass in PASSES:
        run_pass(ctx)
    if ctx.diagnostics:
        ctx.diagnostics.sort(
            key=lambda d: (d.pos.file, d.pos.line, d.pos.column) if d.pos else ("", 0, 0)
        )
        raise RuleCheckError(ctx.diagnostics)
    return CheckedRuleSet(
        lexicons=ctx.lexicons,
        enums=ctx.enums,
        schemas=ctx.schemas,
        rules=tuple(
            CheckedRule(s.rule, s.file, s.order, tuple(s.captures.items())) for s in ctx.checkable()
        ),
        classifiers=ctx.classifiers,
        conditions=ctx.conditions,
        label_order=ctx.label_order,
        sources=ctx.sources,
        label_deps=ctx.label_deps,
        attributes=ctx.attributes,
        warnings=tuple(
            sorted(
                ctx.warnings,
                key=lambda d: (d.pos.file, d.pos.line, d.pos.column) if d.pos else ("", 0, 0),
            )
        ),
    )
