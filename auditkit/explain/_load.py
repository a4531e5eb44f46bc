"""Loading the model to explain without executing code the user has not agreed to run.

Pickle-based formats (pickle, joblib, cloudpickle, MLflow's pickle and cloudpickle flavours,
custom ``python_function`` models) run arbitrary code while they load: a file from an untrusted
source can do anything the auditor's account can do. They are refused unless the user passes
``--trust-model``. skops files are loaded instead: skops rebuilds only types on its allow-list, and
any other type it finds must be named in ``model.trusted_types`` (after the auditor reviewed it)
or accepted wholesale with ``--trust-model``.

Supported sources::

    models:/<name>/<version>    MLflow model registry
    runs:/<run id>/<path>       an MLflow run's logged model
    path/to/model/              an MLflow model folder (with an MLmodel file)
    path/to/model.skops         a skops file
    path/to/model.pkl|.joblib   pickle/joblib, only with --trust-model
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditkit._errors import ModelLoadError
from auditkit._io import file_sha256

__all__ = ["PICKLE_SUFFIXES", "LoadedModel", "load_model"]

PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".cloudpickle")

_TRUST_HINT = (
    "Loading it would execute code stored in the file, so auditkit does not do it unless you say "
    "the source is trusted: re-run with --trust-model if you (or your organisation) produced the "
    "file, or ask the provider for a skops file (mlflow.sklearn.log_model(..., "
    "serialization_format='skops'))."
)


@dataclass(frozen=True)
class LoadedModel:
    """A loaded model and where it came from.

    Attributes
    ----------
    model : object
        A scikit-learn estimator or pipeline, or an MLflow ``PyFuncModel`` (black box).
    source : str
        The URI or path as written in the configuration.
    format : str
        ``skops``, ``mlflow-skops``, ``mlflow-pickle``, ``mlflow-pyfunc`` or ``pickle``.
    trusted : bool
        Whether loading relied on ``--trust-model``.
    sha256 : str
        SHA-256 of the file that was deserialised (for the record of inputs).
    """

    model: Any
    source: str
    format: str
    trusted: bool
    sha256: str


def load_model(
    uri: str,
    *,
    base_dir: Path | None = None,
    trust: bool = False,
    trusted_types: list[str] | tuple[str, ...] = (),
    tracking_uri: str | None = None,
) -> LoadedModel:
    """Load a model for explanation, refusing formats that execute code unless ``trust``.

    Parameters
    ----------
    uri : str
        ``models:/…``, ``runs:/…``, an MLflow model folder, a ``.skops`` file, or (with
        ``trust``) a pickle/joblib file. Relative paths are resolved against ``base_dir``.
    base_dir : Path, optional
        Folder relative paths and relative ``sqlite:///`` tracking URIs are resolved against.
    trust : bool
        The user's explicit ``--trust-model``: allow pickle-based formats and any skops type.
    trusted_types : sequence of str
        Types the user reviewed and accepts in a skops file.
    tracking_uri : str, optional
        MLflow tracking URI for ``models:/`` and ``runs:/``.

    Raises
    ------
    ModelLoadError
        Missing model, unknown format, or a format that would execute code without ``trust``.
    """
    base = base_dir or Path.cwd()
    if uri.startswith(("models:/", "runs:/")):
        with tempfile.TemporaryDirectory(prefix="auditkit-model-") as folder:
            local = _download_mlflow(
                uri, tracking_uri=tracking_uri, base_dir=base, destination=Path(folder)
            )
            return _load_mlflow_folder(local, uri, trust=trust, trusted_types=trusted_types)
    if "://" in uri or uri.startswith(("models:", "runs:")):
        raise ModelLoadError(
            f"model.uri '{uri}' is not supported: use models:/<name>/<version>, "
            "runs:/<run id>/<path>, an MLflow model folder or a .skops file."
        )
    path = Path(uri)
    path = path if path.is_absolute() else base / path
    if not path.exists():
        raise ModelLoadError(
            f"model.uri '{uri}': no such file or folder.",
            file=path,
            hint="Check the path (it is relative to audit.yaml).",
        )
    if path.is_dir():
        if not (path / "MLmodel").is_file():
            raise ModelLoadError(
                f"model.uri '{uri}' is a folder without an MLmodel file, so it is not an MLflow "
                "model.",
                file=path,
                hint="Point model.uri at the folder mlflow.sklearn.save_model wrote, or at a "
                ".skops file.",
            )
        return _load_mlflow_folder(path, uri, trust=trust, trusted_types=trusted_types)
    _check_model_file(path)
    suffix = path.suffix.lower()
    if suffix == ".skops":
        model = _load_skops(path, trust=trust, trusted_types=trusted_types)
        return LoadedModel(
            model=model, source=uri, format="skops", trusted=trust, sha256=file_sha256(path)
        )
    if suffix in PICKLE_SUFFIXES:
        if not trust:
            raise ModelLoadError(
                f"model.uri '{uri}' is a {suffix[1:]} file.", file=path, hint=_TRUST_HINT
            )
        return LoadedModel(
            model=_load_pickle(path),
            source=uri,
            format="pickle",
            trusted=True,
            sha256=file_sha256(path),
        )
    raise ModelLoadError(
        f"model.uri '{uri}': unknown model format '{suffix or path.name}'; expected a .skops "
        "file, an MLflow model folder, models:/ or runs:/ (or .pkl/.joblib with --trust-model).",
        file=path,
    )


def _load_skops(path: Path, *, trust: bool, trusted_types: list[str] | tuple[str, ...]) -> Any:
    """skops loading with an explicit check of the types the file would create."""
    import skops.io as sio

    try:
        untrusted = sorted(sio.get_untrusted_types(file=path))
    except Exception as err:  # skops raises several types for corrupt files
        raise ModelLoadError(
            f"could not be read as a skops file: {err}.", file=path, hint="Save the model again."
        ) from err
    allowed = untrusted if trust else [t for t in untrusted if t in set(trusted_types)]
    refused = [t for t in untrusted if t not in allowed]
    if refused:
        raise ModelLoadError(
            f"the skops file would create types that are not on skops' safe list: "
            f"{', '.join(refused)}.",
            file=path,
            hint="Review them (skops documents why each is unsafe) and list the ones you accept "
            "under model.trusted_types in audit.yaml, or re-run with --trust-model if you produced "
            "the file yourself.",
        )
    try:
        return sio.load(path, trusted=allowed)
    except Exception as err:
        raise ModelLoadError(f"could not be loaded with skops: {err}.", file=path) from err


def _load_pickle(path: Path) -> Any:
    import joblib  # type: ignore[import-untyped]

    try:
        return joblib.load(path)
    except Exception as err:
        raise ModelLoadError(f"could not be unpickled: {err}.", file=path) from err


def _download_mlflow(
    uri: str, *, tracking_uri: str | None, base_dir: Path, destination: Path
) -> Path:
    """Copy the model's files locally; this reads files only, it loads nothing."""
    import mlflow.artifacts
    from mlflow.exceptions import MlflowException

    resolved = _resolve_tracking_uri(tracking_uri, base_dir) if tracking_uri else None
    try:
        with _mlflow_environment(resolved):
            return Path(
                mlflow.artifacts.download_artifacts(
                    artifact_uri=uri,
                    dst_path=str(destination),
                    tracking_uri=resolved,
                    registry_uri=resolved,
                )
            )
    except MlflowException as err:
        raise ModelLoadError(
            f"model.uri '{uri}' could not be found in MLflow: {err.message}",
            hint="Check the model name and version (mlflow models list) and model.tracking_uri "
            "or MLFLOW_TRACKING_URI.",
        ) from err
    except OSError as err:
        raise ModelLoadError(f"model.uri '{uri}' could not be downloaded: {err}.") from err


