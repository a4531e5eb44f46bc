"""Who reports: requests per resident by zone and equity stratum, and the channels they use.

Requests measure who reports, not who needs service. If the most marginalised zones report less
per resident, a model trained on requests sends them fewer crews, and they report less still.
This module compares the reporting rate of the most marginalised stratum with the rate of all
other strata together, with an interval from a bootstrap over zones (zones are resampled within
each stratum, so the interval reflects how much zones differ, not only Poisson noise); with too
few zones to resample it falls back to the Poisson interval of a rate ratio.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditkit._errors import InputDataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ReportingRates", "natural_key", "reporting_rates"]


def natural_key(label: str) -> tuple[Any, ...]:
    """Sort key that puts "estrato 2" before "estrato 10".

    >>> sorted(["10", "2", "1"], key=natural_key)
    ['1', '2', '10']
    """
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", label))


@dataclass
class ReportingRates:
    """Reporting rates by zone and stratum (aggregates only)."""

    per: int
    strata: list[str]
    lowest: str
    by_stratum: list[dict[str, Any]]
    by_zone: list[dict[str, Any]]
    channels: list[dict[str, Any]] = field(default_factory=list)
    ratio: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    method: str = "bootstrap"
    unmatched_requests: int = 0
    zones_without_population: int = 0


def _ratio(low_req: float, low_pop: float, rest_req: float, rest_pop: float) -> float:
    if low_pop <= 0 or rest_pop <= 0 or rest_req <= 0:
        return math.nan
    return (low_req / low_pop) / (rest_req / rest_pop)


def reporting_rates(
    raw: pd.DataFrame,
    zones: pd.DataFrame,
    *,
    zone: str,
    population: str,
    stratum: str,
    channel: str | None = None,
    strata: list[str] | None = None,
    per: int = 1000,
    bootstrap: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    zones_file: str = "zones",
) -> ReportingRates:
    """Requests per ``per`` residents by zone and stratum; the lowest stratum against the rest.

    Parameters
    ----------
    raw : DataFrame
        One row per request, with the ``zone`` column (and ``channel`` when given).
    zones : DataFrame
        One row per zone: ``zone``, ``population`` (residents) and ``stratum``.
    strata : list of str, optional
        Strata from the most to the least marginalised; default: labels in natural order
        (``1`` lowest, as Colombia's estratos).

    Raises
    ------
    InputDataError
        Repeated zones, non-numeric or negative population, strata not in the zones table.
    """
    import numpy as np
    import pandas as pd

    table = zones[[zone, population, stratum]].copy()
    table[zone] = table[zone].astype("string")
    table[stratum] = table[stratum].astype("string")
    repeated = table[zone][table[zone].duplicated()].dropna()
    if len(repeated):
        raise InputDataError(
            f"the zones table lists {repeated.nunique()} zone(s) more than once in column "
            f"'{zone}'.",
            file=zones_file,
            hint="Keep one row per zone.",
        )
    pop = pd.to_numeric(table[population], errors="coerce")
    bad = int((pop.isna() & table[population].notna()).sum() + (pop < 0).sum())
    if bad:
        raise InputDataError(
            f"column '{population}' must hold non-negative numbers of residents; {bad} row(s) "
            "do not.",
            file=zones_file,
        )
    table[population] = pop
    missing_population = int(pop.isna().sum() + (pop == 0).sum())
    table = table[pop.notna() & table[stratum].notna()]
    labels = sorted(table[stratum].dropna().unique().tolist(), key=natural_key)
    if strata:
        unknown = sorted(set(strata) - set(labels))
        if unknown:
            raise InputDataError(
                f"data.strata names strata that are not in column '{stratum}': {unknown}; "
                f"found {labels}.",
                file=zones_file,
            )
        labels = [s for s in strata if s in labels] + [s for s in labels if s not in strata]
    if len(labels) < 2:
        raise InputDataError(
            f"column '{stratum}' needs at least two strata to compare; found {labels}.",
            file=zones_file,
        )
    requests = raw[zone].astype("string").value_counts()
    table["requests"] = table[zone].map(requests).fillna(0).astype(int)
    unmatched = int(requests[~requests.index.isin(table[zone])].sum())

    by_stratum = []
    sums = table.groupby(stratum, observed=True)[["requests", population]].sum()
    for label in labels:
        req, residents = sums.loc[label, "requests"], sums.loc[label, population]
        by_stratum.append(
            {
                "stratum": label,
                "zones": int((table[stratum] == label).sum()),
                "requests": int(req),
                "population": float(residents),
                "rate": float(req) / float(residents) * per if residents > 0 else math.nan,
            }
        )
    by_zone = [
        {
            "zone": str(row[zone]),
            "stratum": str(row[stratum]),
            "requests": int(row["requests"]),
            "population": float(row[population]),
            "rate": float(row["requests"]) / float(row[population]) * per
            if row[population] > 0
            else math.nan,
        }
        for _, row in table.sort_values(zone).iterrows()
    ]

    lowest = labels[0]
    is_low = (table[stratum] == lowest).to_numpy()
    req = table["requests"].to_numpy(dtype=float)
    pop_np = table[population].to_numpy(dtype=float)
    low_req, low_pop = req[is_low].sum(), pop_np[is_low].sum()
    rest_req, rest_pop = req[~is_low].sum(), pop_np[~is_low].sum()
    ratio = _ratio(low_req, low_pop, rest_req, rest_pop)
    result = ReportingRates(
        per=per,
        strata=labels,
        lowest=lowest,
        by_stratum=by_stratum,
        by_zone=by_zone,
        ratio=None if math.isnan(ratio) else ratio,
        unmatched_requests=unmatched,
        zones_without_population=missing_population,
    )
    alpha = 1 - confidence
    if bootstrap > 0 and is_low.sum() >= 2 and (~is_low).sum() >= 2 and not math.isnan(ratio):
        rng = np.random.default_rng(seed)
        low_idx, rest_idx = np.flatnonzero(is_low), np.flatnonzero(~is_low)
        a = rng.integers(0, len(low_idx), size=(bootstrap, len(low_idx)))
        b = rng.integers(0, len(rest_idx), size=(bootstrap, len(rest_idx)))
        lr, lp = req[low_idx][a].sum(axis=1), pop_np[low_idx][a].sum(axis=1)
        rr, rp = req[rest_idx][b].sum(axis=1), pop_np[rest_idx][b].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            replicates = (lr / lp) / (rr / rp)
        replicates = replicates[np.isfinite(replicates)]
        if len(replicates):
            result.ci_low = float(np.quantile(replicates, alpha / 2))
            result.ci_high = float(np.quantile(replicates, 1 - alpha / 2))
            result.method = "bootstrap over zones"
    if result.ci_low is None and low_req > 0 and rest_req > 0:
        from statistics import NormalDist

        z = NormalDist().inv_cdf(1 - alpha / 2)
        se = math.sqrt(1 / low_req + 1 / rest_req)
        result.ci_low = ratio * math.exp(-z * se)
        result.ci_high = ratio * math.exp(z * se)
        result.method = "Poisson"
    if channel is not None and channel in raw.columns:
        joined = pd.DataFrame(
            {
                "zone": raw[zone].astype("string"),
                "channel": raw[channel].astype("string").fillna("(missing)"),
            }
        ).merge(
            table[[zone, stratum]].rename(columns={zone: "zone", stratum: "stratum"}),
            on="zone",
            how="inner",
        )
        counts = joined.groupby(["stratum", "channel"], observed=True).size()
        totals = joined.groupby("stratum", observed=True).size()
        for (label, name), n in sorted(
            counts.items(), key=lambda kv: (natural_key(kv[0][0]), kv[0][1])
        ):
            result.channels.append(
                {
                    "stratum": str(label),
                    "channel": str(name),
                    "requests": int(n),
                    "share": float(n) / float(totals[label]),
                }
            )
    return result
