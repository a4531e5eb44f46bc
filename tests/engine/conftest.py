"""Real engines for tests/engine: a PostgreSQL cluster (the tracking tests' helpers) and Spark."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tracking.conftest import _as_postgres, _free_port, _pg_bin


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server on loopback with an empty database ``pilots``; stopped at the end."""
    base = Path(tempfile.mkdtemp(prefix="auditkit-engine-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres")
    port = _free_port()
    pg_ctl = _pg_bin("pg_ctl")
    initdb = [
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
    subprocess.run(_as_postgres(initdb), check=True, capture_output=True)
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = [pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "pg.log"), "-w", "start"]
    subprocess.run(_as_postgres(start), check=True, capture_output=True)
    try:
        create = [
            _pg_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "pilots",
        ]
        subprocess.run(create, check=True, capture_output=True)
        yield f"postgresql://postgres@127.0.0.1:{port}/pilots"
    finally:
        stop = [pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]
        subprocess.run(_as_postgres(stop), check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# the Spark tests' marks (each module also skips without the extra)
SPARK_MARKS = [
    pytest.mark.slow,  # a JVM starts
    # py4j leaves its gateway sockets to the garbage collector
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for every Spark test (Java 17 and the spark extra)."""
    pytest.importorskip("pyspark", reason="PySpark is an optional extra: pip install -e '.[spark]'")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("auditkit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield session
    session.stop()
