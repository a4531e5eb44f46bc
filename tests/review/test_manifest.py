"""manifest.json and ``auditkit verify``: every change, removal or addition is detected."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit._errors import InputDataError
from auditkit._version import __version__
from auditkit.cli import app
from auditkit.review import InputRecord
from auditkit.review._manifest import MANIFEST_NAME, build_manifest, verify_bundle

RECORD = InputRecord(role="predictions", path="data/predictions.csv", sha256="ab" * 32, rows=9)
FILES = {
    # findings.json names the same inputs and version as the manifest (verify cross-checks them)
    "findings.json": json.dumps(
        {"auditkit_version": __version__, "inputs": [RECORD.to_dict()], "summary": {}}
    ).encode(),
    "report.md": "# Informe\n\nDecisión: GO\n".encode(),
    "report.html": b"<!doctype html><title>r</title>\n",
    "figures/fairness_zone.png": bytes(range(256)),
}


def _bundle(folder: Path) -> Path:
    for name, content in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    manifest = build_manifest(FILES, [RECORD], created=datetime(2026, 3, 1, 12, tzinfo=UTC))
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_manifest_hashes_match_an_independent_sha256() -> None:
    """Each listed hash is the SHA-256 of the bytes, with size, versions and the time."""
    manifest = build_manifest(FILES, [], created=datetime(2026, 3, 1, 12, tzinfo=UTC))
    for name, content in FILES.items():
        assert manifest["files"][name] == {
            "sha256": hashlib.sha256(content).hexdigest(),
            "bytes": len(content),
        }
    assert manifest["created"] == "2026-03-01T12:00:00Z"
    assert manifest["libraries"]["numpy"]
    assert manifest["auditkit_version"]


def test_source_date_epoch_pins_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """SOURCE_DATE_EPOCH makes the manifest reproducible too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_manifest(FILES, [])["created"] == "2026-01-01T00:00:00Z"


def test_intact_bundle_verifies(tmp_path: Path) -> None:
    """An untouched bundle passes: exit 0, every file checked."""
    _bundle(tmp_path)
    result = CliRunner().invoke(app, ["verify", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"OK: {len(FILES)} files" in result.output


def _change(folder: Path) -> None:
    path = folder / "report.html"
    path.write_bytes(path.read_bytes().replace(b"r</title>", b"R</title>"))


def _touch_same_content(folder: Path) -> None:
    (folder / "report.md").write_bytes(FILES["report.md"])


TAMPERING: list[tuple[str, Callable[[Path], None], dict[str, list[str]]]] = [
    ("one byte changed", _change, {"changed": ["report.html"]}),
    (
        "figure changed",
        lambda f: (f / "figures/fairness_zone.png").write_bytes(b"x"),
        {"changed": ["figures/fairness_zone.png"]},
    ),
    ("file removed", lambda f: (f / "findings.json").unlink(), {"missing": ["findings.json"]}),
    ("file added", lambda f: (f / "notes.txt").write_text("x"), {"extra": ["notes.txt"]}),
    ("hidden file added", lambda f: (f / ".x").write_text("x"), {"extra": [".x"]}),
    (
        "file added in a sub-folder",
        lambda f: (f / "figures/extra.png").write_bytes(b"x"),
        {"extra": ["figures/extra.png"]},
    ),
    (
        "file replaced by a folder",
        lambda f: (
            (f / "report.md").unlink(),
            (f / "report.md").mkdir(),
            (f / "report.md/a").touch(),
        ),
        {"missing": ["report.md"], "extra": ["report.md/a"]},
    ),
]


@pytest.mark.parametrize(
    ("tamper", "expected"), [t[1:] for t in TAMPERING], ids=[t[0] for t in TAMPERING]
)
def test_tampering_is_detected(
    tmp_path: Path, tamper: Callable[[Path], None], expected: dict[str, list[str]]
) -> None:
    """Any change, removal or addition is reported by name and exits 1."""
    tamper(_bundle(tmp_path))
    check = verify_bundle(tmp_path)
    assert not check.ok
    for kind in ("changed", "missing", "extra"):
        assert getattr(check, kind) == expected.get(kind, [])
    result = CliRunner().invoke(app, ["verify", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["ok"] is False


def test_rewriting_the_same_bytes_is_not_tampering(tmp_path: Path) -> None:
    """Only content counts: a file rewritten with identical bytes still verifies."""
    _touch_same_content(_bundle(tmp_path))
    assert verify_bundle(tmp_path).ok


BAD_FOLDERS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("no folder", lambda p: p / "nope", "does not exist"),
    ("a file", lambda p: (p / "f.txt", (p / "f.txt").write_text("x"))[0], "found a file"),
    ("no manifest", lambda p: p, "has no manifest.json"),
    (
        "manifest not JSON",
        lambda p: (p, (p / MANIFEST_NAME).write_text("{oops"))[0],
        "is not valid JSON",
    ),
    (
        "manifest of something else",
        lambda p: (p, (p / MANIFEST_NAME).write_text('{"files": []}'))[0],
        "is not an auditkit manifest",
    ),
]


@pytest.mark.parametrize(
    ("make", "match"), [b[1:] for b in BAD_FOLDERS], ids=[b[0] for b in BAD_FOLDERS]
)
def test_unverifiable_folders_are_input_errors(
    tmp_path: Path, make: Callable[[Path], Path], match: str
) -> None:
    """A folder without a usable manifest is a clear error with exit 2, not 'tampered'."""
    folder = make(tmp_path)
    with pytest.raises(InputDataError, match=match):
        verify_bundle(folder)
    result = CliRunner().invoke(app, ["verify", str(folder)])
    assert result.exit_code == 2
    assert match in result.output
