"""Small-cell suppression for every public output.

A count of fewer than ``k`` people or requests, and any rate, share or mean computed over fewer
than ``k``, is shown as the text ``"< k"`` (e.g. ``"< 10"``): small cells can identify the people
in them (one complaint from a small zone, two residents of an age band). ``k`` is
``privacy.min_cell`` in ``audit.yaml`` (default 10).

Masking small cells is not enough: when a table also publishes its total (or a group's margin),
a single suppressed cell follows by subtraction. :func:`complementary_suppression` hides more
cells until no suppressed cell can be recovered from what is published, over every margin at once
(the overall count, each attribute's groups, each intersection's cells); every area's group rows
go through it (:func:`view_margins` gives the margins of tidy group rows).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TOTAL",
    "complementary_suppression",
    "is_small",
    "is_suppressed",
    "suppress_count",
    "suppress_rate",
    "suppress_table",
    "suppressed",
    "view_margins",
]

T = TypeVar("T")


def suppressed(k: int) -> str:
    """The text shown instead of a small cell.

    >>> suppressed(10)
    '< 10'
    """
    return f"< {k}"


def is_suppressed(value: Any) -> bool:
    """True when ``value`` is the text of a suppressed cell.

    >>> is_suppressed("< 10"), is_suppressed(10)
    (True, False)
    """
    return isinstance(value, str) and value.startswith("< ") and value[2:].isdigit()


def is_small(n: int, k: int = 10) -> bool:
    """True when a cell of ``n`` people or requests is too small to publish (``n < k``).

    >>> is_small(9, 10), is_small(10, 10)
    (True, False)
    """
    return n < _check_k(k)


def _check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k (privacy.min_cell) must be a positive integer; got {k!r}")
    return k


def suppress_count(n: int, k: int = 10) -> int | str:
    """``n`` itself when at least ``k``, else ``"< k"`` (zero included).

    >>> suppress_count(12, 10), suppress_count(3, 10), suppress_count(0, 10)
    (12, '< 10', '< 10')
    """
    _check_k(k)
    return n if n >= k else suppressed(k)


def suppress_rate(value: T, n: int, k: int = 10) -> T | str:
    """A rate, share or mean ``value`` computed over ``n`` people or requests.

    >>> suppress_rate(0.25, 40), suppress_rate(0.5, 4)
    (0.25, '< 10')
    """
    _check_k(k)
    return value if n >= k else suppressed(k)


def suppress_table(
    table: pd.DataFrame | Sequence[Mapping[str, Any]],
    *,
    k: int = 10,
    counts: Iterable[str] = ("n",),
    rates: Mapping[str, str] | None = None,
) -> pd.DataFrame | list[dict[str, Any]]:
    """Suppress the small cells of a tidy table (a DataFrame or a list of row dicts).

    Parameters
    ----------
    table : DataFrame or sequence of mappings
        One row per group (x metric). Not modified: a new table is returned.
    k : int
        The minimum cell (``privacy.min_cell``).
    counts : iterable of str
        Count columns: each is suppressed where it is below ``k``. Missing columns are ignored.
    rates : mapping of str to str, optional
        Rate column -> the count column it is computed over; the rate is suppressed where that
        count is below ``k``. Every rate column is also suppressed where any count of the row
        is, so that a rate cannot reveal a suppressed count.

    Returns
    -------
    Same type as ``table``; suppressed cells hold ``"< k"`` (DataFrame columns become ``object``).

    Examples
    --------
    >>> rows = [{"zone": "A", "n": 120, "rate": 3.1}, {"zone": "B", "n": 4, "rate": 0.4}]
    >>> suppress_table(rows, k=10, counts=["n"], rates={"rate": "n"})
    [{'zone': 'A', 'n': 120, 'rate': 3.1}, {'zone': 'B', 'n': '< 10', 'rate': '< 10'}]
    """
    _check_k(k)
    count_columns = list(counts)
    rate_columns = dict(rates or {})
    if isinstance(table, Sequence):
        return [_suppress_row(row, k, count_columns, rate_columns) for row in table]
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a DataFrame or a list of dicts; got {type(table).__name__}")
    out = table.copy()
    small = pd.Series(False, index=out.index)
    for column in count_columns:
        if column in out.columns:
            below = pd.to_numeric(out[column], errors="coerce") < k
            small |= below.fillna(False)
            out[column] = out[column].astype(object).where(~below.fillna(False), suppressed(k))
    for column, denominator in rate_columns.items():
        if column not in out.columns:
            continue
        mask = small.copy()
        if denominator in table.columns:
            mask |= (pd.to_numeric(table[denominator], errors="coerce") < k).fillna(False)
        out[column] = out[column].astype(object).where(~mask, suppressed(k))
    return out


def _suppress_row(
    row: Mapping[str, Any], k: int, counts: list[str], rates: dict[str, str]
) -> dict[str, Any]:
    out = dict(row)
    small = False
    for column in counts:
        value = row.get(column)
        if isinstance(value, int | float) and not isinstance(value, bool) and value < k:
            out[column] = suppressed(k)
            small = True
    for column, denominator in rates.items():
        if column not in row:
            continue
        n = row.get(denominator)
        below = isinstance(n, int | float) and not isinstance(n, bool) and n < k
        if small or below or is_suppressed(n):
            out[column] = suppressed(k)
    return out


# --------------------------------------------------------------------------------------------
# Complementary suppression: no suppressed cell follows from the published ones by subtraction.

TOTAL = "(all)"
_SEPARATOR = " & "

Kind = Literal["small_cell", "complementary"]


def complementary_suppression(
    counts: Mapping[Hashable, int | None],
    margins: Sequence[tuple[Hashable, Sequence[Hashable]]],
    *,
    k: int = 10,
    public: Iterable[Hashable] = (),
) -> dict[Hashable, Kind]:
    """Which cells to hide so that none can be recovered from the published ones.

    Cells below ``k`` are hidden (``"small_cell"``, shown as ``"< k"``). A margin is a parent
    cell and the cells that partition it (the overall count and a zone's groups; a zone and its
    zone × channel cells): with the parent published, one hidden child follows by subtraction,
    so more cells are hidden (``"complementary"``) until, in every margin, either nothing or at
    least two cells are hidden, with at least one hidden child of ``k`` or more when the parent
    is published (a bound on each hidden cell then stays wide: a child known to be under ``k``
    next to one known to be at least ``k`` could otherwise be pinned). Finally, every hidden
    cell is checked to be undetermined by the linear system of all margins together (two
    margins can pin a cell that neither pins alone); more cells are hidden until none is.

    Parameters
    ----------
    counts : mapping
        Cell -> its count; ``None`` for a cell already hidden as a small cell.
    margins : sequence of (parent, children)
        Each parent equals the sum of its children.
    k : int
        The minimum cell (``privacy.min_cell``).
    public : iterable
        Cells that are published whatever happens (the total row count of a table).

    Returns
    -------
    dict
        The hidden cells and why.

    Examples
    --------
    >>> counts = {"(all)": 100, "A": 60, "B": 5, "C": 35}
    >>> complementary_suppression(counts, [("(all)", ["A", "B", "C"])], k=10, public=["(all)"])
    {'B': 'small_cell', 'C': 'complementary'}
    """
    _check_k(k)
    fixed = set(public)
    hidden: dict[Hashable, Kind] = {
        cell: "small_cell"
        for cell, n in counts.items()
        if cell not in fixed and (n is None or n < k)
    }
    listed = [(p, list(c)) for p, c in margins if c]
    for _ in range(len(counts) + 1):
        added = _protect_margins(counts, listed, k, fixed, hidden)
        if not added:
            determined = _determined(listed, hidden) or _pinned(counts, listed, hidden, k)
            if not determined:
                break
            added = _hide_around(determined, counts, listed, k, fixed, hidden)
            if not added:
                break
    return hidden


def _value(counts: Mapping[Hashable, int | None], cell: Hashable) -> int:
    n = counts.get(cell)
    return -1 if n is None else int(n)


def _pick(
    candidates: list[Hashable], counts: Mapping[Hashable, int | None], k: int
) -> Hashable | None:
    """The child to hide: the smallest with at least ``2k - 1`` (its bound stays wide), else the
    largest."""
    if not candidates:
        return None
    wide = [c for c in candidates if _value(counts, c) >= 2 * k - 1]
    if wide:
        return min(wide, key=lambda c: (_value(counts, c), str(c)))
    return max(candidates, key=lambda c: (_value(counts, c), str(c)))


def _protect_margins(
    counts: Mapping[Hashable, int | None],
    margins: list[tuple[Hashable, list[Hashable]]],
    k: int,
    fixed: set[Hashable],
    hidden: dict[Hashable, Kind],
) -> bool:
    added = False
    for parent, children in margins:
        hidden_children = [c for c in children if c in hidden]
        parent_hidden = parent in hidden
        if not hidden_children and not parent_hidden:
            continue
        open_children = [c for c in children if c not in hidden and c not in fixed]
        if parent_hidden:
            need = not hidden_children  # the parent is the sum of published children
        else:
            # one hidden child follows by subtraction; hidden children all known to be under k
            # could be pinned by their bounds
            need = len(hidden_children) == 1 or all(_value(counts, c) < k for c in hidden_children)
        if not need:
            continue
        if not parent_hidden and not open_children and parent not in fixed:
            hidden[parent] = "complementary"
            added = True
            continue
        pick = _pick(
            [c for c in open_children if _value(counts, c) >= k] or open_children, counts, k
        )
        if pick is not None:
            hidden[pick] = "complementary"
            added = True
    return added


# Beyond this many hidden cells the linear check (an SVD) and the bound check (linear programs)
# are skipped; the margin rules alone still hold (with thousands of groups, most are hidden).
MAX_BOUND_CHECK = 2000


def _determined(
    margins: list[tuple[Hashable, list[Hashable]]], hidden: Mapping[Hashable, Kind]
) -> list[Hashable]:
    """Hidden cells whose value the margins' equations fix (a unit vector in their row space)."""
    import numpy as np

    cells = sorted(hidden, key=str)
    if not cells or len(cells) > MAX_BOUND_CHECK:
        return []
    index = {cell: i for i, cell in enumerate(cells)}
    rows = []
    for parent, children in margins:
        row = np.zeros(len(cells))
        if parent in index:
            row[index[parent]] = 1.0
        for child in children:
            if child in index:
                row[index[child]] -= 1.0
        if row.any():
            rows.append(row)
    if not rows:
        return []
    matrix = np.array(rows)
    if matrix.shape[0] < matrix.shape[1]:  # square it so that vt spans every direction
        matrix = np.vstack([matrix, np.zeros((matrix.shape[1] - matrix.shape[0], len(cells)))])
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > 1e-9 * max(singular.max(), 1.0)).sum())
    null = vt[rank:].T  # columns span the null space
    if null.shape[1] == 0:
        return cells
    free = np.linalg.norm(null, axis=1) > 1e-9
    return [cell for cell, ok in zip(cells, free, strict=True) if not ok]


