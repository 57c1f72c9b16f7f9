"""`evx init NAME`: a new rule pack to start from, with an event, a rule, examples and a test.

The pack is small but complete: every line of it loads, checks without a warning, and its
examples and its test pass, so an author edits from something that works.
"""

from __future__ import annotations

import re
from pathlib import Path

from evx.errors import EvxError

NAME = re.compile(r"^[a-z][a-z0-9_]*$")

RULES = """\
# {name}.rules: a starting point. See docs/authoring.md for check, test, explain, view, diff.

enum {event}Status {{ done, expected }}

event {event} {{
    count:  int?
    status: {event}Status
}}

lexicon {name}_verb = {{ deliver, send, "handed over" }}

mention {event}Count: int {{
    match: [num]+
    value: number(match)
}}

classify {name}_status(t) -> {event}Status {{
    expected when before(t, 3) has {{ will, "expected" "to" }}
    otherwise done
}}

rule {name}_delivered -> {event} {{
    match: trigger:{name}_verb count:@{event}Count? [!punct]{{0,3}}? "trucks"
    set:   status = {name}_status(trigger)
    example "The agency delivered 12 trucks of flour." => count = 12, status = done
    example "The agency will send three trucks." => count = 3, status = expected
    counter "The agency delivered flour."
}}
"""

SAMPLE = """\
The agency delivered 12 trucks of flour on Monday. It will send three trucks more.
"""

TEST = '''\
"""The {name} pack: its examples pass and it finds the events of its sample document."""

from pathlib import Path

import evx
from evx.tools.examples import run_example

HERE = Path(__file__).parent


def test_examples_pass() -> None:
    """Every `example` and `counter` of the pack holds."""
    rules = evx.load(HERE / "{name}.rules")
    failures = [(e.where, run_example(rules, e)) for e in rules.examples()]
    assert [f for f in failures if f[1] is not None] == []


def test_sample_document() -> None:
    """The sample document gives one record per delivery."""
    rules = evx.load(HERE / "{name}.rules")
    events = rules.extract((HERE / "sample.txt").read_text(encoding="utf-8"))
    assert [e.fields.to_dict()["count"] for e in events] == [12, 3]
'''


class ScaffoldError(EvxError):
    """The pack cannot be made: a bad name, or the directory exists."""

    code = "X003"


def event_name(name: str) -> str:
    """The event type of a pack: `aid_convoys` -> `AidConvoys`."""
    return "".join(part.capitalize() for part in name.split("_") if part)


def scaffold(name: str, parent: Path) -> list[Path]:
    """Write the pack `parent/name/` and return the files made."""
    if not NAME.match(name):
        raise ScaffoldError(
            f"a pack name is lower-case letters, digits and `_`, starting with a letter: {name!r}"
        )
    target = parent / name
    if target.exists():
        raise ScaffoldError(f"{target} already exists")
    target.mkdir(parents=True)
    files = {
        f"{name}.rules": RULES.format(name=name, event=event_name(name)),
        "sample.txt": SAMPLE,
        f"test_{name}.py": TEST.format(name=name),
    }
    made = []
    for filename, text in files.items():
        path = target / filename
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made
