"""Matrix products whose bits do not depend on the machine's number of cores.

BLAS splits a product between its threads, and so orders its sums, by the number of cores: a
bootstrap's replicates (multipliers @ block sums) then differ in their last bits between a
laptop and a server, and so does findings.json (a forecast's differed in 86 lines between one
thread and two). One BLAS thread orders the sums by the shapes alone. A different CPU family can
still pick another BLAS kernel; the same machine type gives the same bytes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["product"]


def product(left: Any, right: Any) -> np.ndarray:
    """``left @ right`` on one BLAS thread.

    >>> product(np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]])).tolist()
    [[11.0]]
    """
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    with threadpool_limits(limits=1, user_api="blas"):
        return np.asarray(left @ right)
