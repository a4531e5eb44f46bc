"""Complementary suppression: an attacker with every published count recovers no hidden cell.

The oracle is independent of the implementation: it derives the margins from the row-level
table itself (every cell of every attribute combination is the sum of its finer cells), fixes
every published count, bounds every hidden count by what the report says about it (a small cell
is between 1 and k - 1, a complementary one at least k) and asks a linear program for the least
and the largest value each hidden cell can take. A cell is recovered when they meet.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from auditkit.fairness import group_metrics
from auditkit.privacy._suppress import complementary_suppression, view_margins

K = 10
SEPARATOR = " & "


def _cells(frame: pd.DataFrame, attributes: list[str]) -> dict[tuple[str, str], int]:
    """Every published cell of the review's views: (view name, group label) -> rows."""
    cells: dict[tuple[str, str], int] = {}
    for size in range(1, len(attributes) + 1):
        for combo in itertools.combinations(attributes, size):
            counts = frame.groupby(list(combo)).size()
            for labels, n in counts.items():
                labels = labels if isinstance(labels, tuple) else (labels,)
                cells[(SEPARATOR.join(combo), SEPARATOR.join(map(str, labels)))] = int(n)
    return cells


def _equations(frame: pd.DataFrame, attributes: list[str], cells):
    """Margins from the data: a cell of k attributes sums the cells of k + 1 attributes; every
    single attribute sums to the total."""
    index = {cell: i for i, cell in enumerate(cells)}
    equations = []
    total = len(frame)
    for attribute in attributes:
        row = np.zeros(len(cells))
        for (view, _), i in index.items():
            if view == attribute:
                row[i] = 1
        equations.append((row, total))
    for size in range(2, len(attributes) + 1):
        for combo in itertools.combinations(attributes, size):
            fine = frame.groupby(list(combo)).size()
            for drop in range(size):
                kept = [a for j, a in enumerate(combo) if j != drop]
                for parent_labels in frame.groupby(kept).size().index:
                    parent_labels = (
                        parent_labels if isinstance(parent_labels, tuple) else (parent_labels,)
                    )
                    row = np.zeros(len(cells))
                    row[index[(SEPARATOR.join(kept), SEPARATOR.join(map(str, parent_labels)))]] = 1
                    for labels in fine.index:
                        if tuple(labels[j] for j in range(size) if j != drop) == parent_labels:
                            row[
                                index[(SEPARATOR.join(combo), SEPARATOR.join(map(str, labels)))]
                            ] -= 1
                    equations.append((row, 0))
    return index, equations


def recovered(frame, attributes, hidden) -> list[tuple[str, str]]:
    """Hidden cells whose count the published counts pin down (the attacker's linear program)."""
    cells = _cells(frame, attributes)
    index, equations = _equations(frame, attributes, cells)
    a_eq = np.array([row for row, _ in equations])
    b_eq = np.array([value for _, value in equations], dtype=float)
    bounds = []
    for cell in cells:
        if cell not in hidden:
            bounds.append((cells[cell], cells[cell]))
        elif hidden[cell] == "small_cell":
            bounds.append((1, K - 1))
        else:
            bounds.append((K, None))
    found = []
    for cell, kind in hidden.items():
        objective = np.zeros(len(cells))
        objective[index[cell]] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert low.status == 0 and high.status == 0, (cell, kind)
        if -high.fun - low.fun < 0.5:
            found.append(cell)
    return found


def _frame(seed: int, n_attributes: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    columns = {}
    n = int(rng.integers(150, 600))
    for a in range(n_attributes):
        groups = int(rng.integers(2, 6))
        weights = rng.dirichlet(np.full(groups, 0.6))
        columns[f"a{a}"] = rng.choice([f"g{a}{g}" for g in range(groups)], size=n, p=weights)
    frame = pd.DataFrame(columns)
    frame["y"] = rng.integers(0, 2, size=n)
    frame["p"] = rng.integers(0, 2, size=n)
    return frame


def _hidden_by_review(frame: pd.DataFrame, attributes: list[str]):
    result = group_metrics(
        frame,
        y_true="y",
        y_pred="p",
        groups=attributes,
        task="classification",
        metrics=["selection_rate"],
        min_group_size=1,
        min_cell=K,
        bootstrap=0,
    )
    published = {
        (r["attribute"], r["group"]): r["n"]
        for r in result.rows
        if r["attribute"] != "(all)" and not r["suppressed"]
    }
    hidden = {
        (r["attribute"], r["group"]): result.hidden[(r["attribute"], r["group"])]
        for r in result.rows
        if r["suppressed"]
    }
    return published, hidden


def test_oracle_recovers_a_lone_small_cell():
    """Without complementary suppression the attacker wins: the oracle can fail."""
    frame = pd.DataFrame({"zona": ["A"] * 60 + ["B"] * 5 + ["C"] * 35})
    assert recovered(frame, ["zona"], {("zona", "B"): "small_cell"}) == [("zona", "B")]


def test_issue_example_group_b_stays_hidden():
    """Overall and group A published, B under k: B's size no longer follows by subtraction."""
    frame = pd.DataFrame({"zona": ["A"] * 80 + ["B"] * 5 + ["C"] * 40, "y": 1, "p": 1})
    published, hidden = _hidden_by_review(frame, ["zona"])
    assert hidden[("zona", "B")] == "small_cell"
    assert ("zona", "C") in hidden and ("zona", "A") in published
    assert recovered(frame, ["zona"], hidden) == []


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("n_attributes", [1, 2, 3])
def test_no_hidden_cell_is_recovered(seed, n_attributes):
    """Random tables, every attribute and intersection: the review's hiding beats the oracle."""
    frame = _frame(seed, n_attributes)
    attributes = [f"a{a}" for a in range(n_attributes)]
    published, hidden = _hidden_by_review(frame, attributes)
    truth = _cells(frame, attributes)
    for cell, n in published.items():
        assert truth[cell] == n and n >= K
    for cell, kind in hidden.items():
        assert (truth[cell] < K) == (kind == "small_cell")
    assert recovered(frame, attributes, hidden) == []


def test_view_margins_match_the_data():
    """The margins the package derives are the ones the data implies (same equations)."""
    views = {"z": {"A": 50, "B": 50}, "c": {"x": 60, "y": 40}}
    views["z & c"] = {"A & x": 30, "A & y": 20, "B & x": 30, "B & y": 20}
    margins = view_margins(views)
    assert (("z", "A"), [("z & c", "A & x"), ("z & c", "A & y")]) in margins
    assert (("c", "x"), [("z & c", "A & x"), ("z & c", "B & x")]) in margins


def test_everything_small_hides_without_crashing():
    """A table where every group is small hides them all and returns."""
    counts = {"(all)": 12, "A": 4, "B": 4, "C": 4}
    hidden = complementary_suppression(counts, [("(all)", ["A", "B", "C"])], k=K, public=["(all)"])
    assert set(hidden) == {"A", "B", "C"}
