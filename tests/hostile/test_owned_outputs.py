"""compare -o and register -o write only their own files: a stranger's file is never replaced.

A folder shared with other files (a transparency folder, a shared drive) keeps everything that
auditkit did not write; a file of an output's name is replaced only when the ledger
(``auditkit-outputs.json``) recognises its content. Every refusal exits 2 and changes nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit._errors import InputDataError
from auditkit._owned import LEDGER_NAME, write_owned_files
from auditkit.cli import app
from tests.hostile._sandbox import snapshot
from tests.register.conftest import EXAMPLE

runner = CliRunner()
OUTPUTS = {"compare.csv": b"a,b\n1,2\n", "compare.html": b"<p>hi</p>\n"}


def test_a_new_folder_then_a_second_run_replaces_its_own_files(tmp_path: Path):
    out = tmp_path / "cmp"
    write_owned_files(OUTPUTS, out)
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")  # a neighbour, never touched
    write_owned_files({**OUTPUTS, "compare.csv": b"a,b\n3,4\n"}, out)
    assert (out / "compare.csv").read_bytes() == b"a,b\n3,4\n"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    ledger = json.loads((out / LEDGER_NAME).read_text(encoding="utf-8"))
    assert sorted(ledger["files"]) == ["compare.csv", "compare.html"]
    assert all(len(hashes) == 1 for hashes in ledger["files"].values())


@pytest.mark.parametrize("how", ["user-file", "edited", "link", "folder", "foreign-ledger"])
def test_a_file_auditkit_did_not_write_is_never_replaced(tmp_path: Path, how: str):
    out = tmp_path / "cmp"
    (tmp_path / "secret.txt").write_text("keep\n", encoding="utf-8")
    if how == "user-file":
        out.mkdir()
        (out / "compare.csv").write_text("my own table\n", encoding="utf-8")
    elif how == "edited":
        write_owned_files(OUTPUTS, out)
        (out / "compare.html").write_text("<p>edited by hand</p>\n", encoding="utf-8")
    elif how == "link":
        out.mkdir()
        os.symlink(tmp_path / "secret.txt", out / "compare.csv")
    elif how == "folder":
        (out / "compare.csv").mkdir(parents=True)
    else:  # a planted ledger that "recognises" a user's file, in another schema
        out.mkdir()
        (out / "compare.csv").write_text("my own table\n", encoding="utf-8")
        (out / LEDGER_NAME).write_text('{"files": {"compare.csv": ["x"]}}', encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(InputDataError, match="auditkit") as caught:
        write_owned_files(OUTPUTS, out)
    assert str(out) in caught.value.message
    assert snapshot(tmp_path) == before  # nothing written, nothing removed, no staging left


def test_a_planted_ledger_cannot_name_what_is_removed(tmp_path: Path):
    """The ledger only recognises content; names come from the command, never from the ledger."""
    out = tmp_path / "cmp"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    import hashlib

    digest = hashlib.sha256(b"keep\n").hexdigest()
    planted = {
        "schema": "auditkit.outputs/1",
        "files": {"../victim.txt": [digest], "compare.png": [digest]},
    }
    (out / LEDGER_NAME).write_text(json.dumps(planted), encoding="utf-8")
    write_owned_files(OUTPUTS, out, retired=["compare.png"])
    assert victim.read_text(encoding="utf-8") == "keep\n"
    ledger = json.loads((out / LEDGER_NAME).read_text(encoding="utf-8"))
    assert "../victim.txt" not in ledger["files"]


def test_a_retired_file_is_removed_only_when_recognised(tmp_path: Path):
    out = tmp_path / "cmp"
    write_owned_files({**OUTPUTS, "compare.png": b"png"}, out)
    write_owned_files(OUTPUTS, out, retired=["compare.png"])  # no equity gap this time
    assert not (out / "compare.png").exists()
    (out / "compare.png").write_bytes(b"a user's own chart")
    write_owned_files(OUTPUTS, out, retired=["compare.png"])
    assert (out / "compare.png").read_bytes() == b"a user's own chart"


def test_register_into_a_folder_with_a_users_notice_exits_2(tmp_path: Path):
    bundle = tmp_path / "pilot"
    import shutil

    shutil.copytree(EXAMPLE / "audit", bundle / "audit")
    shutil.copytree(EXAMPLE / "docs", bundle / "docs")
    out = tmp_path / "transparency"
    out.mkdir()
    (out / "notice.md").write_text("# Our own notice, written by the office\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = runner.invoke(app, ["register", str(bundle / "audit"), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "notice.md is already there and auditkit did not write it" in result.output
    assert snapshot(tmp_path) == before
    (out / "notice.md").unlink()
    assert runner.invoke(app, ["register", str(bundle / "audit"), "-o", str(out)]).exit_code == 0
    # and again: it recognises its own files
    assert runner.invoke(app, ["register", str(bundle / "audit"), "-o", str(out)]).exit_code == 0
