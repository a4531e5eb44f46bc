"""Global importance, group drivers, proxies and reason codes against hand-computed oracles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency
from sklearn.ensemble import HistGradientBoostingRegressor

from auditkit.explain import (
    association,
    explain_model,
    explain_row,
    global_importance,
    group_drivers,
    proxy_features,
    reason_codes,
    reason_sentences,
)
from tests.explain._data import NUMERIC, city_table

RNG = np.random.default_rng(7)
VALUES = RNG.normal(size=(200, 3)) * np.array([3.0, 1.0, 0.2])
FEATURES = ["a", "b", "c"]


def test_global_importance_is_mean_absolute_attribution():
    """Means equal numpy's, sorted largest first; the interval brackets the mean; shares sum to 1."""
    result = global_importance(VALUES, FEATURES, bootstrap=300, seed=0)
    expected = np.abs(VALUES).mean(axis=0)
    assert [f.feature for f in result] == ["a", "b", "c"]
    for f in result:
        j = FEATURES.index(f.feature)
        assert f.mean_abs == pytest.approx(expected[j])
        assert f.low < f.mean_abs < f.high
        assert f.share == pytest.approx(expected[j] / expected.sum())
    again = global_importance(VALUES, FEATURES, bootstrap=300, seed=0)
    assert [(f.low, f.high) for f in result] == [(f.low, f.high) for f in again]


def test_group_drivers_match_pandas_groupby():
    """Per-group means equal a pandas groupby; the gap is max - min of the group means."""
    groups = np.where(np.arange(200) % 4 == 0, "rich", "poor")
    shifted = VALUES.copy()
    shifted[groups == "rich", 1] += 2.0
    result = group_drivers(shifted, FEATURES, list(groups), attribute="income", min_group_size=10)
    frame = pd.DataFrame(shifted, columns=FEATURES).assign(g=groups).groupby("g").mean()
    for i, group in enumerate(result.groups):
        np.testing.assert_allclose(result.mean[i], frame.loc[group].to_numpy())
    top = result.gaps[0]
    assert (top.feature, top.high_group, top.low_group) == ("b", "rich", "poor")
    assert top.gap == pytest.approx(frame.loc["rich", "b"] - frame.loc["poor", "b"])
    assert top.low > 0


def test_small_groups_are_left_out():
    """Groups under min_group_size are listed, not compared."""
    groups = ["x"] * 195 + ["y"] * 5
    result = group_drivers(VALUES, FEATURES, groups, attribute="g", min_group_size=30)
    assert result.groups == ["x"] and result.small_groups == ["y"] and result.gaps == []


def test_cramers_v_matches_the_chi_square_formula():
    """Cramér's V equals sqrt(chi2 / (n (k - 1))) computed from scipy's chi-square."""
    feature = pd.Series(RNG.choice(["a", "b", "c"], size=300))
    groups = pd.Series(np.where((feature == "a") & (RNG.random(300) < 0.8), "g1", "g2"))
    measure, value = association(feature, groups)
    table = pd.crosstab(feature, groups).to_numpy()
    chi2 = chi2_contingency(table, correction=False)[0]
    assert measure == "cramers_v"
    assert value == pytest.approx(np.sqrt(chi2 / (300 * (min(table.shape) - 1))))


def test_correlation_ratio_matches_its_definition():
    """η² is the share of the variance between group means."""
    groups = pd.Series(np.repeat(["x", "y", "z"], 100))
    feature = pd.Series(np.repeat([0.0, 1.0, 2.0], 100) + RNG.normal(0, 3, 300))
    measure, value = association(feature, groups)
    means = feature.groupby(groups).transform("mean")
    eta = np.sqrt(((means - feature.mean()) ** 2).sum() / ((feature - feature.mean()) ** 2).sum())
    assert measure == "correlation_ratio"
    assert value == pytest.approx(eta)


def test_predictive_power_catches_a_non_monotone_encoding():
    """A group hidden in |x| has no linear association but is predicted from x."""
    x = RNG.normal(size=600)
    groups = pd.Series(np.where(np.abs(x) > 0.7, "outer", "inner"))
    measure, value = association(pd.Series(x), groups)
    assert measure == "predictive_power" and value > 0.8


