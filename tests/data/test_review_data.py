"""The data area of the review, against hand-computed answers."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from auditkit._config import load_config
from auditkit._errors import ConfigError, InputDataError
from auditkit.data._review import review_data
from auditkit.review import ReviewContext
from tests.data.pilot import ZONES, write_pilot


def _run(path):
    config = load_config(path)
    return review_data(config, ReviewContext(config=config))


def _by_id(result):
    return {f.id: f for f in result.findings}


def test_lowest_stratum_reporting_markedly_less_fails(tmp_path):
    """20 requests per 10,000 residents against 80 elsewhere: ratio 0.25, interval below 1."""
    result = _run(write_pilot(tmp_path))
    finding = _by_id(result)["data.representativeness"]
    assert finding.status == "fail" and finding.severity == "high" and finding.item == "DAT-03"
    # by hand: muy alto 40 / 20,000 = 2 per 1,000; the rest 320 / 40,000 = 8 per 1,000
    assert finding.params["rate"] == pytest.approx(2.0)
    assert finding.params["other_rate"] == pytest.approx(8.0)
    assert finding.params["ratio"] == pytest.approx(0.25)
    assert finding.params["ci_high"] < 1
    rows = {
        (r["attribute"], r["group"]): r
        for r in result.metrics
        if r["metric"] == "requests_per_1000"
    }
    assert rows[("colonia", "Z5")]["value"] == pytest.approx(10.0)
    assert rows[("estrato", "medio")]["value"] == pytest.approx(6.0)
    assert rows[("estrato", "muy alto")]["ratio"] == pytest.approx(0.25)


def test_equal_reporting_passes(tmp_path):
    """Every zone reports 50 per 10,000: ratio 1, pass."""
    zones = {z: (s, 10_000, 50) for z, (s, _, _) in ZONES.items()}
    finding = _by_id(_run(write_pilot(tmp_path, zones=zones)))["data.representativeness"]
    assert finding.status == "pass"
    assert finding.params["ratio"] == pytest.approx(1.0)


def test_poisson_interval_with_one_zone_per_stratum(tmp_path):
    """Too few zones to resample: the Poisson interval of a rate ratio, computed by hand."""
    zones = {"A": ("muy alto", 20_000, 30), "B": ("bajo", 10_000, 45)}
    finding = _by_id(_run(write_pilot(tmp_path, zones=zones)))["data.representativeness"]
    ratio = (30 / 20_000) / (45 / 10_000)
    se = math.sqrt(1 / 30 + 1 / 45)
    assert finding.params["ratio"] == pytest.approx(ratio, rel=1e-6)
    assert finding.params["ci_low"] == pytest.approx(ratio * math.exp(-1.959964 * se), rel=1e-4)
    assert finding.params["ci_high"] == pytest.approx(ratio * math.exp(1.959964 * se), rel=1e-4)


def test_small_cells_suppressed_in_zone_rows(tmp_path):
    """Zones with fewer than min_cell requests show no count and no rate."""
    zones = dict(ZONES, Z7=("bajo", 5_000, 4))
    result = _run(write_pilot(tmp_path, zones=zones))
    row = next(r for r in result.metrics if r["group"] == "Z7")
    assert row["suppressed"] and row["n"] is None and row["value"] is None
    small = _by_id(result)["privacy.small_cells"]
    assert small.status == "pass" and small.params["suppressed"] >= 1


def test_channel_mix_by_stratum(tmp_path):
    """Shares of each channel within each stratum add up to one."""
    result = _run(write_pilot(tmp_path))
    shares = [r for r in result.metrics if r["metric"] == "channel_share"]
    by_stratum: dict[str, float] = {}
    for row in shares:
        stratum = row["group"].split(" & ")[0]
        by_stratum[stratum] = by_stratum.get(stratum, 0) + row["value"]
    assert by_stratum == pytest.approx({"muy alto": 1.0, "medio": 1.0, "bajo": 1.0})


def test_quality_findings(tmp_path):
    """Missing values, duplicates, invalid categories and a gap, each against its threshold."""
    path = write_pilot(
        tmp_path,
        raw_extra={"folio": ["X-1", "X-1", "X-2", "X-3"]},
        extra={"quality": {"categories": {"categoria": ["alumbrado", "bache"]}, "max_gap_days": 3}},
    )
    findings = _by_id(_run(path))
    assert findings["data.quality.duplicates"].status == "fail"
    categories = findings["data.quality.categories"]
    # in each zone, requests 2, 5, 8... are "basura": 6 + 6 + 20 + 20 + 33 + 33 = 118
    expected = sum(len(range(2, n, 3)) for _, _, n in ZONES.values())
    assert categories.status == "fail" and categories.params["rows"] == expected == 118
    assert findings["data.quality.missing"].status == "pass"
    assert findings["data.quality.gaps"].status == "pass"


def test_missing_and_gap(tmp_path):
    """A column half empty fails; a 10-day hole in the dates fails."""
    path = write_pilot(tmp_path, raw_extra={"canal": ["web", None]})
    findings = _by_id(_run(path))
    missing = findings["data.quality.missing"]
    assert missing.status == "fail" and missing.params["worst_column"] == "canal"
    assert missing.params["worst_share"] == pytest.approx(0.5)
    raw = (tmp_path / "requests.csv").read_text().replace("2024-01-1", "2024-02-2")
    (tmp_path / "requests.csv").write_text(raw)
    gaps = _by_id(_run(path))["data.quality.gaps"]
    # records on Jan 1-9 and 20-30, then Feb 20-29: the longest hole is Jan 31 - Feb 19
    assert (
        gaps.status == "fail" and gaps.params["days"] == 20 and gaps.params["start"] == "2024-01-31"
    )


@pytest.mark.parametrize(
    ("quality", "data", "status", "age"),
    [
        ({"as_of": "2024-02-05"}, {}, "pass", 6),
        ({"as_of": "2024-04-01", "max_staleness_days": 30}, {}, "fail", 62),
        ({}, {"prediction_time": "semana"}, "pass", 29),
        ({}, {}, "insufficient_data", None),
    ],
)
def test_freshness_against_a_date_in_the_inputs(tmp_path, quality, data, status, age):
    """Age of the latest record (2024-01-30) against as_of or the latest prediction time."""
    path = write_pilot(tmp_path, data=data, extra={"quality": quality})
    finding = _by_id(_run(path))["data.freshness"]
    assert finding.status == status
    assert finding.params.get("age_days") == age


# records run Jan 1-30: a reference inside that range leaves the later days after it
@pytest.mark.parametrize("as_of", ["2024-01-20", "2024-01-15"])
def test_records_after_the_reference_never_give_a_negative_age(tmp_path, as_of):
    """The age is measured on the records up to the reference; the later ones are a warning."""
    path = write_pilot(tmp_path, extra={"quality": {"as_of": as_of}})
    config = load_config(path)
    raw = pd.read_csv(config.resolve(config.data.raw))
    days = pd.to_datetime(raw[config.data.time]).dt.normalize()
    expected_after = int((days > pd.Timestamp(as_of)).sum())  # by hand, from the raw file
    findings = _by_id(_run(path))
    fresh = findings["data.freshness"]
    assert fresh.status == "pass"
    assert fresh.params["latest"] == as_of and fresh.params["age_days"] == 0
    later = findings["data.quality.after_reference"]
    assert later.status == "warn" and later.item == "DAT-04"
    assert expected_after > 0 and later.params["rows"] == expected_after
    assert later.params["latest"] == "2024-01-30"
    assert later.message == "data.quality.after_reference.as_of"


def test_no_warning_when_every_record_is_before_the_reference(tmp_path):
    """The earlier cases: nothing after the reference date, no after_reference finding."""
    path = write_pilot(tmp_path, extra={"quality": {"as_of": "2024-02-05"}})
    findings = _by_id(_run(path))
    assert findings["data.freshness"].params["age_days"] == 6
    assert "data.quality.after_reference" not in findings


def test_every_record_after_the_reference_cannot_be_aged(tmp_path):
    """No record on or before the reference: insufficient data, never a negative age."""
    path = write_pilot(tmp_path, extra={"quality": {"as_of": "2023-12-01"}})
    findings = _by_id(_run(path))
    assert findings["data.freshness"].status == "insufficient_data"
    assert findings["data.freshness"].message == "data.freshness.all_after_reference"
    assert findings["data.quality.after_reference"].status == "warn"


def test_leakage_windows(tmp_path):
    """Training until 2024-02-07 and evaluation from 2024-02-01 share 7 days."""
    path = write_pilot(
        tmp_path,
        data={"train_window": ["2023-01-01", "2024-02-07"], "prediction_time": "semana"},
    )
    finding = _by_id(_run(path))["data.leakage.windows"]
    assert finding.status == "fail" and finding.params["days"] == 7
    path = write_pilot(
        tmp_path,
        data={
            "train_window": ["2023-01-01", "2024-01-31"],
            "eval_window": ["2024-02-01", "2024-02-28"],
        },
    )
    assert _by_id(_run(path))["data.leakage.windows"].status == "pass"


def test_features_from_the_future(tmp_path):
    """Rows whose feature time is after their prediction time are counted."""
    import pandas as pd

    path = write_pilot(tmp_path, data={"prediction_time": "semana", "feature_time": "hasta"})
    frame = pd.read_csv(tmp_path / "predictions.csv")
    frame["hasta"] = pd.to_datetime(frame["semana"]) - pd.Timedelta(days=1)
    frame.loc[:4, "hasta"] = pd.to_datetime(frame.loc[:4, "semana"]) + pd.Timedelta(hours=3)
    frame.to_csv(tmp_path / "predictions.csv", index=False)
    finding = _by_id(_run(path))["data.leakage.features"]
    assert finding.status == "fail" and finding.params["rows"] == 5


def test_personal_data_fails_unless_declared(tmp_path):
    """A phone column in the raw requests fails LEG-04; declared with a reason, it passes."""
    phones = [f"33 {1000 + i} {2000 + i}" for i in range(50)]
    path = write_pilot(tmp_path, raw_extra={"telefono": phones})
    finding = _by_id(_run(path))["privacy.personal_data"]
    assert finding.status == "fail" and "telefono (requests.csv)" in finding.params["column_list"]
    path = write_pilot(
        tmp_path,
        raw_extra={"telefono": phones},
        extra={"privacy": {"declared": {"telefono": "needed to call back; deleted after 30 days"}}},
    )
    finding = _by_id(_run(path))["privacy.personal_data"]
    assert finding.status == "pass" and finding.message == "privacy.personal_data.declared"


def test_not_configured_needs_evidence(tmp_path):
    """Without raw records or zones, the data checks ask for evidence instead of passing."""
    path = write_pilot(tmp_path)
    text = path.read_text()
    for key in ("raw", "zones", "time", "zone", "category", "channel", "record_id"):
        text = "\n".join(line for line in text.splitlines() if not line.startswith(f"  {key}:"))
    path.write_text(text + "\n")
    findings = _by_id(_run(path))
    for check in ("data.representativeness", "data.quality", "data.freshness", "data.leakage"):
        assert findings[check].status == "needs_evidence"


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"data": {"raw": "nope.csv"}}, InputDataError, "does not exist"),
        ({"data": {"channel": "medio"}}, InputDataError, "no column 'medio'"),
        ({"data": {"population": "habitantes"}}, InputDataError, "no column 'habitantes'"),
        ({"data": {"strata": ["muy alto", "extremo"]}}, InputDataError, "extremo"),
        (
            {"zones_text": "colonia,poblacion,estrato\nZ1,mil,bajo\nZ2,5,alto\n"},
            InputDataError,
            "non-negative numbers",
        ),
        (
            {"zones_text": "colonia,poblacion,estrato\nZ1,10,bajo\nZ1,5,alto\n"},
            InputDataError,
            "more than once",
        ),
        (
            {"raw_text": "folio,creado,colonia,categoria,canal\n1,ayer,Z1,a,b\n"},
            InputDataError,
            "could not be read",
        ),
    ],
)
def test_bad_inputs(tmp_path, change, error, match):
    """Bad files and columns raise a clear error naming what is wrong; inputs are untouched."""
    path = write_pilot(tmp_path, data=change.get("data"))
    if "zones_text" in change:
        (tmp_path / "zones.csv").write_text(change["zones_text"])
    if "raw_text" in change:
        (tmp_path / "requests.csv").write_text(change["raw_text"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(error, match=match):
        _run(path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"train_window": ["2024-02-01", "2024-01-01"]}, "after"),
        ({"eval_window": ["2024-02-01"]}, "eval_window"),
    ],
)
def test_bad_windows_in_config(tmp_path, data, match):
    """Windows are [first day, last day]."""
    with pytest.raises(ConfigError, match=match):
        load_config(write_pilot(tmp_path, data=data))


def test_every_message_is_translated(tmp_path):
    """Each data finding's message exists in es, pt and en."""
    from auditkit.i18n import catalog

    path = write_pilot(
        tmp_path,
        data={"train_window": ["2023-01-01", "2024-01-31"], "prediction_time": "semana"},
        extra={"quality": {"categories": {"canal": ["web"]}}},
    )
    for finding in _run(path).findings:
        for lang in ("es", "pt", "en"):
            assert finding.message in catalog(lang), (lang, finding.message)


def test_review_end_to_end_is_reproducible(tmp_path):
    """auditkit review with the data area: findings.json valid, byte-identical on a rerun."""
    import json

    import jsonschema
    from typer.testing import CliRunner

    from auditkit.cli import app

    path = write_pilot(tmp_path, data={"prediction_time": "semana"})
    runner = CliRunner()
    outputs = []
    for out in ("a", "b"):
        result = runner.invoke(
            app, ["review", "-c", str(path), "-o", str(tmp_path / out), "--fail-on", "never"]
        )
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / out / "findings.json").read_bytes())
    assert outputs[0] == outputs[1]
    document = json.loads(outputs[0])
    schema_path = Path(__file__).resolve().parents[2] / "auditkit/schemas/findings.schema.json"
    jsonschema.validate(document, json.loads(schema_path.read_text()))
    assert document["findings"][0]["area"] in {"data", "fairness", "performance"}
    assert {"personal_data", "representativeness", "quality", "freshness", "leakage"} <= set(
        document["data"]
    )
    roles = [record["role"] for record in document["inputs"]]
    assert roles[:2] == ["raw records", "zones"]
