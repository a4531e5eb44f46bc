"""verify covers the manifest: edits to it, or to the documents it lists, never verify OK.

A real review is written once per test; each case edits the bundle the way someone hiding a
change would (emptying the manifest's inputs, changing its version, emptying it, pointing it
outside the folder) and expects exit 1 (or 2 for a manifest that is not one), no traceback, and
never a file opened outside the bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile._sandbox import assert_clean_exit, invoke, make_project

Tamper = Callable[[Path], None]


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A review's output folder, intact."""
    project = make_project(tmp_path / "sandbox")
    monkeypatch.chdir(tmp_path)
    out = project / "audit"
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out), "-q"])
    assert_clean_exit(result, 0)
    return out


def _edit_manifest(out: Path, change: Callable[[dict], None]) -> None:
    manifest = json.loads((out / "manifest.json").read_text())
    change(manifest)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rewrite_listed(out: Path, name: str, change: Callable[[dict], None]) -> None:
    """Edit a listed JSON document and update its hash in the manifest, as a forger would."""
    document = json.loads((out / name).read_text())
    change(document)
    data = json.dumps(document, indent=2).encode()
    (out / name).write_bytes(data)
    _edit_manifest(out, lambda m: m["files"][name].update(sha256=_sha(data), bytes=len(data)))


def empty_inputs(out: Path) -> None:
    _edit_manifest(out, lambda m: m.update(inputs=[]))


def drop_inputs(out: Path) -> None:
    _edit_manifest(out, lambda m: m.pop("inputs"))


def other_input_hash(out: Path) -> None:
    _edit_manifest(out, lambda m: m["inputs"][0].update(sha256="0" * 64))


def other_version(out: Path) -> None:
    _edit_manifest(out, lambda m: m.update(auditkit_version="9.9.9"))


def empty_files(out: Path) -> None:
    _edit_manifest(out, lambda m: m.update(files={}))
    for path in out.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        elif path.name != "manifest.json":
            path.unlink()


def drop_findings_from_manifest(out: Path) -> None:
    (out / "findings.json").unlink()
    _edit_manifest(out, lambda m: m["files"].pop("findings.json"))


def findings_inputs_forged(out: Path) -> None:
    _rewrite_listed(out, "findings.json", lambda d: d["inputs"][0].update(sha256="1" * 64))


def decision_inputs_forged(out: Path) -> None:
    _rewrite_listed(out, "decision.json", lambda d: d.update(inputs=[]))


def decision_inputs_removed(out: Path) -> None:
    _rewrite_listed(out, "decision.json", lambda d: d.pop("inputs"))


def lists_absolute_path(out: Path) -> None:
    _edit_manifest(out, lambda m: m["files"].update({"/etc/hostname": {"sha256": "0" * 64}}))


def lists_dev_zero(out: Path) -> None:
    _edit_manifest(out, lambda m: m["files"].update({"/dev/zero": {"sha256": "0" * 64}}))


def lists_dotdot(out: Path) -> None:
    _edit_manifest(out, lambda m: m["files"].update({"../audit.yaml": {"sha256": "0" * 64}}))


def report_replaced_by_link(out: Path) -> None:
    data = (out / "report.md").read_bytes()
    outside = out.parent / "copy.md"
    outside.write_bytes(data)
    (out / "report.md").unlink()
    (out / "report.md").symlink_to(outside)


def link_to_folder_added(out: Path) -> None:
    (out / "up").symlink_to("..")


def hidden_file_added(out: Path) -> None:
    (out / ".note").write_text("x")


TAMPERED: list[tuple[str, Tamper, str]] = [
    ("manifest inputs emptied", empty_inputs, "inputs listed in manifest.json differ"),
    ("manifest inputs removed", drop_inputs, "'inputs' is missing"),
    ("an input hash changed", other_input_hash, "inputs listed in manifest.json differ"),
    ("manifest version changed", other_version, "auditkit version"),
    ("manifest emptied, files removed", empty_files, "lists no findings.json"),
    ("findings.json dropped", drop_findings_from_manifest, "lists no findings.json"),
    ("findings inputs forged, hash updated", findings_inputs_forged, "findings.json"),
    ("decision inputs forged, hash updated", decision_inputs_forged, "decision.json"),
    ("decision inputs removed, hash updated", decision_inputs_removed, "names no inputs"),
    ("lists an absolute path", lists_absolute_path, "outside the folder"),
    ("lists /dev/zero", lists_dev_zero, "outside the folder"),
    ("lists ../audit.yaml", lists_dotdot, "outside the folder"),
    ("report replaced by a link", report_replaced_by_link, "changed: report.md"),
    ("link to a folder added", link_to_folder_added, "extra: up"),
    ("hidden file added", hidden_file_added, "extra: .note"),
]


