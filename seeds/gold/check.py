#!/usr/bin/env python3
"""Validate hand-made gold annotations (by default seeds/gold/*.jsonl against seeds/*.txt).

Usage:  python seeds/gold/check.py [--events PATH/TO/EVENTS.md] [--articles DIR --gold DIR]
        (the held-out set: --articles tests/data/heldout --gold tests/data/heldout/gold)

Checks, for every line of every gold file:
  * the line parses as a JSON object with keys type, evidence, fields
    (+ optional occurrence, note) and nothing else;
  * type is one of the three event types of EVENTS.md;
  * fields holds exactly that type's field names, in EVENTS.md order, with
    values of the right type / enum (null only where EVENTS.md allows it);
  * evidence occurs verbatim in the article, at least `occurrence` times
    (default 1);
  * exchange / reason are verbatim substrings of the evidence, and source
    occurs verbatim in the article (they are "in the text's own words").
Every article must have a gold file and vice versa.  Prints a count table
(article x type).  Exit status 1 if any error was found.

With --events, the field names hard-coded below are also compared with the
tables in EVENTS.md, so a change to the design document is noticed.
Standard library only.
"""

import argparse
import json
import re
import sys
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent
SEED_DIR = GOLD_DIR.parent

CF_STATUS = ["proposed", "under_negotiation", "agreed", "in_effect", "ended", "rejected"]
HR_MODE = ["exchange", "deal", "rescue", "unilateral"]
HR_STATUS = ["completed", "expected", "proposed", "demanded", "refused"]

# (field, kind, nullable, enum)   kinds: int, str, enum, strlist
SCHEMA = {
    "CeasefirePhase": [
        ("phase", "int", True, None),
        ("duration_days", "int", True, None),
        ("status", "enum", True, CF_STATUS),
        ("parties", "strlist", False, None),
        ("mediators", "strlist", False, None),
    ],
    "HostageRelease": [
        ("count", "int", True, None),
        ("released_by", "str", True, None),
        ("mode", "enum", True, HR_MODE),
        ("exchange", "str", True, None),
        ("exchange_count", "int", True, None),
        ("status", "enum", False, HR_STATUS),
    ],
    "AnonymousSource": [
        ("source", "str", False, None),
        ("count", "int", True, None),
        ("role", "str", True, None),
        ("affiliation", "str", True, None),
        ("reason", "str", True, None),
    ],
}
TOP_KEYS = {"type", "evidence", "fields", "occurrence", "note"}
# string fields that must be quoted from the evidence / the article
IN_EVIDENCE = {("HostageRelease", "exchange"), ("AnonymousSource", "reason")}
IN_ARTICLE = {("AnonymousSource", "source")}


def count_occurrences(text, sub):
    n, pos = 0, text.find(sub)
    while pos >= 0:
        n += 1
        pos = text.find(sub, pos + 1)
    return n


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_value(typ, name, kind, nullable, enum, v):
    if v is None:
        return None if nullable else "is null but must not be"
    if kind == "int":
        if not is_int(v):
            return f"must be an integer or null, got {v!r}"
        if v < 1:
            return f"must be >= 1, got {v}"
    elif kind == "str":
        if not isinstance(v, str) or not v.strip():
            return f"must be a non-empty string, got {v!r}"
        if v != v.strip():
            return f"has leading/trailing whitespace: {v!r}"
    elif kind == "enum":
        if v not in enum:
            return f"{v!r} is not one of {enum}"
    elif kind == "strlist":
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            return f"must be a list of non-empty strings, got {v!r}"
        if len(set(v)) != len(v):
            return f"has duplicates: {v!r}"
    return None


def check_events_md(path):
    """Compare the hard-coded field names with the tables of EVENTS.md."""
    errors = []
    text = Path(path).read_text(encoding="utf-8")
    sections = re.split(r"^## +", text, flags=re.M)
    found = {}
    for sec in sections[1:]:
        title = sec.split("\n", 1)[0].strip()
        names = re.findall(r"^\|\s*`([a-z_]+)`\s*\|", sec, flags=re.M)
        found[title] = names
    for typ, spec in SCHEMA.items():
        want = [f[0] for f in spec]
        if typ not in found:
            errors.append(f"EVENTS.md: no section for {typ}")
        elif found[typ] != want:
            errors.append(f"EVENTS.md: {typ} fields {found[typ]} != checker's {want}")
    return errors


