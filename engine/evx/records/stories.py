"""Stories: the records of one document that tell of the same event, and what they share.

A news article states one event many times: the headline without its numbers, the lead
with its status, the body with its phase and length. An event type with `story: keys`
groups its records per document into stories, reading them in document order: a record
joins the most recently continued story whose key fields do not contradict its own (a
null or empty key contradicts nothing; list keys agree when they share a value; a key
that was only defaulted counts as null), else it opens a new story. Only the
:data:`WINDOW` most recently continued stories are candidates, which keeps grouping
linear in the number of records.

Within a story, a field named in `inherit:` that a record left null or empty, or got only
from a default (a classifier's `otherwise`), takes the value that the nearest record of
the story states explicitly; its provenance says `inherited` and points at that
statement. Records that state different values keep their own. :func:`collapse` makes one
record of a story (``evx run --stories``) and of a `merge:` group.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

import attrs

from evx.records.events import ArgValue, Event, Fields, FieldSource, Mention

WINDOW = 64
"""How many of the most recently continued stories a record may join."""

Key = frozenset[object] | object


def _key(record: Event, name: str) -> Key:
    """A record's value for a story key, None when it states none."""
    source = record.provenance.get(name)
    if source is None or source.how == "defaulted":
        return None
    value: object = getattr(record.fields, name)
    if isinstance(value, tuple):
        return frozenset(value) if value else None
    return value


class _Story:
    __slots__ = ("keys", "members")

    def __init__(self, keys: dict[str, Key]) -> None:
        self.keys = keys
        self.members: list[int] = []

    def accepts(self, keys: dict[str, Key]) -> bool:
        for name, value in keys.items():
            mine = self.keys[name]
            if value is None or mine is None:
                continue
            if isinstance(value, frozenset) and isinstance(mine, frozenset):
                if not value & mine:
                    return False
            elif value != mine:
                return False
        return True

    def add(self, index: int, keys: dict[str, Key]) -> None:
        self.members.append(index)
        for name, value in keys.items():
            mine = self.keys[name]
            if mine is None:
                self.keys[name] = value
            elif isinstance(value, frozenset) and isinstance(mine, frozenset):
                self.keys[name] = mine | value


def group(records: Sequence[Event], keys: Sequence[str]) -> list[list[int]]:
    """The stories of one document's records of one type (in document order), as lists of
    record indexes, in the order the stories open."""
    stories: list[_Story] = []
    recent: list[_Story] = []  # most recently continued last
    for index, record in enumerate(records):
        values = {name: _key(record, name) for name in keys}
        chosen = None
        for at in range(len(recent) - 1, max(-1, len(recent) - 1 - WINDOW), -1):
            if recent[at].accepts(values):
                chosen = recent.pop(at)
                break
        if chosen is None:
            chosen = _Story(dict.fromkeys(keys))
            stories.append(chosen)
        chosen.add(index, values)
        recent.append(chosen)
    return [story.members for story in stories]


def _empty(value: object) -> bool:
    return value is None or value == ()


def fill(records: list[Event], stories: Sequence[Sequence[int]], names: Sequence[str]) -> None:
    """Fill, in place, each story's records' unstated `names` from the nearest statement."""
    for members in stories:
        if len(members) < 2:
            continue
        for name in names:
            stating = [i for i in members if _stated(records[i], name)]
            if not stating:
                continue
            starts = [records[i].start for i in stating]
            for i in members:
                record = records[i]
                if _stated(record, name) and not _empty(getattr(record.fields, name)):
                    continue
                giver = records[_nearest(stating, starts, record.start)]
                given = giver.provenance[name]
                records[i] = attrs.evolve(
                    record,
                    fields=attrs.evolve(record.fields, **{name: getattr(giver.fields, name)}),
                    provenance={
                        **record.provenance,
                        name: FieldSource("inherited", given.rule, given.start, given.end),
                    },
                )


def _nearest(stating: list[int], starts: list[int], at: int) -> int:
    """The stating record nearest to character `at` (the earlier one on a tie)."""
    k = bisect_left(starts, at)
    if k == 0:
        return stating[0]
    if k == len(starts):
        return stating[-1]
    before, after = starts[k - 1], starts[k]
    return stating[k - 1] if at - before <= after - at else stating[k]


def collapse(
    group: Sequence[Event],
    cls: type[Fields],
    span: Callable[[Sequence[Event]], tuple[int, int, str, str]],
    *,
    story: bool,
) -> Event:
    """One record for a group of records of one event, in document order: each field the
    first stated value (else the first value), lists united; arguments the first of each
    name. ``span(group)`` gives the record's start, end, text and sentence; a story
    record also lists its statements as `mentions`."""
    values: dict[str, object] = {}
    sources: dict[str, FieldSource] = {}
    for name in attrs.fields_dict(cls):
        candidates = [r for r in group if not _empty(getattr(r.fields, name))]
        if not candidates:
            continue
        chosen = next((r for r in candidates if _stated(r, name)), candidates[0])
        value = getattr(chosen.fields, name)
        if isinstance(value, tuple):
            united: list[object] = []
            for record in group:
                united.extend(v for v in getattr(record.fields, name) if v not in united)
            value = tuple(united)
        values[name] = value
        if name in chosen.provenance:
            sources[name] = chosen.provenance[name]
    args: dict[str, ArgValue] = {}
    for record in group:
        for name, arg in record.args.items():
            args.setdefault(name, arg)
    start, end, text, sentence = span(group)
    first = group[0]
    return attrs.evolve(
        first,
        start=start,
        end=end,
        text=text,
        sentence=sentence,
        fields=cls(**values),
        args=args,
        merged=tuple(dict.fromkeys(r for e in group for r in e.rules)),
        provenance=sources,
        mentions=tuple(Mention(e.start, e.end, e.text, e.rule) for e in group) if story else (),
    )


def _stated(record: Event, name: str) -> bool:
    source = record.provenance.get(name)
    return source is not None and source.how == "stated"