@pytest.mark.parametrize(
    ("tamper", "match"), [t[1:] for t in TAMPERED], ids=[t[0] for t in TAMPERED]
)
def test_tampered_bundle_does_not_verify(bundle: Path, tamper: Tamper, match: str) -> None:
    """Exit 1, the problem named, the digest printed; no traceback."""
    tamper(bundle)
    result = invoke(["verify", str(bundle)])
    assert_clean_exit(result, 1)
    assert match in result.output
    assert "TAMPERED" in result.output and "OK:" not in result.output
    assert re.search(r"Bundle digest \(SHA-256 of manifest\.json\): [0-9a-f]{64}", result.output)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("", "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"schema": "auditkit.manifest/2", "files": {}}', "not an auditkit manifest"),
        ('{"schema": "auditkit.manifest/1", "files": {"a": 1}}', "not an auditkit manifest"),
    ],
    ids=["empty file", "deeply nested", "other schema version", "files without hashes"],
)
def test_a_manifest_that_is_not_one_is_exit_2(bundle: Path, content: str, match: str) -> None:
    """A manifest that cannot be a review's is an input error: exit 2, never OK."""
    (bundle / "manifest.json").write_text(content)
    result = invoke(["verify", str(bundle)])
    assert_clean_exit(result, 2)
    assert match in result.output


def test_manifest_that_is_a_device_is_refused(bundle: Path) -> None:
    """manifest.json linked to /dev/zero: refused at once, not read forever."""
    (bundle / "manifest.json").unlink()
    (bundle / "manifest.json").symlink_to("/dev/zero")
    result = invoke(["verify", str(bundle)])
    assert_clean_exit(result, 2)


def test_digest_is_printed_by_review_and_checked_by_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest review prints is the manifest's SHA-256; verify --digest accepts only it."""
    project = make_project(tmp_path / "sandbox")
    monkeypatch.chdir(tmp_path)
    out = project / "audit"
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out), "--lang", "en"])
    assert_clean_exit(result, 0)
    printed = re.search(
        r"Bundle digest \(SHA-256 of manifest\.json\): ([0-9a-f]{64})", result.output
    )
    assert printed is not None
    digest = printed.group(1)
    assert digest == _sha((out / "manifest.json").read_bytes())
    assert_clean_exit(invoke(["verify", str(out), "--digest", digest]), 0)
    assert_clean_exit(invoke(["verify", str(out), "--digest", "0" * 64]), 1)
    assert_clean_exit(invoke(["verify", str(out), "--digest", "abc"]), 2)
    summary = invoke(
        ["review", "-c", str(project / "audit.yaml"), "-o", str(tmp_path / "j"), "--format", "json"]
    )
    assert json.loads(summary.stdout)["bundle_sha256"] == _sha(
        (tmp_path / "j" / "manifest.json").read_bytes()
    )


def test_documents_name_the_same_inputs(bundle: Path) -> None:
    """findings.json, decision.json and manifest.json list the same inputs and hashes."""
    manifest = json.loads((bundle / "manifest.json").read_text())
    findings = json.loads((bundle / "findings.json").read_text())
    decision = json.loads((bundle / "decision.json").read_text())
    predictions = bundle.parent / "predictions.csv"
    assert manifest["inputs"] == findings["inputs"] == decision["inputs"]
    assert manifest["inputs"][0]["sha256"] == _sha(predictions.read_bytes())


def test_findings_are_byte_identical_across_reruns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same inputs: findings.json byte-identical in a new folder and over the earlier bundle."""
    project = make_project(tmp_path / "sandbox")
    monkeypatch.chdir(tmp_path)
    outputs = []
    for out, epoch in (
        (project / "a", "1767225600"),
        (project / "b", "1767312000"),
        (project / "a", "1767398400"),
    ):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        assert_clean_exit(
            invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out), "-q"]), 0
        )
        outputs.append((out / "findings.json").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert sorted(os.listdir(project / "a")) == sorted(os.listdir(project / "b"))


def test_the_digest_line_speaks_the_reviews_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Spanish review prints the digest in Spanish, the same hash as the manifest's."""
    project = make_project(tmp_path / "sandbox")
    monkeypatch.chdir(tmp_path)
    out = project / "audit"
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out), "--lang", "es"])
    assert_clean_exit(result, 0)
    printed = re.search(
        r"Huella del paquete \(SHA-256 de manifest\.json\): ([0-9a-f]{64})", result.output
    )
    assert printed is not None and printed.group(1) == _sha((out / "manifest.json").read_bytes())