def check_file(gold_path, article):
    errors, warnings, counts = [], [], {t: 0 for t in SCHEMA}
    with open(gold_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for ln, line in enumerate(lines, 1):
        where = f"{gold_path.name}:{ln}"
        if not line.strip():
            errors.append(f"{where}: empty line")
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: invalid JSON ({e})")
            continue
        if not isinstance(rec, dict):
            errors.append(f"{where}: not a JSON object")
            continue
        extra = set(rec) - TOP_KEYS
        if extra:
            errors.append(f"{where}: unknown keys {sorted(extra)}")
        missing = {"type", "evidence", "fields"} - set(rec)
        if missing:
            errors.append(f"{where}: missing keys {sorted(missing)}")
            continue
        typ = rec["type"]
        if typ not in SCHEMA:
            errors.append(f"{where}: unknown type {typ!r}")
            continue
        counts[typ] += 1
        if "note" in rec and not isinstance(rec["note"], str):
            errors.append(f"{where}: note must be a string")

        # evidence
        ev = rec["evidence"]
        occ = rec.get("occurrence", 1)
        if "occurrence" in rec and (not is_int(occ) or occ < 1):
            errors.append(f"{where}: occurrence must be an integer >= 1")
            occ = 1
        if not isinstance(ev, str) or not ev.strip():
            errors.append(f"{where}: evidence must be a non-empty string")
            ev = None
        else:
            n = count_occurrences(article, ev)
            if n == 0:
                errors.append(f"{where}: evidence not found verbatim in article: {ev[:80]!r}")
            elif n < occ:
                errors.append(f"{where}: evidence occurs {n} time(s), occurrence={occ}")
            elif n > 1 and "occurrence" not in rec:
                warnings.append(f"{where}: evidence occurs {n} times; first one assumed")
            if ev != ev.strip():
                warnings.append(f"{where}: evidence has leading/trailing whitespace")

        # fields
        fields = rec["fields"]
        if not isinstance(fields, dict):
            errors.append(f"{where}: fields must be an object")
            continue
        spec = SCHEMA[typ]
        want = [s[0] for s in spec]
        if set(fields) != set(want):
            errors.append(f"{where}: {typ} fields {sorted(fields)} != {want}")
        elif list(fields) != want:
            errors.append(f"{where}: {typ} fields not in EVENTS.md order {want}")
        for name, kind, nullable, enum in spec:
            if name not in fields:
                continue
            v = fields[name]
            msg = check_value(typ, name, kind, nullable, enum, v)
            if msg:
                errors.append(f"{where}: {typ}.{name} {msg}")
                continue
            if isinstance(v, str):
                if (typ, name) in IN_EVIDENCE and ev is not None and v not in ev:
                    errors.append(f"{where}: {typ}.{name} {v!r} is not a substring of the evidence")
                if (typ, name) in IN_ARTICLE and v not in article:
                    errors.append(f"{where}: {typ}.{name} {v!r} does not occur in the article")
        if (
            typ == "HostageRelease"
            and fields.get("exchange_count") is not None
            and fields.get("exchange") is None
        ):
            warnings.append(f"{where}: exchange_count without exchange")
    return errors, warnings, counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", help="path to EVENTS.md to cross-check the field names")
    ap.add_argument("--articles", type=Path, default=SEED_DIR, help="folder of the .txt articles")
    ap.add_argument("--gold", type=Path, default=GOLD_DIR, help="folder of the .jsonl gold files")
    args = ap.parse_args(argv)

    errors, warnings = [], []
    if args.events:
        errors += check_events_md(args.events)

    articles = {p.stem: p for p in sorted(args.articles.glob("*.txt"))}
    golds = {p.stem: p for p in sorted(args.gold.glob("*.jsonl"))}
    for stem in sorted(set(articles) - set(golds)):
        errors.append(f"no gold file for article {stem}.txt")
    for stem in sorted(set(golds) - set(articles)):
        errors.append(f"gold file {stem}.jsonl has no article {stem}.txt")

    table = {}
    for stem in sorted(set(articles) & set(golds)):
        article = articles[stem].read_text(encoding="utf-8")
        e, w, c = check_file(golds[stem], article)
        errors += e
        warnings += w
        table[stem] = c

    types = list(SCHEMA)
    w0 = max([len("article")] + [len(s) for s in table] + [len("total")])
    header = f"{'article':<{w0}}  " + "  ".join(f"{t:>15}" for t in types) + f"  {'total':>5}"
    print(header)
    print("-" * len(header))
    tot = {t: 0 for t in types}
    for stem, c in table.items():
        print(
            f"{stem:<{w0}}  " + "  ".join(f"{c[t]:>15}" for t in types) + f"  {sum(c.values()):>5}"
        )
        for t in types:
            tot[t] += c[t]
    print("-" * len(header))
    print(
        f"{'total':<{w0}}  "
        + "  ".join(f"{tot[t]:>15}" for t in types)
        + f"  {sum(tot.values()):>5}"
    )

    for msg in warnings:
        print(f"WARNING: {msg}", file=sys.stderr)
    for msg in errors:
        print(f"ERROR: {msg}", file=sys.stderr)
    if errors:
        print(f"FAILED: {len(errors)} error(s)", file=sys.stderr)
        return 1
    print("OK: all gold records valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
