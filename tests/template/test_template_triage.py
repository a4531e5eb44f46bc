"""The request-triage pilot type: bake, redaction before learning, the scan of every output, the review."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.template.conftest import REPO

ANSWERS = {"pilot_type": "request-triage", "city": "Guadalajara", "country": "MX", "language": "es"}
PACKAGE = "guadalajara_triaje_mensajes"
QUIET = ("--fail-on", "never", "--quiet")
FORECAST_ONLY = (
    "features.py",
    "holidays.py",
    "backtest.py",
    "model.py",
    "pipeline.py",
    "tracking.py",
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env.update(extra)
    return env


def test_triage_pilot_metadata_builds_with_auditkit_pinned_by_url(baker):
    """`pip install -e .` reads the pilot's metadata with hatchling, which refuses a direct
    reference (auditkit pinned to a commit of its repository) unless the pilot allows it."""
    from hatchling.metadata.core import ProjectMetadata
    from hatchling.plugin.manager import PluginManager

    project = baker(**ANSWERS)
    metadata = ProjectMetadata(str(project), PluginManager())
    dependencies = metadata.core.dependencies  # raised ValueError before the pilot allowed it
    assert any(d.startswith("auditkit-cities @ git+") for d in dependencies), dependencies


def test_triage_bake_has_its_files_and_not_the_forecasts(baker):
    """Only the triage pilot's modules, renamed into place; nothing unrendered; every .py parses."""
    project = baker(**ANSWERS)
    assert project.name == "guadalajara-triaje-mensajes"
    package = project / "src" / PACKAGE
    assert sorted(p.name for p in (package / "triage").glob("*.py")) == [
        "__init__.py",
        "backtest.py",
        "contract.py",
        "model.py",
        "pipeline.py",
        "reasons.py",
        "redaction.py",
        "sample.py",
        "settings.py",
        "tracking.py",
    ]
    assert not any((package / name).exists() for name in FORECAST_ONLY)
    leftovers = [p for p in project.rglob("*_triage*") if not p.name.startswith("test_triage_")]
    assert leftovers == [], "triage files must be renamed into place"
    assert "request-triage" in (package / "__init__.py").read_text(encoding="utf-8")
    assert "task: classification" in (project / "audit.yaml").read_text(encoding="utf-8")
    for path in project.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".md", ".toml", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "{{" not in text and "{%" not in text, path
            if path.suffix == ".py":
                ast.parse(text)
    answers = json.loads((project / ".cookiecutter-answers.json").read_text(encoding="utf-8"))
    assert answers["pilot_type"] == "request-triage"


def test_default_bake_is_still_the_forecast(baker):
    """Without pilot_type the forecast pilot bakes as before, with no triage file."""
    project = baker(city="Zapopan", language="es")
    package = project / "src" / "zapopan_demanda_servicios"
    assert all((package / name).exists() for name in FORECAST_ONLY)
    assert not (package / "triage").exists()
    assert not list(project.rglob("*triage*"))
    assert "task: forecast" in (project / "audit.yaml").read_text(encoding="utf-8")