def test_planted_proxy_is_named_and_harmless_feature_is_not():
    """zone_code encodes income and drives the model: it fails; temperature passes."""
    data = city_table(800)
    model = HistGradientBoostingRegressor(loss="poisson", max_iter=60, random_state=0)
    model.fit(data[NUMERIC], data["requests"])
    result = explain_model(model, data[NUMERIC], max_rows=800)
    shares = {f.feature: f.share for f in global_importance(result.values, result.features)}
    proxies = proxy_features(
        result.data.reset_index(drop=True),
        {"income": data["income"].iloc[result.rows].reset_index(drop=True)},
        shares,
        threshold=0.5,
        min_share=0.05,
    )
    status = {p.feature: p.status for p in proxies}
    assert status == {"zone_code": "fail", "reports_last_week": "pass", "temperature": "pass"}
    zone = next(p for p in proxies if p.feature == "zone_code")
    assert zone.association > 0.8 and zone.share > 0.05


def test_reason_codes_are_the_largest_contributions():
    """Reasons are the top |attribution| features of the row, with their sign."""
    data = city_table(300)
    model = HistGradientBoostingRegressor(max_iter=30, random_state=0)
    model.fit(data[NUMERIC], data["requests"])
    result = explain_model(model, data[NUMERIC], max_rows=300)
    for row in (0, 17, 299):
        codes = reason_codes(result, row, top_k=2)
        order = np.argsort(-np.abs(result.values[row]))[:2]
        assert [c.feature for c in codes] == [NUMERIC[j] for j in order]
        for code in codes:
            value = result.values[row, NUMERIC.index(code.feature)]
            assert code.contribution == value
            assert code.direction == ("up" if value > 0 else "down")
    single = explain_row(model, data[NUMERIC].iloc[[17]], background=data[NUMERIC], top_k=2)
    assert single == reason_codes(result, 17, top_k=2)
    sentences = reason_sentences(single, "pt")
    verbs = {"up": "aumentou", "down": "reduziu"}
    for code, sentence in zip(single, sentences, strict=True):
        assert sentence.startswith(f"{code.feature} {verbs[code.direction]} a previsão em ")


def test_area_level_attribute_reports_zone_properties_as_context():
    """Stratum is a property of the zone, the model predicts per zone: zone code and population
    are associated with it by construction (context, not a failure); a week-level input that
    encodes the stratum is still judged."""
    rng = np.random.default_rng(3)
    zones = 30
    weeks = 40
    stratum_of = rng.choice(["very_high", "high", "low"], zones)
    population_of = np.where(stratum_of == "low", 40_000, 12_000) + rng.integers(0, 3000, zones)
    zone = np.repeat(np.arange(zones), weeks)
    data = pd.DataFrame(
        {
            "zone_code": [f"Z{z:02d}" for z in zone],
            "log_population": np.log(population_of[zone]),
            "lag_1": rng.poisson(5, zones * weeks).astype(float),
        }
    )
    stratum = pd.Series(stratum_of[zone])
    # a week-level input that varies within zones yet encodes the stratum
    leaked = data.assign(
        stratum_signal=(stratum == "low").astype(float) + rng.normal(0, 0.01, len(data))
    )
    shares = {"zone_code": 0.2, "log_population": 0.1, "lag_1": 0.5, "stratum_signal": 0.2}
    found = proxy_features(
        leaked, {"stratum": stratum}, shares, unit=pd.Series(zone), threshold=0.5
    )
    status = {p.feature: p.status for p in found}
    assert status["zone_code"] == "context" and status["log_population"] == "context"
    assert status["lag_1"] == "pass"
    assert status["stratum_signal"] == "fail"  # varies within the zone: a real proxy
    # without the unit, the same zone properties fail as proxies
    plain = proxy_features(data, {"stratum": stratum}, shares, threshold=0.5)
    assert {p.feature: p.status for p in plain}["log_population"] == "fail"
    # a row-level attribute (varies within zones) gets no context
    channel = pd.Series(rng.choice(["web", "phone"], len(data)))
    row_level = proxy_features(
        data.assign(channel_code=(channel == "web").astype(float)),
        {"channel": channel},
        {**shares, "channel_code": 0.2},
        unit=pd.Series(zone),
    )
    assert {p.feature: p.status for p in row_level}["channel_code"] == "fail"
