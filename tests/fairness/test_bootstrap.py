"""The bootstrap's shortcuts change no number: one product for counts, all views at once.

The oracle is the plain computation: multinomial multipliers and their product with the block
table 250 replicates at a time, each view's groups summed and its metrics computed per chunk,
and ``numpy.nanquantile`` per group and metric. The core must give the same bytes, for counts
(exact sums) and for weighted or continuous sums (where the order of the sums matters).
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
import pytest

from auditkit._blas import product
from auditkit.fairness import group_metrics
from auditkit.fairness._core import _resolve_metrics
from auditkit.fairness._metrics import DEFAULT_BANDS
from auditkit.fairness._stats import (
    block_count,
    block_statistics,
    bootstrap_replicates,
    cell_statistics,
    encode_cells,
    exact_products,
    views,
)


def test_exact_products_needs_integers_under_the_bound():
    counts = np.array([[3.0, 0.0], [1.0, 2.0]])
    assert exact_products(counts, 1000)
    assert not exact_products(counts + 0.5, 1000)  # weighted or continuous sums
    assert exact_products(-counts, 1000)  # signed integral sums (errors of counts)
    assert not exact_products(np.array([[2.0**40, 2.0**40]]), 2048)  # 2**52 reached
    assert exact_products(np.array([[2.0**40, 2.0**40]]), 2047)
    assert not exact_products(np.array([[np.inf, 1.0]]), 10)
    assert not exact_products(np.array([[np.nan, 1.0]]), 10)


def _chunked(blocks: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    k = blocks.shape[0]
    flat = blocks.reshape(k, -1)
    parts = []
    for start in range(0, n, 250):
        multipliers = rng.multinomial(k, np.full(k, 1.0 / k), size=min(250, n - start))
        parts.append(product(multipliers.astype(np.float64), flat))
    return np.concatenate(parts).reshape(n, *blocks.shape[1:])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("integral", [True, False])
def test_replicates_equal_the_chunked_product(seed, integral):
    """Counts: one product gives the chunks' numbers; other sums: still chunk by chunk."""
    rng = np.random.default_rng(seed)
    blocks = rng.poisson(3.0, size=(int(rng.integers(50, 1001)), 7, 4)).astype(np.float64)
    if not integral:
        blocks *= rng.gamma(2.0, 1.0, size=blocks.shape)
    n = int(rng.choice([1, 249, 250, 251, 1000, 1003]))
    chunks = list(bootstrap_replicates(blocks, n_replicates=n, rng=np.random.default_rng(seed)))
    assert exact_products(blocks.reshape(blocks.shape[0], -1), blocks.shape[0]) == integral
    assert len(chunks) == (1 if integral else -(-n // 250))
    got = np.concatenate(chunks)
    assert got.shape == (n, 7, 4)
    assert got.tobytes() == _chunked(blocks, n, seed).tobytes()


def test_replicates_do_not_depend_on_the_number_of_blas_threads():
    """Weighted sums: the same bits with one BLAS thread or two (a server's many cores split a
    product differently from a laptop's: plain ``@`` differs in about 40% of these numbers)."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    blocks = rng.poisson(3.0, size=(1000, 150, 4)) * rng.gamma(2.0, 1.0, size=(1000, 150, 4))
    results = []
    for threads in (1, 2):
        with threadpool_limits(limits=threads, user_api="blas"):
            chunks = bootstrap_replicates(blocks, n_replicates=250, rng=np.random.default_rng(1))
            results.append(np.concatenate(list(chunks)).tobytes())
    assert results[0] == results[1]


def test_exact_replicates_come_in_chunks_under_the_table_limit(monkeypatch):
    """Counts with many cells: several products, each under MAX_BLOCK_TABLE numbers, the same
    numbers as one."""
    import auditkit.fairness._stats as stats_module

    blocks = np.random.default_rng(1).poisson(2.0, size=(60, 9, 4)).astype(np.float64)
    monkeypatch.setattr(stats_module, "MAX_BLOCK_TABLE", 7 * 36)
    chunks = list(bootstrap_replicates(blocks, n_replicates=50, rng=np.random.default_rng(4)))
    assert [len(c) for c in chunks] == [7] * 7 + [1]
    assert np.concatenate(chunks).tobytes() == _chunked(blocks, 50, 4).tobytes()


def _table(seed: int) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    n = int(rng.choice([60, 800, 3000]))
    frame = pd.DataFrame(
        {
            "a": rng.choice(["a0", "a1", "a2", "a3"], n, p=[0.6, 0.3, 0.07, 0.03]),
            "b": rng.choice(["x", "y"], n),
            "c": rng.choice(["u", "v", "w"], n),
        }
    )
    frame.loc[rng.random(n) < 0.03, "b"] = None
    kind = seed % 3
    if kind < 2:  # classification: counts, or weighted (kind 1)
        y = (rng.random(n) < rng.uniform(0.02, 0.5)).astype(int)
        frame["y"], frame["p"] = y, np.where(rng.random(n) < 0.3, 1 - y, y)
        options = {
            "task": "classification",
            "metrics": ["selection_rate", "false_negative_rate", "precision", "accuracy"],
        }
        if kind == 1:
            frame["w"] = rng.gamma(2.0, 1.0, n)
            options["sample_weight"] = "w"
    else:  # forecast: continuous sums, a judged ratio with Bonferroni intervals
        actual = rng.poisson(rng.uniform(0.3, 20), n).astype(float)
        frame["y"], frame["p"] = actual, np.maximum(0, actual * 1.05 + rng.normal(0, 2, n))
        options = {"task": "forecast"}
    return frame, options


def _oracle(
    frame: pd.DataFrame,
    options: dict,
    bootstrap: int,
    seed: int,
    min_group_size: int,
    references: dict[str, str | None],
):
    """The intervals the plain computation gives: ``{(view, group, metric): {kind: (low, high)}}``."""
    task = options["task"]
    kind = "classification" if task == "classification" else "regression"
    specs = _resolve_metrics(task, options.get("metrics"), has_interval=False)
    index = encode_cells(frame, ["a", "b", "c"])
    truth, prediction = frame["y"].to_numpy(float), frame["p"].to_numpy(float)
    weight = frame["w"].to_numpy(float) if "sample_weight" in options else None
    stats = cell_statistics(kind, index, truth, prediction, weight=weight)
    n_blocks = block_count(len(frame), stats.size)
    blocks = block_statistics(
        kind, index, truth, prediction, n_blocks=n_blocks, seed=seed, weight=weight
    )
    replicates = _chunked(blocks, bootstrap, seed)
    all_views = views(index, intersections=True)
    alpha = 1 - 0.95  # as the core computes it from the confidence

    def quantiles(values: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
        defined = np.isfinite(values).sum(axis=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = np.nanquantile(values, [level / 2, 1 - level / 2], axis=0)
        bad = defined < max(1, values.shape[0] // 2)
        low[bad], high[bad] = np.nan, np.nan
        return low, high

    totals = np.concatenate(
        [
            np.stack([spec.compute(chunk.sum(axis=1)) for spec in specs], axis=-1)
            for chunk in (replicates[start : start + 250] for start in range(0, bootstrap, 250))
        ]
    )  # (B, M)
    overall_ci = quantiles(totals, alpha)
    result = {
        ("(all)", "(all)", spec.name): {"value": (overall_ci[0][m], overall_ci[1][m])}
        for m, spec in enumerate(specs)
    }
    for view in all_views:
        draws = []
        for start in range(0, bootstrap, 250):
            grouped = view.aggregate(replicates[start : start + 250])
            draws.append(np.stack([spec.compute(grouped) for spec in specs], axis=-1))
        values = np.concatenate(draws)  # (B, G, M)
        value_ci = quantiles(values, alpha)
        for g, group in enumerate(view.groups):
            for m, spec in enumerate(specs):
                entry = {"value": (value_ci[0][g, m], value_ci[1][g, m])}
                result[view.name, group, spec.name] = entry
        reference = references[view.name]
        if reference is None:
            continue
        g = view.groups.index(reference)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = values / values[:, g : g + 1]
        ratio_ci = quantiles(ratios, alpha)
        sized = view.counts >= min_group_size
        family = max(1, int(sized.sum()) - int(sized[g]))
        judged_ci = quantiles(ratios, alpha / family)  # Bonferroni, for judged ratios
        difference_ci = quantiles(values - values[:, g : g + 1], alpha)
        for h, group in enumerate(view.groups):
            for m, spec in enumerate(specs):
                ci = judged_ci if spec.interval_judged else ratio_ci
                entry = result[view.name, group, spec.name]
                entry["ratio"] = (ci[0][h, m], ci[1][h, m])
                entry["difference"] = (difference_ci[0][h, m], difference_ci[1][h, m])
    return result


def _same(got: float | None, expected: float) -> bool:
    if got is None:
        return not math.isfinite(expected)
    return np.float64(got).tobytes() == np.float64(expected).tobytes()


@pytest.mark.parametrize("seed", range(12))
def test_intervals_equal_the_plain_computation(seed):
    """Every interval of every view, group and metric: the oracle's bytes."""
    frame, options = _table(seed)
    bootstrap = int(np.random.default_rng(seed).choice([1, 40, 400, 1000]))
    min_group_size = 20
    result = group_metrics(
        frame,
        y_true="y",
        y_pred="p",
        groups=["a", "b", "c"],
        bootstrap=bootstrap,
        seed=seed,
        min_group_size=min_group_size,
        min_cell=1,
        band=DEFAULT_BANDS[options["task"]],
        **options,
    )
    references = {view.attribute: view.reference_group for view in result.views}
    oracle = _oracle(frame, options, bootstrap, seed, min_group_size, references)
    checked = 0
    for row in result.rows:
        entry = oracle[row["attribute"], row["group"], row["metric"]]
        assert _same(row["ci_low"], entry["value"][0])
        assert _same(row["ci_high"], entry["value"][1])
        reference = row["reference_group"]
        if row["group"] == reference or row["attribute"] == "(all)":
            continue
        if row["difference"] is not None:
            assert _same(row["difference_ci_low"], entry["difference"][0])
            assert _same(row["difference_ci_high"], entry["difference"][1])
        if row["ratio"] is not None and row["ratio_ci_low"] is not None:
            assert _same(row["ratio_ci_low"], entry["ratio"][0])
            assert _same(row["ratio_ci_high"], entry["ratio"][1])
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("seed", range(5))
def test_aggregate_is_the_same_sum_along_any_axis(seed):
    """Groups summed with the cells on axis -2 or 0, into a given array or not, cells already
    in order or reordered: the same bytes (inexact sums, whose order matters)."""
    frame, _ = _table(seed)
    if seed % 2:  # labels first seen in sorted order: the first attribute's cells in order
        frame = frame.sort_values(["a", "b", "c"], kind="stable")
    index = encode_cells(frame, ["a", "b", "c"])
    rng = np.random.default_rng(seed)
    stats = rng.gamma(2.0, 1.0, size=(30, index.n_cells, 4)) * 10.0 ** rng.integers(-6, 7, 4)
    by_cell = np.ascontiguousarray(stats.transpose(1, 0, 2))
    orders = set()
    for view in views(index, intersections=True):
        expected = view.aggregate(stats)
        assert expected.shape == (30, len(view.groups), 4)
        out = np.empty((len(view.groups), 30, 4))
        view.aggregate(by_cell, axis=0, out=out)
        assert out.transpose(1, 0, 2).tobytes() == np.ascontiguousarray(expected).tobytes()
        reordered = dataclasses.replace(view, cells_in_order=False)
        assert reordered.aggregate(stats).tobytes() == expected.tobytes()
        orders.add(view.cells_in_order)
    assert True in orders or not seed % 2
