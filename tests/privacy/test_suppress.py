"""Small-cell suppression."""

from __future__ import annotations

import pandas as pd
import pytest

import auditkit.privacy as privacy
from auditkit.privacy import is_suppressed, suppress_count, suppress_rate, suppress_table


@pytest.mark.parametrize(
    ("n", "k", "shown"),
    [
        (0, 10, "< 10"),
        (1, 10, "< 10"),
        (9, 10, "< 10"),
        (10, 10, 10),
        (250, 10, 250),
        (4, 5, "< 5"),
        (5, 5, 5),
        (1, 1, 1),
    ],
)
def test_suppress_count(n, k, shown):
    """Counts under k become '< k'; k itself and above are shown."""
    assert suppress_count(n, k) == shown


def test_suppress_rate_follows_its_denominator():
    """A rate is hidden when the count it is computed over is under k."""
    assert suppress_rate(0.31, 10, 10) == 0.31
    assert suppress_rate(0.31, 9, 10) == "< 10"


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "10"])
def test_bad_k(k):
    """k must be a positive integer."""
    with pytest.raises(ValueError, match="positive integer"):
        suppress_count(5, k)


def test_suppress_rows_and_frame_agree():
    """Tidy rows and DataFrames are suppressed the same way; inputs are not modified."""
    rows = [
        {"zone": "A", "n": 120, "requests": 40, "rate": 3.1},
        {"zone": "B", "n": 4, "requests": 30, "rate": 0.4},
        {"zone": "C", "n": 50, "requests": 3, "rate": 0.06},
    ]
    expected = [
        {"zone": "A", "n": 120, "requests": 40, "rate": 3.1},
        {"zone": "B", "n": "< 10", "requests": 30, "rate": "< 10"},
        {"zone": "C", "n": 50, "requests": "< 10", "rate": "< 10"},
    ]
    got = suppress_table(rows, k=10, counts=["n", "requests"], rates={"rate": "n"})
    assert got == expected
    assert rows[1]["n"] == 4
    frame = pd.DataFrame(rows)
    out = suppress_table(frame, k=10, counts=["n", "requests"], rates={"rate": "n"})
    assert out.to_dict("records") == expected
    assert frame.loc[1, "n"] == 4


def test_is_suppressed():
    """The marker is recognised, numbers and other text are not."""
    assert is_suppressed("< 10") and not is_suppressed("<10 zones") and not is_suppressed(3)


def test_public_names_are_sorted_and_exported():
    """__all__ is sorted (ruff's RUF022 order: CONSTANTS, Classes, functions); names exist."""
    order = sorted(privacy.__all__, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    assert privacy.__all__ == order
    assert all(hasattr(privacy, name) for name in privacy.__all__)
