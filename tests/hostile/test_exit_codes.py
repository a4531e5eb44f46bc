"""Every usage and input error ends in exit code 2 and a message, never a traceback.

Exit codes, for every command: 0 ok, 1 the gate failed (verify: the bundle differs; scan:
personal data found), 2 a usage or input error, 130 Ctrl-C.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from auditkit.review import _run
from tests.hostile._sandbox import (
    AUDIT,
    assert_clean_exit,
    invoke,
    make_project,
    predictions,
    snapshot,
)

Case = Callable[[Path], list[str]]  # project -> arguments of auditkit


def _review(project: Path, *extra: str) -> list[str]:
    return ["review", "-c", str(project / "audit.yaml"), "-o", str(project / "audit"), *extra]


def _with_table(project: Path, name: str, content: bytes) -> list[str]:
    (project / name).write_bytes(content)
    (project / "audit.yaml").write_text(AUDIT.replace("predictions.csv", name))
    return _review(project)


def _parquet(project: Path) -> bytes:
    frame = pd.read_csv(project / "predictions.csv", dtype={"zone": "string"})
    path = project / "tmp.parquet"
    frame.to_parquet(path)
    data = path.read_bytes()
    path.unlink()
    return data


def parquet_corrupt_page(project: Path) -> list[str]:
    data = bytearray(_parquet(project))
    for i in range(8, len(data) // 2):  # the data pages; the footer stays readable
        data[i] = (data[i] * 7 + 3) % 256
    return _with_table(project, "p.parquet", bytes(data))


def parquet_corrupt_footer(project: Path) -> list[str]:
    data = bytearray(_parquet(project))
    for i in range(len(data) - 200, len(data) - 8):
        data[i] ^= 0x5A
    return _with_table(project, "p.parquet", bytes(data))


def parquet_truncated(project: Path) -> list[str]:
    return _with_table(project, "p.parquet", _parquet(project)[:-300])


def parquet_not_parquet(project: Path) -> list[str]:
    return _with_table(project, "p.parquet", b"PAR1 not really\n")


def csv_gz_truncated(project: Path) -> list[str]:
    body = predictions(20_000).encode()
    data = gzip.compress(body)
    return _with_table(project, "p.csv.gz", data[: len(data) // 2])


def csv_gz_not_gzip(project: Path) -> list[str]:
    return _with_table(project, "p.csv.gz", b"y,p,zone\n1,1,a\n")


def csv_not_utf8(project: Path) -> list[str]:
    return _with_table(project, "p.csv", predictions().replace("sul", "s\xfal").encode("latin-1"))


def csv_utf16(project: Path) -> list[str]:
    return _with_table(project, "p.csv", predictions().encode("utf-16"))


def csv_binary(project: Path) -> list[str]:
    return _with_table(project, "p.csv", bytes(range(256)) * 40)


def predictions_folder(project: Path) -> list[str]:
    (project / "folder.csv").mkdir()
    (project / "audit.yaml").write_text(AUDIT.replace("predictions.csv", "folder.csv"))
    return _review(project)


def predictions_name_too_long(project: Path) -> list[str]:
    (project / "audit.yaml").write_text(AUDIT.replace("predictions.csv", "p" * 300 + ".csv"))
    return _review(project)


def config_missing(project: Path) -> list[str]:
    return ["review", "-c", str(project / "nope.yaml"), "-o", str(project / "audit")]


def config_not_utf8(project: Path) -> list[str]:
    (project / "audit.yaml").write_bytes(AUDIT.encode("utf-16"))
    return _review(project)


def config_name_too_long(project: Path) -> list[str]:
    return ["review", "-c", str(project / ("c" * 300 + ".yaml")), "-o", str(project / "audit")]


def out_existing_file(project: Path) -> list[str]:
    (project / "report.txt").write_text("mine\n")
    return ["review", "-c", str(project / "audit.yaml"), "-o", str(project / "report.txt")]


def out_in_proc(project: Path) -> list[str]:
    return ["review", "-c", str(project / "audit.yaml"), "-o", "/proc/x"]


def out_in_proc_deeper(project: Path) -> list[str]:
    return ["review", "-c", str(project / "audit.yaml"), "-o", "/proc/self/nope/x"]


def out_name_300(project: Path) -> list[str]:
    return ["review", "-c", str(project / "audit.yaml"), "-o", str(project / ("o" * 300))]


def tracking_ftp(project: Path) -> list[str]:
    return _review(project, "--log-mlflow", "--tracking-uri", "ftp://x")


def tracking_garbage(project: Path) -> list[str]:
    return _review(project, "--log-mlflow", "--tracking-uri", "not a uri")


def tracking_sqlite_missing_folder(project: Path) -> list[str]:
    uri = f"sqlite:///{project}/no/such/folder/mlflow.db"
    return _review(project, "--log-mlflow", "--tracking-uri", uri, "--fail-on", "never")


def scan_utf16(project: Path) -> list[str]:
    (project / "u.csv").write_bytes("email\nana@example.com\n".encode("utf-16"))
    return ["scan", str(project / "u.csv")]


def scan_binary(project: Path) -> list[str]:
    (project / "b.csv").write_bytes(bytes(range(256)) * 100)
    return ["scan", str(project / "b.csv")]


def scan_truncated_gz(project: Path) -> list[str]:
    data = gzip.compress(predictions(20_000).encode())
    (project / "t.csv.gz").write_bytes(data[: len(data) // 2])
    return ["scan", str(project / "t.csv.gz")]


def scan_fifo(project: Path) -> list[str]:
    import os

    os.mkfifo(project / "f.csv")
    return ["scan", str(project / "f.csv")]


def verify_dev_zero(project: Path) -> list[str]:
    return ["verify", "/dev/zero"]


def log_not_a_bundle(project: Path) -> list[str]:
    return ["log", str(project)]


CASES: list[tuple[str, Case, str]] = [
    ("parquet with a corrupt page", parquet_corrupt_page, "Parquet"),
    ("parquet with a corrupt footer", parquet_corrupt_footer, "Parquet"),
    ("truncated parquet", parquet_truncated, "Parquet"),
    ("not parquet", parquet_not_parquet, "Parquet"),
    ("truncated .csv.gz", csv_gz_truncated, "truncated or damaged"),
    (".csv.gz that is not gzip", csv_gz_not_gzip, "p.csv.gz"),
    ("CSV in Latin-1", csv_not_utf8, "p.csv"),
    ("CSV in UTF-16", csv_utf16, "p.csv"),
    ("binary CSV", csv_binary, "p.csv"),
    ("predictions is a folder", predictions_folder, "found a folder"),
    ("predictions name of 300 bytes", predictions_name_too_long, "cannot be read"),
    ("config missing", config_missing, "not found"),
    ("config in UTF-16", config_not_utf8, "UTF-8"),
    ("config name of 300 bytes", config_name_too_long, "File name too long"),
    ("-o an existing file", out_existing_file, "not a folder"),
    ("-o /proc/x", out_in_proc, "/proc/x"),
    ("-o /proc/self/nope/x", out_in_proc_deeper, "/proc/self/nope/x"),
    ("-o a 300-byte name", out_name_300, "longer than"),
    ("--tracking-uri ftp://x", tracking_ftp, "cannot log to the 'ftp' scheme"),
    ("--tracking-uri garbage", tracking_garbage, "--tracking-uri"),
    ("--tracking-uri in a missing folder", tracking_sqlite_missing_folder, "does not exist"),
    ("scan UTF-16", scan_utf16, "NUL bytes"),
    ("scan binary", scan_binary, "b.csv"),
    ("scan truncated .csv.gz", scan_truncated_gz, "truncated or damaged"),
    ("scan a FIFO", scan_fifo, "regular file"),
    ("verify /dev/zero", verify_dev_zero, "found a file"),
    ("log a folder that is no bundle", log_not_a_bundle, "manifest.json"),
]


@pytest.mark.parametrize(("case", "match"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_input_and_usage_errors_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Case, match: str
) -> None:
    """Exit 2 with a message naming the problem; no traceback; nothing else changed."""
    project = make_project(tmp_path / "sandbox")
    args = case(project)
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path / "sandbox", skip=project / "audit")
    result = invoke(args)
    assert_clean_exit(result, 2)
    assert match in result.output
    assert result.output.startswith("Error: ")
    assert snapshot(tmp_path / "sandbox", skip=project / "audit") == before


def test_an_unexpected_error_is_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug still ends in one paragraph and exit 2; its text (which may quote data) is not shown."""
    project = make_project(tmp_path / "sandbox")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret value ana@example.com")

    monkeypatch.setattr(_run, "AREAS", (("data", broken),))
    result = invoke(_review(project))
    assert_clean_exit(result, 2)
    assert "unexpected RuntimeError" in result.output
    assert "ana@example.com" not in result.output
    assert "AUDITKIT_DEBUG=1" in result.output


def test_ctrl_c_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during a review: exit 130, a message, no traceback, nothing written."""
    project = make_project(tmp_path / "sandbox")

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_run, "AREAS", (("data", interrupted),))
    result = invoke(_review(project))
    assert_clean_exit(result, 130)
    assert not (project / "audit").exists()


def test_scan_exit_codes_keep_their_meaning(tmp_path: Path) -> None:
    """scan: 0 nothing found, 1 personal data found, 2 unreadable; never 1 for a bad file."""
    clean = tmp_path / "clean.csv"
    clean.write_text(predictions())
    assert_clean_exit(invoke(["scan", str(clean)]), 0)
    personal = tmp_path / "people.csv"
    personal.write_text("id,email\n" + "".join(f"{i},ana{i}@example.com\n" for i in range(50)))
    assert_clean_exit(invoke(["scan", str(personal)]), 1)
