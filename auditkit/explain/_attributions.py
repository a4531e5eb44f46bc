"""SHAP attributions through shap's own explainers, in terms of the model's original inputs.

The explainer follows the model:

* tree ensembles (scikit-learn's HistGradientBoosting, random forests, extra trees, gradient
  boosting, decision trees) use :class:`shap.TreeExplainer` with
  ``feature_perturbation="tree_path_dependent"``: exact, needs no background data (the trees'
  own training cover plays that role) and takes milliseconds per row;
* linear models use :class:`shap.LinearExplainer` with a sampled background (interventional);
* anything else uses :class:`shap.PermutationExplainer` over a sampled background, seeded.

A scikit-learn ``Pipeline`` whose preprocessing maps each output column back to one input column
(one-hot encoders, scalers, imputers, ``ColumnTransformer``) is explained by explaining its final
estimator on the transformed matrix and summing the attributions of all columns derived from the
same input column. Sums keep SHAP's additivity: for every row, base value plus the attributions
equals the explained model output. Preprocessing that mixes columns (PCA, polynomial features)
falls back to the permutation explainer on the whole pipeline.

What is explained is the model's *raw* output: the prediction itself for most regressors, its
logarithm for Poisson/Gamma models (``output="log"``), the log-odds or the probability of the
positive class for classifiers. :attr:`Attributions.output` says which.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from auditkit._errors import ModelLoadError
from auditkit.explain._pipelines import source_map

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Attributions", "Output", "explain_model", "import_shap"]

Output = Literal["identity", "log", "log_odds", "margin", "probability"]

_TREE_MODELS = (
    "HistGradientBoostingRegressor",
    "HistGradientBoostingClassifier",
    "RandomForestRegressor",
    "RandomForestClassifier",
    "ExtraTreesRegressor",
    "ExtraTreesClassifier",
    "GradientBoostingRegressor",
    "GradientBoostingClassifier",
    "DecisionTreeRegressor",
    "DecisionTreeClassifier",
)
_LOG_LOSSES = ("poisson", "gamma")


def import_shap() -> Any:
    """Import shap without the matplotlib deprecation notice its colour maps trigger."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message="The set_(bad|over|under) function",
            category=PendingDeprecationWarning,
        )
        import shap

    return shap


@dataclass(frozen=True)
class Attributions:
    """SHAP values of the explained rows, one column per original input column.

    Attributes
    ----------
    values : ndarray of shape (n_rows, n_features)
        Attribution of each feature to each row's output.
    base_values : ndarray of shape (n_rows,)
        The expected output the attributions start from.
    features : list of str
        Original input columns, in the order of ``values``' columns.
    rows : ndarray of shape (n_rows,)
        Positions of the explained rows in the table that was given.
    data : DataFrame
        The explained rows' inputs (kept in memory for plots; never written out).
    explainer : str
        ``tree_path_dependent``, ``linear`` or ``permutation``.
    output : str
        Scale of the explained output: ``identity``, ``log``, ``log_odds``, ``margin`` (a linear
        classifier's decision function) or ``probability``.
    rows_requested : int
        Rows that were to be explained before the time budget applied.
    seconds : float
        Time spent computing the attributions.
    """

    values: np.ndarray
    base_values: np.ndarray
    features: list[str]
    rows: np.ndarray
    data: pd.DataFrame
    explainer: str
    output: Output
    rows_requested: int
    seconds: float

    @property
    def outputs(self) -> np.ndarray:
        """Base value plus the attributions: the explained model output of each row."""
        result: np.ndarray = self.base_values + self.values.sum(axis=1)
        return result

    @property
    def truncated(self) -> bool:
        """Whether the time budget stopped the explanation before every requested row."""
        return len(self.rows) < self.rows_requested

    def to_shap(self) -> Any:
        """The attributions as a :class:`shap.Explanation` (for shap's plots)."""
        import pandas as pd

        shap = import_shap()
        numeric = self.data.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        return shap.Explanation(
            values=self.values,
            base_values=self.base_values,
            data=numeric,
            feature_names=list(self.features),
        )


