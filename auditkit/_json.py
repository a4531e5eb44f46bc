"""The one JSON spelling of every output: UTF-8, indented, no NaN, a final newline."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps_json"]


def dumps_json(data: Any) -> str:
    """Canonical JSON used for every output.

    Keys keep the order they were built in (sorted where order carries no meaning, by the
    caller); non-ASCII text is written as is; NaN and infinities are refused.

    Examples
    --------
    >>> print(dumps_json({"status": "pass", "ratio": 0.8}), end="")
    {
      "status": "pass",
      "ratio": 0.8
    }
    """
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
