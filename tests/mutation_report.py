"""`make mutate`, last step: the mutation score of each module of [tool.mutmut] only_mutate, then
the mutants that survived (a test is missing, or the mutant changes nothing a user could see:
such lines carry `# pragma: no mutate` and a comment saying why).

Reads what `mutmut run` left in mutants/ through mutmut's own classes. With `--survivors`,
prints only the survivors' names: mutmut keeps a survivor's result until its function changes,
so after adding tests, `make mutate MUTANTS="$(.venv/bin/python -m tests.mutation_report
--survivors)"` tests them again.
"""

import sys
import tomllib
from collections import Counter
from pathlib import Path

from mutmut.mutation.data import SourceFileMutationData
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]


def modules():
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["mutmut"]["only_mutate"]


def results(path):
    data = SourceFileMutationData(path=path)
    data.meta_path = ROOT / "mutants" / f"{path}.meta"
    data.load()
    return {name: status_by_exit_code[code] for name, code in data.exit_code_by_key.items()}


def score(counts):
    """Killed (a timeout is a kill: the mutant hung a test) over the mutants that were tested."""
    tested = counts["killed"] + counts["timeout"] + counts["survived"] + counts["no tests"]
    return 100 * (counts["killed"] + counts["timeout"]) / tested if tested else None


def main(argv):
    rows, survivors = [], []
    total = Counter()
    for path in modules():
        statuses = results(path)
        counts = Counter(statuses.values())
        total.update(counts)
        rows.append((path, len(statuses), counts))
        survivors += sorted(
            name for name, status in statuses.items() if status in {"survived", "no tests"}
        )
    if "--survivors" in argv:
        print(" ".join(survivors))
        return 0
    print(f"{'module':28} {'mutants':>8} {'killed':>7} {'survived':>9} {'no test':>8} {'score':>7}")
    for path, count, counts in rows + [("total", sum(total.values()), total)]:
        value = score(counts)
        shown = f"{value:6.1f}%" if value is not None else "      -"
        print(
            f"{path:28} {count:8} {counts['killed'] + counts['timeout']:7}"
            f" {counts['survived']:9} {counts['no tests']:8} {shown}"
        )
    not_run = total["not checked"]
    if not_run:
        print(f"\n{not_run} mutants not tested yet (run interrupted, or limited by MUTANTS).")
    if survivors:
        print("\nSurvivors (`.venv/bin/mutmut show <name>` shows the change):")
        for name in survivors:
            print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