@dataclass(frozen=True)
class _Plan:
    """How to explain one model: an explainer over some matrix, and how to map it back."""

    kind: str
    output: Output
    explain: Callable[[pd.DataFrame], tuple[np.ndarray, np.ndarray]]


def explain_model(
    model: Any,
    X: pd.DataFrame,
    *,
    max_rows: int = 5000,
    background: int = 200,
    time_budget: float | None = None,
    seed: int = 0,
    positive_label: Any = None,
    progress: bool | None = None,
    background_data: pd.DataFrame | None = None,
) -> Attributions:
    """Explain ``model`` on the rows of ``X`` with the explainer its type calls for.

    Parameters
    ----------
    model : estimator
        A fitted scikit-learn estimator or pipeline, or any object with ``predict``.
    X : DataFrame
        The model's input columns, in the order it was fit on.
    max_rows : int
        At most this many rows are explained: a seeded sample when ``X`` is larger.
    background : int
        Background rows (seeded sample) for the linear and permutation explainers.
    time_budget : float, optional
        Seconds; rows are explained in batches and no batch starts that would not finish in
        time (estimated from the batches so far). ``None``: no limit.
    seed : int
        Seeds the row sample, the background sample and the permutation explainer.
    positive_label : optional
        For classifiers, the class whose score is explained (default: the last class).
    progress : bool, optional
        Show a progress bar on stderr; default: only when stderr is a terminal and the run is
        expected to be long.
    background_data : DataFrame, optional
        Rows to sample the background from (default: ``X`` itself).

    Returns
    -------
    Attributions
    """
    if len(X) == 0:
        raise ValueError("X has no rows to explain")
    rng = np.random.default_rng(seed)
    n = len(X)
    rows = np.sort(rng.choice(n, size=max_rows, replace=False)) if n > max_rows else np.arange(n)
    pool = X if background_data is None else background_data
    bg_rows = np.sort(rng.choice(len(pool), size=min(background, len(pool)), replace=False))
    plan = _plan(model, X, pool.iloc[bg_rows], seed=seed, positive_label=positive_label)
    batch = 1000 if plan.kind != "permutation" else 25
    chosen = X.iloc[rows]
    values_parts: list[np.ndarray] = []
    base_parts: list[np.ndarray] = []
    started = time.perf_counter()
    done = 0
    show = _show_progress(progress, expected_long=plan.kind == "permutation" or len(rows) > 20_000)
    with _ProgressBar(show, total=len(rows)) as advance:
        while done < len(rows):
            if time_budget is not None and done:
                elapsed = time.perf_counter() - started
                per_row = elapsed / done
                if elapsed + per_row * min(batch, len(rows) - done) > time_budget:
                    break
            part = chosen.iloc[done : done + batch]
            values, base = plan.explain(part)
            values_parts.append(values)
            base_parts.append(base)
            done += len(part)
            advance(len(part))
    seconds = time.perf_counter() - started
    return Attributions(
        values=np.concatenate(values_parts, axis=0),
        base_values=np.concatenate(base_parts, axis=0),
        features=[str(c) for c in X.columns],
        rows=rows[:done],
        data=chosen.iloc[:done],
        explainer=plan.kind,
        output=plan.output,
        rows_requested=len(rows),
        seconds=seconds,
    )


def _show_progress(progress: bool | None, *, expected_long: bool) -> bool:
    if progress is not None:
        return progress
    return expected_long and sys.stderr.isatty()


class _ProgressBar:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, show: bool, *, total: int) -> None:
        self.show = show
        self.total = total
        self._progress: Any = None

    def __enter__(self) -> Callable[[int], None]:
        if not self.show:
            return lambda _n: None
        from rich.console import Console
        from rich.progress import Progress

        self._progress = Progress(console=Console(stderr=True), transient=True)
        self._progress.start()
        task = self._progress.add_task("SHAP", total=self.total)
        return lambda n: self._progress.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


# --- choosing the explainer -------------------------------------------------------------------


