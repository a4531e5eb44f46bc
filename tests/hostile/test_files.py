"""Output safety: a review only ever replaces its own earlier bundle inside --out.

Every case runs ``auditkit review`` in a sandbox and compares a snapshot of the whole sandbox
before and after: a refused case changes nothing at all (exit 2, the reason printed); an allowed
case changes nothing outside the --out folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from auditkit.review import _outdir
from tests.hostile._sandbox import assert_clean_exit, invoke, make_project, snapshot

Setup = Callable[[Path, Path], Path]  # (sandbox, project) -> the --out to pass


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder a run may not touch outside --out; the working folder is beside it."""
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    return tmp_path / "sandbox"


def _planted(entries: dict[str, str]) -> str:
    files = {name: {"sha256": sha} for name, sha in entries.items()}
    return json.dumps({"schema": "auditkit.manifest/1", "files": files, "inputs": []})


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def planted_absolute(sandbox: Path, project: Path) -> Path:
    out = project / "out"
    out.mkdir()
    victim = sandbox / "victim.txt"
    (out / "manifest.json").write_text(_planted({str(victim): _sha(victim)}))
    return out


def planted_absolute_bad_hash(sandbox: Path, project: Path) -> Path:
    out = project / "out"
    out.mkdir()
    (out / "manifest.json").write_text(_planted({str(sandbox / "victim.txt"): "x"}))
    return out


def planted_dotdot(sandbox: Path, project: Path) -> Path:
    out = project / "out"
    out.mkdir()
    (out / "manifest.json").write_text(_planted({"../../victim.txt": "x"}))
    return out


def planted_link_to_parent(sandbox: Path, project: Path) -> Path:
    out = project / "out"
    out.mkdir()
    (out / "link").symlink_to("..")
    predictions = project / "predictions.csv"
    (out / "manifest.json").write_text(_planted({"link/predictions.csv": _sha(predictions)}))
    return out


def planted_link_file(sandbox: Path, project: Path) -> Path:
    out = project / "out"
    out.mkdir()
    (out / "report.md").symlink_to(sandbox / "victim.txt")
    victim = sandbox / "victim.txt"
    (out / "manifest.json").write_text(_planted({"report.md": _sha(victim)}))
    return out


def out_is_config_folder_with_manifest(sandbox: Path, project: Path) -> Path:
    names = {n: _sha(project / n) for n in ("audit.yaml", "predictions.csv")}
    (project / "manifest.json").write_text(_planted(names))
    return project


def out_is_parent_of_inputs(sandbox: Path, project: Path) -> Path:
    return sandbox


def out_holds_user_report(sandbox: Path, project: Path) -> Path:
    out = project / "out"
    out.mkdir()
    (out / "report.md").write_text("# my own report\n")
    (out / "findings.json").write_text('{"mine": true}\n')
    return out


def out_is_user_folder_by_link(sandbox: Path, project: Path) -> Path:
    (project / "out").symlink_to(sandbox / "other")
    return project / "out"


def out_is_a_file(sandbox: Path, project: Path) -> Path:
    return sandbox / "victim.txt"


def out_is_an_input(sandbox: Path, project: Path) -> Path:
    return project / "predictions.csv"


def out_under_a_file(sandbox: Path, project: Path) -> Path:
    return sandbox / "victim.txt" / "audit"


def out_name_too_long(sandbox: Path, project: Path) -> Path:
    return sandbox / ("a" * 300)


def out_in_proc(sandbox: Path, project: Path) -> Path:
    return Path("/proc/auditkit-test-out")


def out_holds_fifo(sandbox: Path, project: Path) -> Path:
    out = project / "out"
    out.mkdir()
    os.mkfifo(out / "pipe")
    return out


REFUSED: list[tuple[str, Setup, str]] = [
    ("planted manifest, absolute path", planted_absolute, "never replaces"),
    ("planted manifest, wrong hash", planted_absolute_bad_hash, "never replaces"),
    ("planted manifest, ..", planted_dotdot, "never replaces"),
    ("planted manifest, link to ..", planted_link_to_parent, "holds a link"),
    ("planted manifest, link to a file", planted_link_file, "holds a link"),
    ("-o the config folder", out_is_config_folder_with_manifest, "input of this review"),
    ("-o a parent of the inputs", out_is_parent_of_inputs, "input of this review"),
    ("user's own report.md", out_holds_user_report, "never replaces"),
    ("--out links to a user folder", out_is_user_folder_by_link, "never replaces"),
    ("--out is a file", out_is_a_file, "not a folder"),
    ("--out is an input", out_is_an_input, "input of this review"),
    ("--out under a file", out_under_a_file, "not a folder"),
    ("--out name of 300 bytes", out_name_too_long, "longer than"),
    ("--out in /proc", out_in_proc, "could not be written"),
    ("--out holds a FIFO", out_holds_fifo, "not a regular file"),
]