@contextlib.contextmanager
def _mlflow_environment(uri: str | None) -> Iterator[None]:
    """Point MLflow at ``uri`` for one download, then restore the environment.

    MLflow 3 resolves ``models:/`` names through the global registry URI even when
    ``download_artifacts`` is given one, so the environment variables are set too.
    """
    if uri is None:
        yield
        return
    names = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(dict.fromkeys(names, uri))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _check_model_file(path: Path) -> None:
    """A model file is a regular file within the table size limit (not a device or a pipe)."""
    from auditkit._io import check_input_file, input_limits

    check_input_file(path, role="model", max_bytes=input_limits().table_bytes, error=ModelLoadError)


def _resolve_tracking_uri(uri: str, base_dir: Path) -> str:
    """``sqlite:///mlflow.db`` (relative) is relative to audit.yaml, not to the shell's folder."""
    prefix = "sqlite:///"
    if uri.startswith(prefix) and not uri.startswith(prefix + "/"):
        return prefix + str((base_dir / uri[len(prefix) :]).resolve())
    return uri


def _load_mlflow_folder(
    folder: Path, source: str, *, trust: bool, trusted_types: list[str] | tuple[str, ...]
) -> LoadedModel:
    """Read MLmodel first and load the sklearn flavour through skops when it was saved so."""
    from auditkit._config import load_yaml

    mlmodel = folder / "MLmodel"
    meta = load_yaml(mlmodel, error=ModelLoadError) or {}
    flavors = meta.get("flavors") if isinstance(meta, dict) else None
    if not isinstance(flavors, dict):
        raise ModelLoadError("the MLmodel file lists no flavors.", file=mlmodel)
    sklearn_flavor = flavors.get("sklearn")
    if isinstance(sklearn_flavor, dict):
        serialization = str(sklearn_flavor.get("serialization_format", "pickle"))
        if serialization == "skops":
            file = folder / str(sklearn_flavor.get("pickled_model", "model.skops"))
            _check_model_file(file)
            model = _load_skops(file, trust=trust, trusted_types=trusted_types)
            return LoadedModel(
                model=model,
                source=source,
                format="mlflow-skops",
                trusted=trust,
                sha256=file_sha256(file),
            )
        if not trust:
            raise ModelLoadError(
                f"the MLflow model '{source}' is saved with {serialization}.",
                file=mlmodel,
                hint=_TRUST_HINT,
            )
        import mlflow.sklearn

        model = mlflow.sklearn.load_model(str(folder))
        file = folder / str(sklearn_flavor.get("pickled_model", "model.pkl"))
        digest = file_sha256(file) if file.is_file() else file_sha256(mlmodel)
        return LoadedModel(
            model=model, source=source, format="mlflow-pickle", trusted=True, sha256=digest
        )
    if "python_function" in flavors:
        if not trust:
            raise ModelLoadError(
                f"the MLflow model '{source}' has only the python_function flavour, whose loader "
                "runs code shipped with the model.",
                file=mlmodel,
                hint=_TRUST_HINT,
            )
        import mlflow.pyfunc

        model = mlflow.pyfunc.load_model(str(folder))
        return LoadedModel(
            model=model,
            source=source,
            format="mlflow-pyfunc",
            trusted=True,
            sha256=file_sha256(mlmodel),
        )
    raise ModelLoadError(
        f"the MLflow model '{source}' has no sklearn or python_function flavour "
        f"(found: {', '.join(sorted(flavors))}).",
        file=mlmodel,
    )
