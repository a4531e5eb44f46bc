"""Many first-use writers on one new SQLite MLflow store: every one logs, the store is whole.

The first creation of a SQLite store is serialised by a lock on a sibling file and the store is
migrated under a temporary name, then renamed into place; a creator that dies mid-migration
leaves no store at all rather than a half-migrated one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditkit._errors import TrackingError
from auditkit.tracking import _store
from auditkit.tracking._store import check_tracking_uri, tracking_client
from tests.hostile._sandbox import assert_clean_exit, invoke, make_project

WRITERS = 12


def _bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = make_project(tmp_path / "sandbox")
    monkeypatch.chdir(tmp_path)
    out = project / "audit"
    assert_clean_exit(
        invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(out), "-q"]), 0
    )
    return out


@pytest.mark.slow
def test_concurrent_first_use_writers_all_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """12 `auditkit log` processes started at once on a new SQLite file: 12 runs, all exit 0."""
    from mlflow import MlflowClient

    out = _bundle(tmp_path, monkeypatch)
    database = tmp_path / "new" / "mlflow.db"
    database.parent.mkdir()
    uri = f"sqlite:///{database}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    command = [sys.executable, "-m", "auditkit", "log", str(out), "--tracking-uri", uri]
    writers = [
        subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(WRITERS)
    ]
    outputs = [writer.communicate(timeout=600)[0].decode() for writer in writers]
    for writer, output in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, output
        assert "Traceback" not in output
    client = MlflowClient(tracking_uri=uri)
    experiments = [e.experiment_id for e in client.search_experiments()]
    runs = client.search_runs(experiments, max_results=100)
    assert len(runs) == WRITERS
    assert {run.info.status for run in runs} == {"FINISHED"}
    assert not [p for p in database.parent.iterdir() if ".creating-" in p.name]


@pytest.mark.slow
def test_a_creator_that_dies_leaves_no_half_migrated_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while the store is being created leaves no store file, so the next run starts clean."""
    database = tmp_path / "mlflow.db"
    real_open = _store._open

    def dies(uri: str) -> object:
        real_open(uri)  # the temporary store is fully migrated ...
        raise KeyboardInterrupt  # ... and the process is stopped before the rename

    monkeypatch.setattr(_store, "_open", dies)
    with pytest.raises(KeyboardInterrupt):
        tracking_client(f"sqlite:///{database}")
    assert not database.exists()
    assert not [p for p in tmp_path.iterdir() if ".creating-" in p.name]
    monkeypatch.setattr(_store, "_open", real_open)
    client, _uri = tracking_client(f"sqlite:///{database}")
    assert database.stat().st_size > 0
    assert [e.name for e in client.search_experiments()] == ["Default"]


@pytest.mark.slow
def test_an_empty_store_file_is_created_in_place(tmp_path: Path) -> None:
    """`touch mlflow.db` then log: the empty file is replaced by a complete store."""
    database = tmp_path / "mlflow.db"
    database.touch()
    client, _uri = tracking_client(f"sqlite:///{database}")
    assert [e.name for e in client.search_experiments()] == ["Default"]


@pytest.mark.parametrize(
    "uri", ["ftp://x", "s3://bucket/x", "mlflow.db", "", "sqlite:////no/such/folder/mlflow.db"]
)
def test_unusable_tracking_uris_are_refused_before_any_work(uri: str) -> None:
    """Schemes MLflow cannot log to, and SQLite files in missing folders: a TrackingError."""
    with pytest.raises(TrackingError, match="--tracking-uri"):
        check_tracking_uri(uri)


def test_defaults_apply_to_library_callers_and_yield_to_the_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """TRACKING_DEFAULTS are set inside the block only, never over the user's own values."""
    monkeypatch.delenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", raising=False)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "5")
    with _store.tracking_defaults():
        assert os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] == "2"
        assert os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] == "5"
    assert "MLFLOW_HTTP_REQUEST_MAX_RETRIES" not in os.environ
