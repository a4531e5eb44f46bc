"""Limits on every input: sizes, YAML aliases and depth, non-regular files, labels, groups.

Every case is refused in well under a second with exit code 2 and a message that names the limit
(and the setting that raises it); nothing is written, and no value of the data is echoed.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from auditkit._errors import InputDataError
from auditkit._io import check_group_labels, input_limits, read_table
from tests.hostile._sandbox import (
    AUDIT,
    assert_clean_exit,
    hang_guard,
    invoke,
    make_project,
    predictions,
    snapshot,
)


def _bomb(levels: int, fan: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * fan)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def alias_bomb_small(project: Path) -> None:
    (project / "audit.yaml").write_text(_bomb(9, 9))


def alias_bomb_wide(project: Path) -> None:
    (project / "audit.yaml").write_text(_bomb(5, 24))  # 96 aliases, about a million values


def alias_bomb_in_answers(project: Path) -> None:
    (project / "answers.yaml").write_text(_bomb(12, 5))
    (project / "audit.yaml").write_text(AUDIT + "risk:\n  answers: answers.yaml\n")


def deep_list(project: Path) -> None:
    (project / "audit.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")


def deep_mapping(project: Path) -> None:
    (project / "audit.yaml").write_text("a: " + "{b: " * 200 + "1" + "}" * 200 + "\n")


def yaml_too_large(project: Path) -> None:
    (project / "audit.yaml").write_text(AUDIT + "# " + "x" * (1100 * 1024) + "\n")


def answers_dev_zero(project: Path) -> None:
    (project / "audit.yaml").write_text(AUDIT + "risk:\n  answers: /dev/zero\n")


def answers_fifo(project: Path) -> None:
    os.mkfifo(project / "answers.yaml")
    (project / "audit.yaml").write_text(AUDIT + "risk:\n  answers: answers.yaml\n")


def predictions_fifo(project: Path) -> None:
    (project / "predictions.csv").unlink()
    os.mkfifo(project / "predictions.csv")


def predictions_dev_zero(project: Path) -> None:
    (project / "audit.yaml").write_text(AUDIT.replace("predictions.csv", "/dev/zero"))


def predictions_link_to_dev_zero(project: Path) -> None:
    (project / "zero.csv").symlink_to("/dev/zero")
    (project / "audit.yaml").write_text(AUDIT.replace("predictions.csv", "zero.csv"))


def config_is_dev_zero(project: Path) -> None:
    (project / "audit.yaml").unlink()
    (project / "audit.yaml").symlink_to("/dev/zero")


def playbook_dev_urandom(project: Path) -> None:
    (project / "audit.yaml").write_text(AUDIT + "risk:\n  playbook: /dev/urandom\n")


def gzip_bomb(project: Path) -> None:
    # 3 MB of CSV in a few kilobytes, against a 1 MB limit (AUDITKIT_MAX_TABLE_MB=1 below)
    body = predictions().encode() + b"1,1,norte\n" * 300_000
    (project / "p.csv.gz").write_bytes(gzip.compress(body))
    (project / "audit.yaml").write_text(AUDIT.replace("predictions.csv", "p.csv.gz"))


def table_too_large(project: Path) -> None:
    (project / "predictions.csv").write_text(predictions(400))


def label_of_a_megabyte(project: Path) -> None:
    zones = ("norte", "sul", "x" * (1 << 20))
    (project / "predictions.csv").write_text(predictions(zones=zones))


def label_just_over(project: Path) -> None:
    zones = ("norte", "sul", "y" * 201)
    (project / "predictions.csv").write_text(predictions(zones=zones))


def fifty_thousand_groups(project: Path) -> None:
    zones = tuple(f"z{i}" for i in range(50_000))
    (project / "predictions.csv").write_text(predictions(50_000, zones=zones))


def groups_just_over(project: Path) -> None:
    zones = tuple(f"z{i}" for i in range(1001))
    (project / "predictions.csv").write_text(predictions(2002, zones=zones))


def bad_limit_setting(project: Path) -> None:
    return None


CASES: list[tuple[str, Callable[[Path], None], dict[str, str], str]] = [
    ("alias bomb", alias_bomb_small, {}, "values once its aliases are expanded"),
    ("alias bomb, wide", alias_bomb_wide, {}, "values once its aliases are expanded"),
    ("alias bomb in answers", alias_bomb_in_answers, {}, "aliases"),
    ("deep list", deep_list, {}, "nested more than 64 levels"),
    ("deep mapping", deep_mapping, {}, "nested more than 64 levels"),
    ("YAML over its size limit", yaml_too_large, {}, "AUDITKIT_MAX_YAML_KB"),
    ("answers: /dev/zero", answers_dev_zero, {}, "regular file"),
    ("answers: a FIFO", answers_fifo, {}, "regular file"),
    ("predictions: a FIFO", predictions_fifo, {}, "regular file"),
    ("predictions: /dev/zero", predictions_dev_zero, {}, "regular file"),
    ("predictions: a link to /dev/zero", predictions_link_to_dev_zero, {}, "regular file"),
    ("audit.yaml is /dev/zero", config_is_dev_zero, {}, "regular file"),
    ("playbook: /dev/urandom", playbook_dev_urandom, {}, "regular file"),
    ("gzip bomb", gzip_bomb, {"AUDITKIT_MAX_TABLE_MB": "1"}, "decompresses to more than"),
    ("limit setting of 0", table_too_large, {"AUDITKIT_MAX_TABLE_MB": "0"}, "positive"),
    ("label of a megabyte", label_of_a_megabyte, {}, "AUDITKIT_MAX_LABEL_CHARS"),
    ("label of 201 characters", label_just_over, {}, "limited to 200 characters"),
    ("50,000 groups", fifty_thousand_groups, {}, "50,000 distinct groups"),
    ("1,001 groups", groups_just_over, {}, "at most 1,000 groups"),
    ("label limit lowered", label_just_over, {"AUDITKIT_MAX_LABEL_CHARS": "3"}, "limited to 3"),
    (
        "bad limit setting",
        bad_limit_setting,
        {"AUDITKIT_MAX_GROUPS": "lots"},
        "AUDITKIT_MAX_GROUPS",
    ),
]


@pytest.mark.parametrize(
    ("setup", "env", "match"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_input_past_a_limit_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    setup: Callable[[Path], None],
    env: dict[str, str],
    match: str,
) -> None:
    """Exit 2 naming the limit; nothing written; the data's values never echoed."""
    project = make_project(tmp_path / "sandbox")
    setup(project)
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = snapshot(tmp_path / "sandbox")
    result = invoke(["review", "-c", str(project / "audit.yaml"), "-o", str(project / "audit")])
    assert_clean_exit(result, 2)
    assert match in result.output
    assert "xxxxxxxx" not in result.output and "yyyyyyyy" not in result.output
    assert len(result.output) < 2000
    assert snapshot(tmp_path / "sandbox") == before


