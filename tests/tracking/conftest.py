"""MLflow fixtures: a pre-migrated SQLite store, and a real PostgreSQL-backed tracking server.

The SQLite store is migrated once per session and copied per test (migrating takes seconds).
The server fixture (an advisors' shared server) starts PostgreSQL (Debian's ``postgresql``
package: ``initdb``/``pg_ctl``; as root they run through ``runuser -u postgres``, which PostgreSQL
requires) and ``mlflow server`` on free loopback ports with proxied artifact storage
(``--serve-artifacts``), and stops both at the end of the session. Only the slow tests use it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from auditkit.report import write_review
from tests.report.samples import sample_review

WHEN = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLflow SQLite database with every migration applied, made once per session."""
    from mlflow import MlflowClient

    path = tmp_path_factory.mktemp("mlflow-template") / "mlflow.db"
    here = Path.cwd()
    os.chdir(path.parent)  # the Default experiment's artifact folder is relative to the cwd
    try:
        MlflowClient(tracking_uri=f"sqlite:///{path}").search_experiments()
    finally:
        os.chdir(here)
    return path


@pytest.fixture
def sqlite_uri(migrated_sqlite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh copy of the migrated store; the working folder (./mlruns artifacts) is tmp_path."""
    target = tmp_path / "mlflow.db"
    shutil.copyfile(migrated_sqlite, target)
    monkeypatch.chdir(tmp_path)
    return f"sqlite:///{target}"


@pytest.fixture
def make_bundle(tmp_path: Path) -> Callable[..., Path]:
    """Write a review bundle (the synthetic review of tests/report) and return its folder."""

    def make(name: str = "audit", **changes: object) -> Path:
        review = sample_review(str(changes.pop("lang", "es")), **changes)  # type: ignore[arg-type]
        folder = tmp_path / name
        write_review(review, folder)
        return folder

    return make


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.fail("running as root needs runuser to start PostgreSQL as 'postgres'")
        return [runuser, "-u", "postgres", "--", *command]
    return command


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    pytest.fail(f"PostgreSQL's {name} is not installed: apt-get install -y postgresql")


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"mlflow server exited:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    pytest.fail(f"mlflow server did not answer {url} in {timeout} s:\n{log.read_text()[-3000:]}")


@dataclass(frozen=True)
class SharedServer:
    """An advisors' server: its address, and the server-side folder its artifacts go to."""

    uri: str
    artifacts: Path


@pytest.fixture(scope="session")
def postgres_server(shared_server: SharedServer) -> str:
    """The shared server's http:// URI."""
    return shared_server.uri


@pytest.fixture(scope="session")
def shared_server() -> Iterator[SharedServer]:
    """An MLflow tracking server on PostgreSQL, on loopback, proxying artifacts.

    Clients send artifacts to the server over HTTP (``--serve-artifacts``); the server keeps
    them under ``--artifacts-destination``, a folder no pilot writes to itself.
    """
    base = Path(tempfile.mkdtemp(prefix="auditkit-pg-"))
    data, artifacts = base / "data", base / "artifacts"
    artifacts.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres")
    pg_port, mlflow_port = _free_port(), _free_port()
    pg_ctl = _pg_bin("pg_ctl")
    subprocess.run(
        _as_postgres(
            [
                _pg_bin("initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = (
        f"-p {pg_port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    )
    subprocess.run(
        _as_postgres(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "pg.log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    server = None
    try:
        subprocess.run(
            [
                _pg_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(pg_port),
                "-U",
                "postgres",
                "mlflow",
            ],
            check=True,
            capture_output=True,
        )
        log = base / "mlflow.log"
        mlflow = Path(sys.executable).with_name("mlflow")
        with log.open("wb") as handle:
            server = subprocess.Popen(
                [
                    str(mlflow),
                    "server",
                    "--backend-store-uri",
                    f"postgresql+psycopg2://postgres@127.0.0.1:{pg_port}/mlflow",
                    "--serve-artifacts",
                    "--artifacts-destination",
                    str(artifacts),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(mlflow_port),
                    "--workers",
                    "2",
                ],
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        uri = f"http://127.0.0.1:{mlflow_port}"
        _wait(f"{uri}/health", server, log, timeout=240)
        yield SharedServer(uri=uri, artifacts=artifacts)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)
