"""How well `calfeed extract` reads the seed newsletter, measured against data/events.yaml.

    .venv/bin/python bench/extract_seed.py [--seed ../shared/seeds/kom-nyhetsbrev-2024-q2.txt]
                                           [--data data/events.yaml] [--verbose]

The shipped entries are the reference (the editor read the same newsletter into them). An entry
counts as found when a proposal has its type and its dates: the same start and end (or due), or
the same month for a month-only entry. A proposal that has the dates of no entry at all is
"not an item". The seed lives outside the repository, so this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calfeed.extract import Proposal, extract  # noqa: E402
from calfeed.textin import read_lines  # noqa: E402

# Entries the newsletter gives no date for at all: the editor's own additions, not items a
# reader of the text could find (the quarterly newsletter's issue day is nowhere in it).
NOT_IN_TEXT = {"kom-nyhetsbrev", "kom-veileder-identifisering-2024"}


def reference(data: Path) -> list[tuple[str, str, str, str]]:
    """(id, type, first, last) of every dated entry, as text: 2024-08-21 or 2024-06."""
    raw: dict[str, Any] = yaml.safe_load(data.read_text(encoding="utf-8"))
    out = []
    for entry in raw.get("entries") or []:
        if entry["id"] in NOT_IN_TEXT:
            continue
        first = entry.get("due", entry.get("start"))
        last = entry.get("end", first)
        out.append((entry["id"], entry["type"], _day(first), _day(last)))
    return out


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value).split(" ")[0]


def proposed(p: Proposal) -> tuple[str, str, str]:
    w = p.when
    if w.precision == "month":
        return p.type, f"{w.start:%Y-%m}", f"{w.start:%Y-%m}"
    if p.type == "deadline":
        return p.type, w.end.isoformat(), w.end.isoformat()
    return p.type, w.start.isoformat(), w.end.isoformat()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path,
                        default=ROOT.parent / "shared" / "seeds" / "kom-nyhetsbrev-2024-q2.txt")
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "events.yaml")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    proposals, year = extract(read_lines(args.seed))
    made = [proposed(p) for p in proposals]
    ref = reference(args.data)
    found = [r for r in ref if (r[1], r[2], r[3]) in made]
    missed = [r for r in ref if r not in found]
    dated = {(r[2], r[3]) for r in ref}
    strays = [(p, m) for p, m in zip(proposals, made, strict=True) if (m[1], m[2]) not in dated]
    wrong_type = [(p, m) for p, m in zip(proposals, made, strict=True)
                  if (m[1], m[2]) in dated and m not in {(r[1], r[2], r[3]) for r in ref}]

    print(f"seed: {args.seed.name} (year read from the text: {year})")
    print(f"reference: {len(ref)} dated entries in {args.data.name}")
    print(f"found with right dates and type: {len(found)}/{len(ref)} "
          f"= {100 * len(found) / max(len(ref), 1):.1f} %")
    print(f"proposals: {len(proposals)}; not an item (dates of no entry): {len(strays)}; "
          f"right dates, other type: {len(wrong_type)}")
    if args.verbose or missed:
        for r in missed:
            print(f"  missed: {r[0]} ({r[1]} {r[2]}..{r[3]})")
    if args.verbose:
        for p, m in strays:
            print(f"  not an item: line {p.line} {m} {p.title}")
        for p, m in wrong_type:
            print(f"  other type: line {p.line} {m} {p.title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
