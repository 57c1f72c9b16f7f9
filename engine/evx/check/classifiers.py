"""Pass 9, classifiers: each `classify` block returns a declared enum and its cases are sound.

Reports an unknown result enum (E105), results that are not members of it (E109), and
whatever the condition checks find in its cases.
"""

from __future__ import annotations

from evx.check.context import Context, suggest
from evx.check.expressions import check_cond
from evx.check.schema import STR
from evx.lang import ast


def check_classifiers(ctx: Context) -> None:
    """Check every classifier, in definition order."""
    for classifier in ctx.classifiers.values():
        _check_classifier(ctx, classifier)


def _check_classifier(ctx: Context, classifier: ast.ClassifyDef) -> None:
    members = ctx.enums.get(classifier.result_type)
    if members is None:
        ctx.error(
            "E105",
            f"classifier `{classifier.name}` returns unknown enum `{classifier.result_type}`",
            classifier.pos,
            hint=suggest(classifier.result_type, ctx.enums)
            or "declare it with `enum Name { ... }`",
        )
        members = ()
    captures = {classifier.param: STR}
    for case in classifier.cases:
        if members and case.result not in members:
            ctx.error(
                "E109",
                f"`{case.result}` is not a member of {classifier.result_type}",
                case.pos,
                hint=suggest(case.result, members) or "members: " + ", ".join(members),
            )
        check_cond(ctx, case.cond, captures)
    if members and classifier.otherwise not in members:
        ctx.error(
            "E109",
            f"`{classifier.otherwise}` is not a member of {classifier.result_type}",
            classifier.otherwise_pos or classifier.pos,
            hint=suggest(classifier.otherwise, members),
        )
