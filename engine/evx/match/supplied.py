"""What a document brings for a rule set: the columns its rules test, and its outside mentions.

Before matching, :func:`check_columns` fails a document that lacks a column some rule
tests (D003) or whose column holds values of another type than the rule file declares
(D007), so a missing annotation is an error and not a rule that silently never matches;
:func:`external_tables` turns the document's outside mentions into the label tables that
`@Label` reads, as if a rule had found them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from evx.errors import DocumentError
from evx.match.context import LabelTable
from evx.text.attributes import SUPPLIED_ATTRIBUTES

if TYPE_CHECKING:
    from evx.match.compiler import CompiledRuleSet
    from evx.text.document import Document

_TYPES: Final = {"str": str, "int": int, "bool": bool}
_SUPPLIED_TYPES: Final = {**dict.fromkeys(SUPPLIED_ATTRIBUTES, "str"), "head": "int"}


def check_columns(compiled: CompiledRuleSet, doc: Document) -> None:
    """Fail the document clearly when rules need token attributes it does not carry, or
    carries with values of the wrong type."""
    for attr, rules in compiled.needed_attrs.items():
        shown = ", ".join(rules[:3]) + (" ..." if len(rules) > 3 else "")
        if not doc.has_column(attr):
            declared = attr in compiled.attribute_types
            raise DocumentError(
                doc.id,
                f"rules ({shown}) test the token attribute `{attr}`, which this document does "
                f"not have; pass it in with Document.from_tokens(..., {attr}=[...])"
                + (" or from a spaCy pipeline that sets it" if declared else ""),
                code="D003",
            )
        kind = compiled.attribute_types.get(attr, _SUPPLIED_TYPES.get(attr))
        if kind is None:
            continue
        expected = _TYPES[kind]
        for i, value in enumerate(doc.column(attr)):
            if type(value) is not expected:
                raise DocumentError(
                    doc.id,
                    f"the token attribute `{attr}` is declared {kind}, but token {i} "
                    f"({doc.words[i]!r}) has {value!r} ({type(value).__name__}); rules "
                    f"({shown}) test it",
                    code="D007",
                )


def external_tables(compiled: CompiledRuleSet, doc: Document) -> dict[str, LabelTable]:
    """The label table of every `external mention` some rule reads, from the document's
    mentions (every span kept: several may start at one token)."""
    wanted = set(compiled.externals)
    if not wanted:
        return {}
    spans: dict[str, list[tuple[int, int, object]]] = {name: [] for name in wanted}
    for label, start, end, value in doc.mentions:
        found = spans.get(label)
        if found is not None:
            found.append((start, end, value))
    return {label: LabelTable.build(found) for label, found in spans.items()}