def test_table_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table larger than AUDITKIT_MAX_TABLE_MB is refused before it is parsed."""
    path = tmp_path / "big.csv"
    path.write_text(predictions(120_000))  # about 1.4 MB
    monkeypatch.setenv("AUDITKIT_MAX_TABLE_MB", "1")
    with pytest.raises(InputDataError, match=r"the limit is 1\.0 MB"):
        read_table(path, role="predictions")


def test_limits_are_inclusive(tmp_path: Path) -> None:
    """Exactly at each limit passes: 200 characters, 1,000 groups."""
    limits = input_limits()
    frame = pd.DataFrame({"zone": ["a" * limits.label_chars, "b"]}).astype("category")
    check_group_labels(frame, ["zone"], path=tmp_path / "t.csv", role="t")
    frame = pd.DataFrame({"zone": [f"g{i}" for i in range(limits.groups)]}).astype("category")
    check_group_labels(frame, ["zone"], path=tmp_path / "t.csv", role="t")
    frame = pd.DataFrame({"zone": [f"g{i}" for i in range(limits.groups + 1)]})
    with pytest.raises(InputDataError, match="1,001 distinct groups"):
        check_group_labels(frame, ["zone"], path=tmp_path / "t.csv", role="t")


@pytest.mark.parametrize("kind", ["fifo.skops", "zero.skops", "MLmodel of a megabyte-bomb"])
def test_model_inputs_are_checked(tmp_path: Path, kind: str) -> None:
    """A model that is a pipe, a device, or an MLflow folder whose MLmodel is an alias bomb."""
    from auditkit._errors import ModelLoadError
    from auditkit.explain._load import load_model

    if kind == "fifo.skops":
        os.mkfifo(tmp_path / kind)
        match = "regular file"
    elif kind == "zero.skops":
        (tmp_path / kind).symlink_to("/dev/zero")
        match = "regular file"
    else:
        kind = "model"
        (tmp_path / kind).mkdir()
        (tmp_path / kind / "MLmodel").write_text(_bomb(9, 9))
        match = "aliases are expanded"
    with hang_guard(), pytest.raises(ModelLoadError, match=match):
        load_model(kind, base_dir=tmp_path)