def _pinned(
    counts: Mapping[Hashable, int | None],
    margins: list[tuple[Hashable, list[Hashable]]],
    hidden: Mapping[Hashable, Kind],
    k: int,
) -> list[Hashable]:
    """Hidden cells whose bounds pin them: what a reader knows (published counts, a small cell
    between 1 and k - 1, a complementary one at least k, every margin's sum) leaves one value.

    Two linear programs per hidden cell (its least and largest value), solved with HiGHS.
    """
    if not hidden or len(hidden) > MAX_BOUND_CHECK:
        return []
    import numpy as np
    from scipy.optimize import linprog

    # unknowns: the hidden cells (and counts not known here); published counts are constants
    cells: list[Hashable] = []
    index: dict[Hashable, int] = {}
    rows: list[tuple[list[tuple[Hashable, float]], float]] = []
    for parent, children in margins:
        terms = [(parent, 1.0)] + [(child, -1.0) for child in children]
        unknown = [(c, w) for c, w in terms if c in hidden or counts.get(c) is None]
        if not unknown:
            continue
        constant = -sum(w * float(counts[c] or 0) for c, w in terms if (c, w) not in unknown)
        for cell, _ in unknown:
            if cell not in index:
                index[cell] = len(cells)
                cells.append(cell)
        rows.append((unknown, constant))
    bounds: list[tuple[float | None, float | None]] = [
        ((1, k - 1) if hidden[c] == "small_cell" else (k, None)) if c in hidden else (0, None)
        for c in cells
    ]
    # the unknowns fall apart into groups linked by equations: one small program per group
    parent_of = list(range(len(cells)))

    def find(i: int) -> int:
        while parent_of[i] != i:
            parent_of[i] = parent_of[parent_of[i]]
            i = parent_of[i]
        return i

    for unknown, _ in rows:
        first = find(index[unknown[0][0]])
        for cell, _ in unknown[1:]:
            parent_of[find(index[cell])] = first
    components: dict[int, list[int]] = {}
    for i in range(len(cells)):
        components.setdefault(find(i), []).append(i)
    pinned = []
    for members in components.values():
        local = {i: j for j, i in enumerate(members)}
        equations = [r for r in rows if index[r[0][0][0]] in local]
        a_eq = np.zeros((len(equations), len(members)))
        b_eq = np.zeros(len(equations))
        for row, (unknown, constant) in enumerate(equations):
            for cell, weight in unknown:
                a_eq[row, local[index[cell]]] += weight
            b_eq[row] = constant
        box = [bounds[i] for i in members]
        # feasible points for random objectives: a cell that differs between two is not pinned;
        # only the others need their least and largest value
        rng = np.random.default_rng(len(members))
        points = []
        for _ in range(6):
            direction = rng.normal(size=len(members))
            for sign in (1.0, -1.0):
                found = linprog(sign * direction, A_eq=a_eq, b_eq=b_eq, bounds=box, method="highs")
                if found.status == 0:
                    points.append(found.x)
        spread = np.ptp(np.array(points), axis=0) if points else np.zeros(len(members))
        for i in members:
            cell = cells[i]
            if cell not in hidden or spread[local[i]] >= 0.5:
                continue
            objective = np.zeros(len(members))
            objective[local[i]] = 1.0
            low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=box, method="highs")
            high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=box, method="highs")
            if low.status == 0 and high.status == 0 and -high.fun - low.fun < 0.5:
                pinned.append(cell)
    return sorted(pinned, key=str)


