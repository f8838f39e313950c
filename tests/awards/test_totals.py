"""One weighted total: awards/totals.py, used by the scoring page and the ranking, and the live
preview of site/static/awards/scoring.js, run here under node on the same cases."""

import json
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from awards import ranking, scoring
from awards.totals import Mark, tenths, weighted_total

SCORING_JS = Path(__file__).resolve().parents[2] / "site" / "static" / "awards" / "scoring.js"

# Reads [[marks…], …] on stdin, answers [[total, tenths], …]: scoring.js's own functions.
NODE_RUNNER = """
const scoring = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const answers = JSON.parse(input).map((marks) => {
    const total = scoring.weightedTotal(marks);
    return [total, total === null ? null : scoring.tenths(total)];
  });
  process.stdout.write(JSON.stringify(answers));
});
"""


def _random_sheet(rng):
    marks = []
    for _ in range(rng.randint(1, 10)):
        low = rng.choice([0, 1, 1, 1, 2])
        high = low + rng.choice([1, 2, 3, 4, 5, 6, 9, 10])
        value = None if rng.random() < 0.15 else rng.randint(low, high)
        marks.append(Mark(rng.randint(1, 12), low, high, value))
    return marks


CASES = [
    [],
    [Mark(1, 0, 4, None)],  # only « sans objet »: no total
    [Mark(2, 0, 4, 3), Mark(1, 1, 5, None), Mark(3, 1, 10, 7)],
    [Mark(1, 0, 4, 0)],  # the bottom of the scale is 0, not « nothing »
    [Mark(1, 0, 4, 4), Mark(1, 1, 5, 5)],
    [Mark(1, 0, 8, 1), Mark(1, 0, 8, 1)],  # 12.5: a half to round
    [Mark(3, 0, 3, 1), Mark(1, 0, 3, 2)],  # 41.666…
    [Mark(1, 0, 4, 1), Mark(1, 0, 4, 0), Mark(1, 0, 4, 0), Mark(1, 0, 4, 0), Mark(7, 0, 4, 0)],
] + [_random_sheet(random.Random(seed)) for seed in range(400)]


def test_the_rule_on_known_sheets():
    assert weighted_total([]) is None
    assert weighted_total([Mark(1, 0, 4, None)]) is None
    # 2 × 3/4 + 3 × 6/9 = 3.5 over weights 5; « sans objet » counts in neither.
    assert weighted_total(CASES[2]) == 70.0
    assert weighted_total(CASES[3]) == 0.0
    assert weighted_total(CASES[4]) == 100.0
    assert weighted_total(CASES[5]) == 12.5
    assert str(tenths(12.5)) == "12.5"
    assert str(tenths(62.25)) == "62.3"  # halves up, as floatformat (round() would say 62.2)
    assert str(tenths(41.666666666666664)) == "41.7"
    assert str(tenths(99.96)) == "100.0"
    assert tenths(7.0) == Decimal("7.0")


def test_scoring_and_ranking_use_the_same_total():
    class Criterion:
        def __init__(self, pk, weight, low, high):
            self.pk, self.weight, self.scale_min, self.scale_max = pk, weight, low, high

    for marks in CASES:
        criteria = [
            Criterion(i + 1, m.weight, m.scale_min, m.scale_max) for i, m in enumerate(marks)
        ]
        values = {i + 1: m.value for i, m in enumerate(marks)}
        expected = weighted_total(marks)
        assert scoring.weighted_total(values, criteria) == expected
        by_id = {
            c.pk: ranking.Criterion(c.pk, "", c.weight, c.scale_min, c.scale_max) for c in criteria
        }
        assert ranking.juror_total(by_id, values) == expected


def test_the_page_preview_gives_the_same_totals_as_the_server():
    node = shutil.which("node")
    assert node, "node is installed by `make setup` (package.json); the preview is tested with it"
    completed = subprocess.run(
        [node, "-e", NODE_RUNNER, str(SCORING_JS)],
        input=json.dumps([[list(mark) for mark in marks] for marks in CASES]),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    answers = json.loads(completed.stdout)
    assert len(answers) == len(CASES)
    for marks, (js_total, js_tenths) in zip(CASES, answers, strict=True):
        total = weighted_total(marks)
        # Bit for bit: JSON carries the shortest repr of each double, as Python's repr does.
        assert js_total == total, marks
        assert js_tenths == (None if total is None else str(tenths(total))), marks