def _plan(
    model: Any, X: pd.DataFrame, background: pd.DataFrame, *, seed: int, positive_label: Any
) -> _Plan:
    from sklearn.pipeline import Pipeline

    final, pre = model, None
    if isinstance(model, Pipeline) and len(model.steps) > 1:
        final, pre = model.steps[-1][1], model[:-1]
    kind = _kind(final)
    if kind != "permutation" and pre is not None:
        mapping = source_map(pre, X.shape[1])
        if mapping is None:
            kind = "permutation"
    else:
        mapping = None
    if kind == "permutation":
        return _permutation_plan(model, background, seed=seed, positive_label=positive_label)
    column = _positive_column(final, positive_label)
    transform = _transformer(pre)
    if kind == "tree":
        return _tree_plan(final, transform, mapping, column)
    return _linear_plan(final, transform, mapping, column, transform(background))


def _kind(estimator: Any) -> str:
    name = type(estimator).__name__
    module = type(estimator).__module__
    if module.startswith("sklearn.") and name in _TREE_MODELS:
        return "tree"
    if module.startswith("sklearn.linear_model") and hasattr(estimator, "coef_"):
        coef = np.asarray(estimator.coef_)
        if coef.ndim == 1 or coef.shape[0] == 1:
            return "linear"
    return "permutation"


def _classes(estimator: Any) -> list[Any] | None:
    classes = getattr(estimator, "classes_", None)
    return None if classes is None else list(classes)


def _positive_column(estimator: Any, positive_label: Any) -> int | None:
    """Index of the explained class for classifiers; ``None`` for regressors."""
    classes = _classes(estimator)
    if classes is None:
        return None
    if len(classes) != 2:
        raise ModelLoadError(
            f"the model is a classifier with {len(classes)} classes; auditkit explains "
            "regressors and binary classifiers only."
        )
    if positive_label is None:
        return 1
    spelling = {"1": "true", "0": "false", "1.0": "true", "0.0": "false"}
    as_text = [spelling.get(str(c).lower(), str(c).lower()) for c in classes]
    wanted = str(positive_label).lower()
    wanted = spelling.get(wanted, wanted)
    if wanted not in as_text:
        raise ModelLoadError(
            f"data.positive_label '{positive_label}' is not one of the model's classes "
            f"{[str(c) for c in classes]}."
        )
    return as_text.index(wanted)


def _transformer(pre: Any) -> Callable[[pd.DataFrame], np.ndarray]:
    def transform(frame: pd.DataFrame) -> np.ndarray:
        if pre is None:
            matrix: np.ndarray = frame.to_numpy(dtype=float)
            return matrix
        out = pre.transform(frame)
        if hasattr(out, "toarray"):
            out = out.toarray()
        return np.asarray(out, dtype=float)

    return transform


def _collapse(values: np.ndarray, mapping: np.ndarray | None, n_features: int) -> np.ndarray:
    """Sum the attributions of derived columns into their source column."""
    if mapping is None:
        return values
    collapsed = np.zeros((values.shape[0], n_features))
    np.add.at(collapsed.T, mapping, values.T)
    return collapsed


