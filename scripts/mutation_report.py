#!/usr/bin/env python3
"""Killed, survived and timed-out mutants per module, from `make mutation`'s session databases.

    python scripts/mutation_report.py                 # the table, build/mutation/*.sqlite
    python scripts/mutation_report.py --survivors     # and each survivor's diff
    python scripts/mutation_report.py --equivalent docs/mutation.md

With --equivalent, survivors whose `path:line operator` appears in one of that file's sections
headed "Equivalent mutants..." (docs/mutation.md: the list of all sessions, and one of a session)
are counted apart from the survivors.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ("killed", "timeout", "survived", "equivalent", "error")


def _verdict(result, key: str, equivalent: set[str]) -> str:
    if result.worker_outcome != WorkerOutcome.NORMAL:
        return "error"
    if result.test_outcome == TestOutcome.SURVIVED:
        return "equivalent" if key in equivalent else "survived"
    if result.test_outcome == TestOutcome.KILLED:
        return "timeout" if result.output == "timeout" else "killed"
    return "error"


def _equivalent(path: Path | None) -> set[str]:
    if path is None:
        return set()
    text = path.read_text(encoding="utf-8")
    # only the sections headed "Equivalent mutants..." (docs/mutation.md lists survivors too),
    # each up to the next heading of any level
    parts = re.split(r"^(#{2,} .*)$", text, flags=re.MULTILINE)
    sections = [body for head, body in zip(parts[1::2], parts[2::2], strict=True)
                if "Equivalent mutants" in head]  # fmt: skip
    pattern = re.compile(r"(src/corridor/[\w/]+\.py:\d+ core/\w+)")
    return {key for section in sections for key in pattern.findall(section)}


def collect(workdir: Path, equivalent: set[str]):
    """{module: Counter(verdict)} and the survivors' (key, diff), over every session."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    survivors = []
    for db_path in sorted(workdir.glob("*.sqlite")):
        with use_db(str(db_path), WorkDB.Mode.open) as db:
            specs = {item.job_id: item.mutations[0] for item in db.work_items}
            for job_id, result in db.results:
                spec = specs[job_id]
                key = f"{spec.module_path}:{spec.start_pos[0]} {spec.operator_name}"
                verdict = _verdict(result, key, equivalent)
                table[str(spec.module_path)][verdict] += 1
                if verdict == "survived":
                    survivors.append((key, result.diff or ""))
    return table, sorted(survivors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=ROOT / "build/mutation")
    parser.add_argument("--survivors", action="store_true", help="print each survivor's diff")
    parser.add_argument("--equivalent", type=Path, help="file listing equivalent mutants")
    args = parser.parse_args(argv)
    table, survivors = collect(args.workdir, _equivalent(args.equivalent))
    if not table:
        print(f"no results in {args.workdir}: run `make mutation` first", file=sys.stderr)
        return 1
    width = max(len(m) for m in table)
    print(f"{'module':<{width}} " + " ".join(f"{c:>10}" for c in COLUMNS) + "   survived%")
    total: Counter[str] = Counter()
    for module in sorted(table):
        total.update(table[module])
        print(_row(module, table[module], width))
    packages: dict[str, Counter[str]] = defaultdict(Counter)
    for module, counts in table.items():
        packages[str(Path(module).parent)].update(counts)
    for package in sorted(packages):
        print(_row(package, packages[package], width))
    print(_row("total", total, width))
    if args.survivors:
        for key, diff in survivors:
            print(f"\n## {key}\n{diff}")
    return 0


def _row(name: str, counts: Counter[str], width: int) -> str:
    ran = sum(counts[c] for c in COLUMNS if c != "error")
    alive = counts["survived"]
    rate = f"{100 * alive / ran:9.1f}%" if ran else "        -"
    return f"{name:<{width}} " + " ".join(f"{counts[c]:>10}" for c in COLUMNS) + "  " + rate


if __name__ == "__main__":
    sys.exit(main())
