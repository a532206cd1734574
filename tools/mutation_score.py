"""The mutation score of the last `mutmut run`, per module and in total, from mutmut's own records.

    python tools/mutation_score.py [--survivors]

Reads mutants/**/*.py.meta (mutmut 3 writes one per mutated file: mutant name -> exit code of
its test run). Killed: the tests failed (any exit code but 0, 33 and 34) or timed out; survived:
exit 0; no tests: exit 33 (no test covers the mutated code); not run yet: no exit code.
The score is killed / (killed + survived + no tests).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURVIVED, NO_TESTS, SKIPPED = 0, 33, 34


def outcome(code: int | None) -> str:
    if code is None:
        return "not run"
    if code == SURVIVED:
        return "survived"
    if code == NO_TESTS:
        return "no tests"
    if code == SKIPPED:
        return "skipped"
    return "killed"


def tally(mutants_dir: Path) -> dict[str, Counter[str]]:
    by_module: dict[str, Counter[str]] = {}
    for meta in sorted(mutants_dir.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        module = str(meta.relative_to(mutants_dir)).removesuffix(".meta")
        by_module[module] = Counter(outcome(code) for code in codes.values())
    return by_module


def score(counts: Counter[str]) -> float | None:
    judged = counts["killed"] + counts["survived"] + counts["no tests"]
    return counts["killed"] / judged if judged else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants' names")
    args = parser.parse_args()
    mutants_dir = ROOT / "mutants"
    by_module = tally(mutants_dir)
    if not by_module:
        print("no mutmut results: run `make mutation` first", file=sys.stderr)
        return 1
    total: Counter[str] = Counter()
    print(f"{'module':32} {'killed':>7} {'survived':>8} {'no tests':>8} {'not run':>8} {'score':>6}")
    for module, counts in by_module.items():
        total += counts
        value = score(counts)
        shown = f"{value:6.1%}" if value is not None else "     -"
        print(f"{module:32} {counts['killed']:7} {counts['survived']:8} {counts['no tests']:8} "
              f"{counts['not run']:8} {shown}")  # fmt: skip
    value = score(total)
    print(f"{'total':32} {total['killed']:7} {total['survived']:8} {total['no tests']:8} {total['not run']:8} "
          f"{value:6.1%}" if value is not None else "total: nothing judged yet")  # fmt: skip
    if args.survivors:
        for meta in sorted(mutants_dir.rglob("*.py.meta")):
            for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
                if code == SURVIVED:
                    print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