def _hide_around(
    determined: list[Hashable],
    counts: Mapping[Hashable, int | None],
    margins: list[tuple[Hashable, list[Hashable]]],
    k: int,
    fixed: set[Hashable],
    hidden: dict[Hashable, Kind],
) -> bool:
    added = False
    for cell in determined:
        for parent, children in margins:
            if cell != parent and cell not in children:
                continue
            open_children = [c for c in children if c not in hidden and c not in fixed]
            pick = _pick(open_children, counts, k)
            if pick is None and parent not in hidden and parent not in fixed:
                pick = parent
            if pick is not None:
                hidden[pick] = "complementary"
                added = True
                break
    return added


def view_margins(
    views: Mapping[str, Mapping[str, int | None]],
) -> list[tuple[Hashable, list[Hashable]]]:
    """The margins of tidy group rows: every attribute partitions the total, and every
    intersection ``"a & b"`` partitions each group of ``a`` and of ``b``.

    Parameters
    ----------
    views : mapping
        Attribute (``"zona"`` or ``"zona & canal"``) -> group label -> count. Cells are
        ``(attribute, group)``; the total is ``(TOTAL, TOTAL)``.

    >>> views = {"z": {"A": 50, "B": 50}, "c": {"x": 60, "y": 40},
    ...          "z & c": {"A & x": 30, "A & y": 20, "B & x": 30, "B & y": 20}}
    >>> len(view_margins(views))
    7
    """
    margins: list[tuple[Hashable, list[Hashable]]] = []
    total = (TOTAL, TOTAL)
    for attribute, groups in views.items():
        margins.append((total, [(attribute, g) for g in groups]))
        parts = attribute.split(_SEPARATOR)
        if len(parts) < 2:
            continue
        for drop in range(len(parts)):
            kept = [p for i, p in enumerate(parts) if i != drop]
            parent_view = _SEPARATOR.join(kept)
            if parent_view not in views:
                continue
            children: dict[str, list[Hashable]] = {}
            for group in groups:
                labels = group.split(_SEPARATOR)
                if len(labels) != len(parts):
                    continue
                key = _SEPARATOR.join(label for i, label in enumerate(labels) if i != drop)
                children.setdefault(key, []).append((attribute, group))
            for key, cells in children.items():
                margins.append(((parent_view, key), cells))
    return margins