def test_unknown_pilot_type_is_refused(tmp_path):
    """A pilot type the template does not have stops the bake before anything is written."""
    from tests.template.conftest import bake, load_hook

    with pytest.raises(ValueError, match="choices are \\['demand-forecast', 'request-triage'\\]"):
        bake(tmp_path, pilot_type="chatbot", city="Guadalajara")
    assert not any(tmp_path.iterdir())
    hook = load_hook("pre_gen_project")
    assert hook.check_pilot_type("request-triage") is None
    assert hook.check_pilot_type("chatbot") == (
        "pilot_type must be one of demand-forecast, request-triage; found 'chatbot'."
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "city", "country"),
    [("es", "Guadalajara", "MX"), ("pt", "Recife", "BR"), ("en", "Austin", "US")],
)
def test_generated_triage_tests_pass(tmp_path, language, city, country):
    """`python -m pytest` inside a baked triage project passes (its end-to-end test included)."""
    from tests.template.conftest import bake

    project = bake(
        tmp_path, pilot_type="request-triage", language=language, city=city, country=country
    )
    env = _env()
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A triage pilot baked in Spanish for Guadalajara, trained and logged, then reviewed."""
    from mlflow.tracking import MlflowClient

    from tests.template.conftest import bake

    root = tmp_path_factory.mktemp("triage")
    project = bake(root, **ANSWERS)
    store = root / "mlflow.db"
    MlflowClient(f"sqlite:///{store}").search_experiments()
    env = _env(PYTHONPATH=str(project / "src"), MLFLOW_TRACKING_URI=f"sqlite:///{store}")
    train = subprocess.run(
        [sys.executable, "-m", PACKAGE, "train"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert train.returncode == 0, train.stderr
    review = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditkit",
            "review",
            "--config",
            "audit.yaml",
            "--out",
            "audit",
            *QUIET,
        ],
        cwd=project,
        env=_env(PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
    )
    assert review.returncode == 0, review.stderr
    return project, f"sqlite:///{store}"


def _planted(project: Path):
    sys.path.insert(0, str(project / "src"))
    try:
        from guadalajara_triaje_mensajes.triage.sample import generate  # type: ignore[import-not-found]
        from guadalajara_triaje_mensajes.triage.settings import load_settings  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    settings = load_settings(project / "config" / "pilot.yaml")
    s = settings.sample
    _, _, planted = generate(
        categories=settings.categories,
        equity_attribute=settings.equity_attribute,
        country="MX",
        zones=s.zones,
        weeks=s.weeks,
        messages_per_week=s.messages_per_week,
        start=s.start,
        seed=s.seed,
    )
    return planted


@pytest.mark.slow
def test_sample_holds_personal_data_and_no_output_does(trained):
    """The scan finds personal data in the sample, and none in anything train writes."""
    from auditkit.privacy import scan_path

    project, _ = trained
    raw = scan_path(project / "data" / "raw" / "messages.csv", country="MX")
    assert {h.kind for h in raw.hits} >= {"email", "national_id"}
    outputs = [
        p for p in (project / "outputs").iterdir() if p.suffix in (".csv", ".parquet", ".json")
    ]
    assert {p.name for p in outputs} >= {"vocabulary.csv", "messages.parquet", "predictions.csv"}
    for path in outputs:
        assert scan_path(path, country="MX").hits == (), path.name


@pytest.mark.slow
def test_no_planted_value_reaches_an_output_or_the_logged_model(trained, tmp_path):
    """Every planted name, phone, e-mail, CURP and address is absent from outputs, vocabulary and logged model."""
    import mlflow
    import skops.io

    project, uri = trained
    planted = _planted(project)
    assert set(planted["kind"]) == {"person_name", "phone", "email", "national_id", "address"}
    raw = (project / "data" / "raw" / "messages.csv").read_text(encoding="utf-8")
    values = sorted(set(planted["value"]))
    assert all(v in raw for v in values)  # the oracle: what was planted is in the sample

    client = mlflow.tracking.MlflowClient(uri)
    run = client.search_runs(client.get_experiment_by_name(project.name).experiment_id)[0]
    assert run.data.tags["auditkit.pilot_type"] == "request-triage"
    assert run.data.tags["auditkit.city"] == "Guadalajara"
    assert (run.data.tags["auditkit.kind"], run.data.tags["auditkit.task"]) == (
        "training",
        "classification",
    )
    assert {"macro_f1", "baseline_macro_f1", "to_person_rate", "coverage"} <= set(run.data.metrics)
    experiment = client.get_experiment_by_name(project.name).experiment_id
    (logged,) = client.search_logged_models([experiment])
    downloaded = tmp_path / "logged"
    mlflow.artifacts.download_artifacts(
        run_id=run.info.run_id, dst_path=str(downloaded / "run"), tracking_uri=uri
    )
    mlflow.artifacts.download_artifacts(
        artifact_uri=logged.artifact_location, dst_path=str(downloaded / "model"), tracking_uri=uri
    )
    texts = []
    for path in [*downloaded.rglob("*"), *(project / "outputs").iterdir()]:
        if not path.is_file():
            continue
        if zipfile.is_zipfile(path):  # the skops model: every member unpacked
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        else:
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    model_file = next(downloaded.rglob("model.skops"))
    model = skops.io.load(model_file, trusted=skops.io.get_untrusted_types(file=model_file))
    for _, vectorizer in model.named_steps["features"].transformer_list:
        texts.append("\n".join(vectorizer.vocabulary_))
    blob = "\n".join(texts).lower()
    leaked = [v for v in values if v.lower() in blob]
    assert leaked == []
    # pieces too: surnames next to a given name and the digits of phones and IDs
    digits = {
        "".join(c for c in v if c.isdigit())
        for v in planted.loc[planted["kind"].isin(["phone", "national_id"]), "value"]
    }
    # as a number of its own: inside a longer run of digits (a float's 17 digits, a timestamp in
    # MLflow's metadata) eight digits turn up by chance
    found = [d for d in digits if len(d) >= 8 and d in blob]  # a plain search first: fast
    assert not [d for d in found if re.search(rf"(?<!\d){d}(?!\d)", blob)]


@pytest.mark.slow
def test_review_audits_a_classifier_with_text_explanations(trained):
    """auditkit review: classification fairness by stratum and channel, linear term attributions."""
    project, _ = trained
    findings = json.loads((project / "audit" / "findings.json").read_text(encoding="utf-8"))
    text = json.dumps(findings)
    assert '"task": "classification"' in text
    explain = findings["explain"]
    assert explain["explainer"] == "linear"
    assert set(explain["class_terms"]) == {"alumbrado", "basura", "baches", "grafiti"}
    assert set(explain["group_drivers"]) == {"estrato_marginacion", "channel"}
    metrics = json.loads((project / "outputs" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["macro_f1"] > metrics["baseline_macro_f1"]
    assert {"recall_alumbrado", "to_person_rate", "coverage", "misrouted_automatic_rate"} <= set(
        metrics
    )
    figures = {p.name for p in (project / "audit" / "figures").iterdir()}
    assert "shap_bar.png" in figures


def test_auditkit_new_bakes_the_triage_pilot(tmp_path):
    """`auditkit new pilot_type=request-triage` bakes the triage pilot; an unknown type exits 2."""
    from typer.testing import CliRunner

    from auditkit.cli import app

    runner = CliRunner()
    args = ["new", "--no-input", "-o", str(tmp_path), "language=pt", "city=Recife", "country=BR"]
    result = runner.invoke(app, [*args, "pilot_type=request-triage"])
    assert result.exit_code == 0, result.output
    project = tmp_path / "recife-triagem-mensagens"
    assert (project / "src" / "recife_triagem_mensagens" / "triage" / "redaction.py").exists()
    bad = runner.invoke(app, [*args, "pilot_type=chatbot"])
    assert bad.exit_code == 2
    assert (
        "pilot_type must be one of demand-forecast, request-triage; found 'chatbot'." in bad.output
    )


EXAMPLE = REPO / "examples" / "guadalajara-triaje-mensajes"
GENERATED = (
    "audit/",
    "outputs/",
    "data/raw/messages.csv",
    "data/zones.csv",
    "mlflow.db",
    "mlruns/",
)


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and not path.relative_to(root).as_posix().startswith(GENERATED)
        and not path.relative_to(root)
        .parts[0]
        .startswith((".ruff_cache", ".pytest_cache", ".venv"))
    }


def test_triage_example_is_identical_to_a_fresh_bake(tmp_path):
    """Re-baking with the example's answers gives byte-identical files (else: make_triage_pilot.py)."""
    from tests.template.conftest import bake

    answers = json.loads((EXAMPLE / ".cookiecutter-answers.json").read_text(encoding="utf-8"))
    assert answers["pilot_type"] == "request-triage"
    fresh = bake(tmp_path, **answers)
    committed, baked = _files(EXAMPLE), _files(fresh)
    assert sorted(committed) == sorted(baked), "re-run: python examples/make_triage_pilot.py"
    different = [name for name in committed if committed[name] != baked[name]]
    assert different == [], "re-run: python examples/make_triage_pilot.py"