def _tree_plan(
    estimator: Any,
    transform: Callable[[pd.DataFrame], np.ndarray],
    mapping: np.ndarray | None,
    column: int | None,
) -> _Plan:
    shap = import_shap()
    explainer = shap.TreeExplainer(estimator, feature_perturbation="tree_path_dependent")
    name = type(estimator).__name__
    if column is None:
        output: Output = "log" if getattr(estimator, "loss", None) in _LOG_LOSSES else "identity"
    elif name.startswith(("RandomForest", "ExtraTrees", "DecisionTree")):
        output = "probability"
    else:
        output = "log_odds"

    def explain(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        matrix = transform(frame)
        values = np.asarray(explainer.shap_values(matrix))
        base = np.asarray(explainer.expected_value, dtype=float).reshape(-1)
        if values.ndim == 3:  # (rows, features, classes)
            values, base_value = values[:, :, column], float(base[column or 0])
        else:
            base_value = float(base[0])
            if column == 0:  # a single margin is for classes_[1]; flip for classes_[0]
                values, base_value = -values, -base_value
        collapsed = _collapse(values, mapping, frame.shape[1])
        return collapsed, np.full(len(frame), base_value)

    return _Plan(kind="tree_path_dependent", output=output, explain=explain)


def _linear_plan(
    estimator: Any,
    transform: Callable[[pd.DataFrame], np.ndarray],
    mapping: np.ndarray | None,
    column: int | None,
    background: np.ndarray,
) -> _Plan:
    shap = import_shap()
    masker = shap.maskers.Independent(background, max_samples=len(background))
    explainer = shap.LinearExplainer(estimator, masker)
    if column is not None:
        logistic = type(estimator).__name__ == "LogisticRegression" or (
            getattr(estimator, "loss", None) == "log_loss"
        )
        output: Output = "log_odds" if logistic else "margin"
    else:
        link = str(getattr(estimator, "link", "") or "")
        log_model = type(estimator).__name__ in ("PoissonRegressor", "GammaRegressor")
        output = "log" if log_model or link == "log" else "identity"

    def explain(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        values = np.asarray(explainer.shap_values(transform(frame)), dtype=float)
        base_value = float(np.asarray(explainer.expected_value, dtype=float).reshape(-1)[0])
        if column == 0:
            values, base_value = -values, -base_value
        return _collapse(values, mapping, frame.shape[1]), np.full(len(frame), base_value)

    return _Plan(kind="linear", output=output, explain=explain)


def _permutation_plan(
    model: Any, background: pd.DataFrame, *, seed: int, positive_label: Any
) -> _Plan:
    """Model-agnostic: the permutation explainer on the original columns, codes for text."""
    import pandas as pd

    shap = import_shap()
    columns = list(background.columns)
    dtypes = background.dtypes
    categories: dict[str, list[Any]] = {}
    for name in columns:
        if not pd.api.types.is_numeric_dtype(dtypes[name]):
            categories[name] = []

    def encode(frame: pd.DataFrame) -> np.ndarray:
        out = np.empty(frame.shape, dtype=float)
        for j, name in enumerate(columns):
            series = frame[name]
            if name in categories:
                known = categories[name]
                for value in series.dropna().unique():
                    if value not in known:
                        known.append(value)
                lookup = {v: float(i) for i, v in enumerate(known)}
                out[:, j] = [lookup.get(v, np.nan) for v in series]
            else:
                out[:, j] = series.to_numpy(dtype=float, na_value=np.nan)
        return out

    def decode(matrix: np.ndarray) -> pd.DataFrame:
        data: dict[str, Any] = {}
        for j, name in enumerate(columns):
            if name in categories:
                known = np.asarray(categories[name] + [None], dtype=object)
                codes = np.where(np.isnan(matrix[:, j]), len(known) - 1, matrix[:, j]).astype(int)
                data[name] = pd.Series(known[codes]).astype(dtypes[name])
            else:
                data[name] = pd.Series(matrix[:, j]).astype(dtypes[name])
        return pd.DataFrame(data, columns=columns)

    classes = _classes(model)
    if classes is not None and hasattr(model, "predict_proba"):
        column = _positive_column(model, positive_label)
        output: Output = "probability"

        def predict(matrix: np.ndarray) -> np.ndarray:
            return np.asarray(model.predict_proba(decode(matrix)))[:, column]
    else:
        output = "identity"

        def predict(matrix: np.ndarray) -> np.ndarray:
            return np.asarray(model.predict(decode(matrix)), dtype=float).reshape(-1)

    masker = shap.maskers.Independent(encode(background), max_samples=len(background))
    explainer = shap.PermutationExplainer(predict, masker, seed=seed)
    max_evals = 10 * (2 * len(columns) + 1)  # ten antithetic permutations per row

    def explain(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        result = explainer(encode(frame), max_evals=max_evals, silent=True)
        values = np.asarray(result.values, dtype=float)
        base = np.asarray(result.base_values, dtype=float).reshape(len(frame))
        return values, base

    return _Plan(kind="permutation", output=output, explain=explain)
