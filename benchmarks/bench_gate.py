"""Benchmark: the publishing gate (``check_publishable``) on a written review bundle.

    python benchmarks/bench_gate.py BUNDLE_FOLDER [--repeat 20] [--with-manifest] [--per-file]

Reads every file the bundle's ``manifest.json`` lists (the outputs ``write_review`` passes to the
gate; ``--with-manifest`` adds ``manifest.json`` itself, as a single file to scan) and times:

* the first call in ``--cold`` fresh interpreters that have loaded numpy and pyarrow, as a
  review has when it reaches the gate (first-use costs included: regular expressions compiled,
  phonenumbers loaded), and whether it imported pandas;
* the median and best of ``--repeat`` further calls in this interpreter (warm);
* with ``--per-file``, the warm median of the gate on each file alone.

Times are CPU seconds of the process (``time.process_time``), steadier than wall time on a
shared machine; the first call also shows its wall time.

A bundle to time: ``auditkit review`` of ``benchmarks/bench_scale.py``'s table (see its docstring)
or of an example audit. The gate's target on the 10^6-row benchmark bundle is 0.08 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_FIRST_CALL = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
folder = Path({folder!r})
names = {names!r}
outputs = {{name: (folder / name).read_bytes() for name in names}}
country = {country!r}
import numpy, pyarrow, pyarrow.compute  # loaded by any review before its gate runs
from auditkit.privacy import check_publishable
from auditkit.privacy._publish import declared_in_decision
start, cpu = time.perf_counter(), time.process_time()
check_publishable(outputs, country=country, public=declared_in_decision(outputs))
print(json.dumps({{"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "pandas": "pandas" in sys.modules}}))
"""


def bundle_names(folder: Path, *, with_manifest: bool) -> list[str]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    names = sorted(manifest["files"])
    return [*names, "manifest.json"] if with_manifest else names


def first_call(folder: Path, names: list[str], country: str | None) -> dict[str, object]:
    code = _FIRST_CALL.format(root=str(ROOT), folder=str(folder), names=names, country=country)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def warm(outputs: dict[str, bytes], country: str | None, repeat: int) -> tuple[float, float]:
    """(median, best) CPU seconds of the gate, after a first call."""
    from auditkit.privacy import check_publishable
    from auditkit.privacy._publish import declared_in_decision

    public = declared_in_decision(outputs)
    check_publishable(outputs, country=country, public=public)
    times = []
    for _ in range(repeat):
        start = time.process_time()
        check_publishable(outputs, country=country, public=public)
        times.append(time.process_time() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--cold", type=int, default=3, help="fresh interpreters to time")
    parser.add_argument("--with-manifest", action="store_true")
    parser.add_argument("--per-file", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # run from a checkout
    folder: Path = args.folder
    names = bundle_names(folder, with_manifest=args.with_manifest)
    outputs = {name: (folder / name).read_bytes() for name in names}
    findings = json.loads(outputs.get("findings.json", b"{}") or b"{}")
    country = (findings.get("pilot") or {}).get("country")
    size = sum(len(v) for v in outputs.values())
    print(f"{len(outputs)} files, {size / 1024:.0f} KB, country={country}")
    for _ in range(args.cold):
        cold = first_call(folder, names, country)
        print(f"first call (fresh interpreter): {cold['cpu']:.3f} s CPU", end="")
        print(f" ({cold['seconds']:.3f} s wall), pandas imported: {cold['pandas']}")
    median, best = warm(outputs, country, args.repeat)
    print(f"later calls: {median:.4f} s CPU median of {args.repeat}, best {best:.4f} s")
    if args.per_file:
        for name in names:
            median, _ = warm({name: outputs[name]}, country, max(args.repeat // 4, 3))
            print(f"  {median:.4f} s  {len(outputs[name]) / 1024:7.1f} KB  {name}")


if __name__ == "__main__":
    main()