def test_triage_example_carries_its_metrics_and_vocabulary():
    """The committed example: macro-F1 beside the keyword baseline, a clean model vocabulary.

    Its audit bundle is regenerated, not committed (examples/ stays light): the trained pilot of
    this module is reviewed and verified in ``test_the_review_bundle_verifies``.
    """
    from typer.testing import CliRunner

    from auditkit.cli import app

    metrics = json.loads((EXAMPLE / "outputs" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["macro_f1"] > metrics["baseline_macro_f1"]
    scan = CliRunner().invoke(app, ["scan", str(EXAMPLE / "outputs" / "vocabulary.csv")])
    assert scan.exit_code == 0, scan.output
    assert "no personal data found" in scan.output


def test_the_review_bundle_verifies(trained):
    """The triage review's bundle is intact, and its vocabulary export is clean under scan."""
    from typer.testing import CliRunner

    from auditkit.cli import app

    project, _ = trained
    findings = json.loads((project / "audit" / "findings.json").read_text(encoding="utf-8"))
    assert (findings["pilot"]["city"], findings["pilot"]["language"]) == ("Guadalajara", "es")
    runner = CliRunner()
    verify = runner.invoke(app, ["verify", str(project / "audit")])
    assert verify.exit_code == 0, verify.output
    scan = runner.invoke(app, ["scan", str(project / "outputs" / "vocabulary.csv")])
    assert scan.exit_code == 0, scan.output