# keys of a tidy metric row that describe the group's size or values (hidden with the cell)
_VALUE_KEYS = (
    "value",
    "ci_low",
    "ci_high",
    "n",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
    "difference",
    "difference_ci_low",
    "difference_ci_high",
)


def protect_rows(rows: Sequence[Mapping[str, Any]], *, k: int = 10) -> dict[tuple[str, str], Kind]:
    """Complementary suppression of an area's tidy metric rows, in place.

    Rows are grouped into cells ``(attribute, group)`` (every metric of a group shares its
    count); the overall row (attribute ``"(all)"``) is the published total. Cells hidden for
    complementary suppression get ``suppressed = True`` and no size or value, exactly like small
    cells.

    Returns
    -------
    dict
        ``(attribute, group)`` -> ``"small_cell"`` or ``"complementary"`` for every hidden cell.
    """
    views: dict[str, dict[str, int | None]] = {}
    for row in rows:
        attribute, group = row.get("attribute"), row.get("group")
        if attribute is None or group is None or attribute == TOTAL:
            continue
        n = None if row.get("suppressed") else row.get("n")
        cell = views.setdefault(str(attribute), {})
        if cell.get(str(group), 0) is not None:
            cell[str(group)] = None if n is None else int(n)
    counts: dict[Hashable, int | None] = {
        (attribute, group): n for attribute, groups in views.items() for group, n in groups.items()
    }
    total = (TOTAL, TOTAL)
    overall = [int(r["n"]) for r in rows if r.get("attribute") == TOTAL and r.get("n") is not None]
    counts[total] = overall[0] if overall else None
    hidden = complementary_suppression(counts, view_margins(views), k=k, public=[total])
    hidden.pop(total, None)
    for row in rows:
        key = (str(row.get("attribute")), str(row.get("group")))
        if hidden.get(key) == "complementary":
            cell = cast("dict[str, Any]", row)  # metric rows (MetricRow) are plain dicts
            for name in _VALUE_KEYS:
                if name in cell:
                    cell[name] = None
            cell["suppressed"] = True
    return {
        (str(key[0]), str(key[1])): kind for key, kind in hidden.items() if isinstance(key, tuple)
    }
