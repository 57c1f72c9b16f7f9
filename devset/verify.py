#!/usr/bin/env python3
"""Check retrieved development-set texts against the manifest: every file, its sha256.

Usage: python devset/verify.py DIR [MANIFEST]
(DIR holds <id>.txt for every line of MANIFEST, by default devset/manifest.jsonl; the test
split's is testset/manifest.jsonl)
Exit status 0 when every text is there and hashes as recorded, 1 otherwise.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

MANIFEST = Path(__file__).resolve().parent / "manifest.jsonl"


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0])
    manifest = Path(argv[1]) if len(argv) == 2 else MANIFEST
    bad = 0
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    for entry in entries:
        path = folder / f"{entry['id']}.txt"
        if not path.is_file():
            print(f"{entry['id']}: missing ({path})")
            bad += 1
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            print(f"{entry['id']}: sha256 {digest} differs from the manifest's {entry['sha256']}")
            bad += 1
    print(f"{len(entries) - bad} of {len(entries)} texts as recorded")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
