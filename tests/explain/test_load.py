"""Safe model loading: skops and MLflow-skops load; anything that unpickles needs --trust-model."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import joblib
import pytest
import skops.io as sio
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge

from auditkit._errors import ModelLoadError
from auditkit.explain import load_model
from tests.explain._data import NUMERIC, city_table

DATA = city_table(200)
HGB_TYPE = "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"


class _Planted:
    """Unpickling this creates the marker file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def _malicious(path: Path, marker: Path) -> Path:
    path.write_bytes(pickle.dumps(_Planted(marker)))
    return path


@pytest.fixture
def ridge() -> Ridge:
    return Ridge().fit(DATA[NUMERIC], DATA["requests"])


@pytest.fixture
def hgb() -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(max_iter=5).fit(DATA[NUMERIC], DATA["requests"])


@pytest.mark.parametrize("suffix", [".pkl", ".joblib", ".pickle"])
def test_malicious_pickle_is_not_executed_without_the_flag(tmp_path: Path, suffix: str):
    """A pickle whose __reduce__ creates a folder is refused and the folder never appears."""
    marker = tmp_path / "pwned"
    model = _malicious(tmp_path / f"model{suffix}", marker)
    with pytest.raises(ModelLoadError, match="--trust-model") as info:
        load_model(model.name, base_dir=tmp_path)
    assert "execute code" in str(info.value)
    assert not marker.exists()


def test_malicious_mlflow_cloudpickle_model_is_not_executed(tmp_path: Path, ridge: Ridge):
    """An MLflow model saved with cloudpickle is refused before anything is unpickled."""
    import mlflow.sklearn

    folder = tmp_path / "model"
    mlflow.sklearn.save_model(
        ridge, folder, serialization_format="cloudpickle", pip_requirements=["scikit-learn"]
    )
    marker = tmp_path / "pwned"
    _malicious(folder / "model.pkl", marker)
    with pytest.raises(ModelLoadError, match="cloudpickle"):
        load_model(str(folder))
    assert not marker.exists()


def test_trusted_pickle_loads(tmp_path: Path, ridge: Ridge):
    """With --trust-model a joblib file loads and the record says it was trusted."""
    joblib.dump(ridge, tmp_path / "model.joblib")
    loaded = load_model("model.joblib", base_dir=tmp_path, trust=True)
    assert loaded.trusted and loaded.format == "pickle"
    assert (loaded.model.coef_ == ridge.coef_).all()
    assert len(loaded.sha256) == 64


def test_skops_with_safe_types_loads(tmp_path: Path, ridge: Ridge):
    """A skops file of types on skops' safe list loads without any trust."""
    sio.dump(ridge, tmp_path / "model.skops")
    loaded = load_model("model.skops", base_dir=tmp_path)
    assert loaded.format == "skops" and not loaded.trusted
    assert (loaded.model.coef_ == ridge.coef_).all()


def test_skops_untrusted_types_are_named_and_refused(tmp_path: Path, hgb):
    """Types outside skops' safe list are listed; the fix is model.trusted_types."""
    sio.dump(hgb, tmp_path / "model.skops")
    with pytest.raises(ModelLoadError, match=r"model\.trusted_types") as info:
        load_model("model.skops", base_dir=tmp_path)
    assert HGB_TYPE in str(info.value)
    loaded = load_model("model.skops", base_dir=tmp_path, trusted_types=[HGB_TYPE])
    assert loaded.model.predict(DATA[NUMERIC]).shape == (200,)
    assert load_model("model.skops", base_dir=tmp_path, trust=True).trusted


def test_mlflow_skops_model_loads_through_skops(tmp_path: Path):
    """MLflow's sklearn flavour saved with skops is loaded by skops, with the same type check."""
    import mlflow.sklearn

    forest = RandomForestRegressor(n_estimators=3, random_state=0).fit(
        DATA[NUMERIC], DATA["requests"]
    )
    tree_type = "sklearn.tree._tree.Tree"
    mlflow.sklearn.save_model(
        forest,
        tmp_path / "model",
        serialization_format="skops",
        skops_trusted_types=[tree_type],
        pip_requirements=["scikit-learn"],
    )
    with pytest.raises(ModelLoadError, match=tree_type.replace(".", r"\.")):
        load_model("model", base_dir=tmp_path)
    loaded = load_model("model", base_dir=tmp_path, trusted_types=[tree_type])
    assert loaded.format == "mlflow-skops"
    assert (loaded.model.predict(DATA[NUMERIC]) == forest.predict(DATA[NUMERIC])).all()


@pytest.mark.parametrize(
    ("uri", "setup", "match"),
    [
        ("missing.skops", None, "no such file"),
        ("model.onnx", "onnx", "unknown model format"),
        ("folder", "folder", "without an MLmodel"),
        ("s3://bucket/model", None, "not supported"),
        ("broken.skops", "broken", "could not be read as a skops file"),
    ],
)
def test_bad_model_sources(tmp_path: Path, uri: str, setup: str | None, match: str):
    """Every bad model source is a ModelLoadError that says what is wrong."""
    if setup == "onnx":
        (tmp_path / uri).write_bytes(b"onnx")
    elif setup == "folder":
        (tmp_path / uri).mkdir()
    elif setup == "broken":
        (tmp_path / uri).write_bytes(b"not a zip file")
    with pytest.raises(ModelLoadError, match=match):
        load_model(uri, base_dir=tmp_path)


@pytest.mark.slow
def test_models_uri_without_registry_is_a_clear_error(tmp_path: Path):
    """A models:/ URI that the registry does not know is a ModelLoadError, not a traceback."""
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    with pytest.raises(ModelLoadError, match="could not be found in MLflow"):
        load_model("models:/nothing/1", tracking_uri=uri)


@pytest.mark.slow
def test_registered_skops_model_loads_from_models_uri(tmp_path: Path, monkeypatch):
    """models:/name/1 from a SQLite registry (relative to audit.yaml) loads through skops."""
    import mlflow
    import mlflow.sklearn

    forest = RandomForestRegressor(n_estimators=3, random_state=0).fit(
        DATA[NUMERIC], DATA["requests"]
    )
    tree_type = "sklearn.tree._tree.Tree"
    monkeypatch.chdir(tmp_path)
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    try:
        with mlflow.start_run():
            mlflow.sklearn.log_model(
                forest,
                name="model",
                serialization_format="skops",
                skops_trusted_types=[tree_type],
                pip_requirements=["scikit-learn"],
                registered_model_name="zapopan-demanda",
            )
    finally:
        mlflow.set_tracking_uri(None)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(ModelLoadError, match=r"sklearn\.tree\._tree\.Tree"):
        load_model(
            "models:/zapopan-demanda/1", base_dir=tmp_path, tracking_uri="sqlite:///mlflow.db"
        )
    loaded = load_model(
        "models:/zapopan-demanda/1",
        base_dir=tmp_path,
        tracking_uri="sqlite:///mlflow.db",
        trusted_types=[tree_type],
    )
    assert loaded.format == "mlflow-skops" and not loaded.trusted
    assert (loaded.model.predict(DATA[NUMERIC]) == forest.predict(DATA[NUMERIC])).all()
