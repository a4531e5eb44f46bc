"""Risk area timings: AIA scoring, the questionnaire CLI and the decision over a full checklist.

    PYTHONPATH=. python benchmarks/bench_risk.py   (from the repository root)

1. ``score_answers`` on 10,000 random AIA v1.0.1 answer sets (validation excluded), per set.
2. ``validate + score`` (``parse_answers`` then ``assess``) on the same sets, per set.
3. ``auditkit questionnaire score`` in a fresh interpreter on the example answers (wall time,
   best of 5): what a user waits for.
4. ``run_risk`` (questionnaire, tier, 78 item states with evidence lookups, decision) on the
   example's configuration with synthetic findings, best of 20.

There is no external anchor for these (the official AIA tool runs in a browser); the figures show
the risk area adds nothing noticeable to a review.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from auditkit._config import load_config
from auditkit._findings import Finding
from auditkit.risk._aia import load_bank, score_answers
from auditkit.risk._playbook import load_playbook
from auditkit.risk._questionnaire import assess, load_answers, parse_answers
from auditkit.risk._review import run_risk

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "audits" / "demand-forecast"


def random_sets(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    bank = load_bank()
    sets = []
    for _ in range(n):
        data: dict = {}
        for q in bank.scored:
            if rng.random() < 0.8:
                if q.type == "checkbox":
                    data[q.name] = rng.sample(list(q.values), rng.randint(0, len(q.values)))
                else:
                    data[q.name] = rng.choice(q.values)
        sets.append(data)
    return sets


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    sets = random_sets(10_000)
    start = time.perf_counter()
    for data in sets:
        score_answers(data)
    per_set = (time.perf_counter() - start) / len(sets)
    print(f"score_answers: {per_set * 1e6:.0f} µs per answer set (10,000 random sets)")

    start = time.perf_counter()
    for data in sets:
        assess(parse_answers({"aia": data}))
    per_set = (time.perf_counter() - start) / len(sets)
    print(f"parse_answers + assess: {per_set * 1e6:.0f} µs per answer set")

    command = [
        sys.executable,
        "-m",
        "auditkit",
        "questionnaire",
        "score",
        str(EXAMPLE / "cuestionario.yaml"),
        "--format",
        "json",
    ]
    wall = best(lambda: subprocess.run(command, check=True, capture_output=True, cwd=ROOT), 5)
    print(f"auditkit questionnaire score (fresh interpreter): {wall:.2f} s")

    playbook = load_playbook()
    findings = [
        Finding(
            id=f"{i.auto_check}.x",
            check=str(i.auto_check),
            item=i.id,
            area="x",
            status="pass",
            severity="info",
            message="x",
        )
        for i in playbook.items
        if i.check == "auto" and not i.id.startswith("INT")
    ]
    config = load_config(EXAMPLE / "audit-riesgo.yaml")
    answers = load_answers(EXAMPLE / "cuestionario.yaml")
    seconds = best(lambda: run_risk(config, findings, answers=answers), 20)
    print(f"run_risk (78 items, decision): {seconds * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
