"""A sandbox for hostile cases: a small project, a snapshot of every file, a hang guard.

Each case runs the CLI in-process (``CliRunner``) inside a sandbox folder that also holds
files a careless or hostile run could reach (``victim.txt``, a sibling folder). The snapshot
records every entry under the sandbox without following links (type, bytes, link target), so a
test can assert that nothing outside ``--out`` changed, byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from auditkit.cli import app

AUDIT = """\
pilot: {name: Alertas, task: classification, city: Recife, country: BR, language: pt}
data:
  predictions: predictions.csv
  y_true: y
  y_pred: p
  groups: [zone]
fairness:
  metrics: [selection_rate]
  bootstrap: 20
"""

# A hang must fail the test, not the session: this is a guard, not a speed measurement.
HANG_SECONDS = 60


def predictions(rows: int = 300, zones: Sequence[str] = ("norte", "sul", "leste")) -> str:
    lines = ["y,p,zone"]
    for i in range(rows):
        y = int(i % 5 < 2)
        lines.append(f"{y},{y if i % 7 else 1 - y},{zones[i % len(zones)]}")
    return "\n".join(lines) + "\n"


def make_project(sandbox: Path, audit: str = AUDIT) -> Path:
    """``sandbox/project`` with audit.yaml and predictions.csv, and a victim file beside it."""
    project = sandbox / "project"
    project.mkdir(parents=True)
    (project / "predictions.csv").write_text(predictions(), encoding="utf-8")
    (project / "audit.yaml").write_text(audit, encoding="utf-8")
    (sandbox / "victim.txt").write_text("keep me\n", encoding="utf-8")
    (sandbox / "other").mkdir()
    (sandbox / "other" / "notes.md").write_text("# my notes\n", encoding="utf-8")
    return project


def snapshot(root: Path, *, skip: Path | None = None) -> dict[str, tuple[str, str]]:
    """Every entry under ``root`` (links not followed): kind and content hash or link target."""
    entries: dict[str, tuple[str, str]] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if skip is not None and (path == skip or skip in path.parents):
                continue
            relative = path.relative_to(root).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                entries[relative] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                entries[relative] = ("dir", "")
            elif stat.S_ISREG(mode):
                entries[relative] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                entries[relative] = ("other", "")
    return entries


class Hung(BaseException):
    """Raised by the hang guard (a BaseException, so no ``except Exception`` swallows it)."""


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def stop(_signum: int, _frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def invoke(args: Sequence[str], *, env: dict[str, str] | None = None) -> Result:
    """Run ``auditkit ARGS`` in-process under the hang guard."""
    with hang_guard():
        return CliRunner().invoke(app, list(args), env=env)


def assert_clean_exit(result: Result, code: int) -> None:
    """The documented exit code, and no traceback in the output."""
    output = result.output
    assert result.exit_code == code, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in output, output