@pytest.mark.parametrize(("setup", "match"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_refused_out_touches_nothing(sandbox: Path, setup: Setup, match: str) -> None:
    """Refused with exit 2 and the reason; not one byte changes anywhere in the sandbox."""
    project = make_project(sandbox)
    out = setup(sandbox, project)
    before = snapshot(sandbox)
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out)])
    assert_clean_exit(result, 2)
    assert match in result.output
    assert snapshot(sandbox) == before


@pytest.mark.parametrize("where", ["cwd", "cwd parent"])
def test_out_containing_the_working_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """``-o .`` (or ``-o ..``) would swap the working folder away: refused."""
    project = make_project(tmp_path / "sandbox")
    monkeypatch.chdir(tmp_path / "sandbox" / "other")
    before = snapshot(tmp_path)
    out = "." if where == "cwd" else ".."
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", out])
    assert_clean_exit(result, 2)
    assert snapshot(tmp_path) == before


def _review(project: Path, out: Path) -> None:
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out), "-q"])
    assert_clean_exit(result, 0)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda out: (out / "report.md").write_text("# edited by hand\n"), "report.md"),
        (lambda out: (out / "notes.txt").write_text("mine\n"), "notes.txt"),
        (
            lambda out: (
                (out / "mine").mkdir(exist_ok=True) or (out / "mine" / "a.png").write_bytes(b"x")
            ),
            "a.png",
        ),
    ],
    ids=["edited report", "added file", "added file in a sub-folder"],
)
def test_changed_earlier_bundle_is_not_replaced(
    sandbox: Path, change: Callable[[Path], object], match: str
) -> None:
    """A file the earlier review did not write (or that was edited since) is never replaced."""
    project = make_project(sandbox)
    out = project / "audit"
    _review(project, out)
    change(out)
    before = snapshot(sandbox)
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out)])
    assert_clean_exit(result, 2)
    assert match in result.output
    assert snapshot(sandbox) == before


@pytest.mark.parametrize("layout", ["new", "empty", "earlier bundle", "link to empty folder"])
def test_allowed_out_changes_only_out(sandbox: Path, layout: str) -> None:
    """New, empty, an earlier bundle or a link to an empty folder: only --out changes."""
    project = make_project(sandbox)
    tmp_path = sandbox
    out = project / "audit"
    real = out
    if layout == "empty":
        out.mkdir()
    elif layout == "earlier bundle":
        _review(project, out)
    elif layout == "link to empty folder":
        real = tmp_path / "elsewhere"
        real.mkdir()
        out.symlink_to(real)
    before = snapshot(tmp_path, skip=real)
    _review(project, out)
    assert snapshot(tmp_path, skip=real) == before
    assert sorted(p.name for p in real.iterdir()) == [
        "decision.json",
        "figures",
        "findings.json",
        "manifest.json",
        "report.html",
        "report.md",
    ]
    assert_clean_exit(invoke(["verify", str(out)]), 0)
    # no staging or old folder left next to --out
    assert not [p for p in real.parent.iterdir() if p.name.startswith(".")]


def test_ctrl_c_during_the_swap_leaves_the_new_bundle_whole(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C arriving mid-swap is held until the swap is done: the bundle is whole."""
    project = make_project(sandbox)
    out = project / "audit"
    _review(project, out)
    real_exchange = _outdir._exchange

    def interrupted(first: Path, second: Path) -> bool:
        os.kill(os.getpid(), signal.SIGINT)
        return real_exchange(first, second)

    monkeypatch.setattr(_outdir, "_exchange", interrupted)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out)])
    assert_clean_exit(result, 130)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["created"] == "2026-01-01T00:00:00Z"  # the new bundle, complete
    assert_clean_exit(invoke(["verify", str(out)]), 0)


def test_failed_second_rename_restores_the_old_bundle(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the one-step exchange, a failure between the two renames puts the old bundle back."""
    project = make_project(sandbox)
    out = project / "audit"
    _review(project, out)
    before = snapshot(sandbox)
    monkeypatch.setattr(_outdir, "_exchange", lambda first, second: False)
    real_rename = os.rename

    def failing(source: object, target: object) -> None:
        if ".audit-new-" in str(source):
            raise KeyboardInterrupt
        real_rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(_outdir.os, "rename", failing)
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out)])
    assert_clean_exit(result, 130)
    assert snapshot(sandbox) == before


def test_output_names_must_stay_inside() -> None:
    """An area can never name a file outside the bundle."""
    for name in ["/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a\\b", "", "x\x00"]:
        with pytest.raises(ValueError, match="unsafe output file name"):
            _outdir.check_output_name(name)
    assert _outdir.check_output_name("figures/zone.svg") == "figures/zone.svg"
