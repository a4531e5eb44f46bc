"""Fixtures for the template tests: baking into temporary folders, a pre-migrated MLflow store."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template"
LANGUAGES = ("es", "pt", "en")


def load_hook(name: str) -> ModuleType:
    """Import one of the template's hooks as a module (they are plain Python before rendering)."""
    path = TEMPLATE / "hooks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"template_hook_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bake(
    output_dir: Path, *, template: Path = REPO, directory: str | None = None, **answers: str
) -> Path:
    """Bake without prompts, as `cookiecutter PATH --no-input key=value ...` does."""
    from cookiecutter.main import cookiecutter

    return Path(
        cookiecutter(
            str(template),
            no_input=True,
            extra_context=answers,
            output_dir=str(output_dir),
            directory=directory,
        )
    )


@pytest.fixture
def baker(tmp_path: Path) -> Callable[..., Path]:
    """Bake into a fresh folder under tmp_path."""
    counter = iter(range(1000))

    def _bake(**answers: str) -> Path:
        out = tmp_path / f"bake{next(counter)}"
        out.mkdir()
        return bake(out, **answers)

    return _bake


@pytest.fixture(scope="session")
def migrated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLflow SQLite store, migrated once per session (migrations take seconds)."""
    from mlflow.tracking import MlflowClient

    path = tmp_path_factory.mktemp("mlflow") / "mlflow.db"
    MlflowClient(f"sqlite:///{path}").search_experiments()
    return path


@pytest.fixture
def fresh_store(migrated_store: Path, tmp_path: Path) -> str:
    """A tracking URI of a private copy of the migrated store."""
    copy = tmp_path / "store" / "mlflow.db"
    copy.parent.mkdir()
    shutil.copyfile(migrated_store, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def without_auditkit(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hooks run where auditkit cannot be imported nor run (another project's 'auditkit' is)."""
    shadow = tmp_path_factory.mktemp("shadow")
    (shadow / "auditkit").mkdir()
    (shadow / "auditkit" / "__init__.py").write_text('"""Not auditkit."""\n', encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(shadow))  # before site-packages in the hook's Python
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("empty-bin")))
