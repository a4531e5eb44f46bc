"""register.json from the example pilot's bundle: facts equal the bundle's, nothing invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from auditkit.register import (
    build_entry,
    count_filled,
    make_register,
    parse_card,
    read_bundle,
    read_pilot_docs,
)
from auditkit.register._missing import SUPPLIED_BY

LANGS = ("es", "pt", "en")


def _entry(pilot: Path, lang: str) -> dict:
    out = pilot.parent / f"out-{lang}"
    make_register(pilot / "audit", out, lang=lang)
    return json.loads((out / "register.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_example_bundle_fills_at_least_25_fields(pilot: Path, lang: str):
    """At least 25 fields hold a fact of the example bundle or the pilot's documents."""
    entry = _entry(pilot, lang)
    assert entry["filled"] == count_filled(entry) >= 25
    # counted independently: fields whose source is named
    assert len(entry["provenance"]) >= 25
    assert entry["language"] == lang and entry["text_language"] == "es"


def test_values_are_the_bundles(pilot: Path):
    """Every number is the one in findings.json, decision.json or manifest.json (read here)."""
    findings = json.loads((pilot / "audit" / "findings.json").read_text(encoding="utf-8"))
    decision = json.loads((pilot / "audit" / "decision.json").read_text(encoding="utf-8"))
    manifest = json.loads((pilot / "audit" / "manifest.json").read_text(encoding="utf-8"))
    entry = _entry(pilot, "en")
    raw = next(i for i in manifest["inputs"] if i["role"] == "raw records")
    assert entry["data"]["records"] == raw["rows"] == 82037
    assert entry["data"]["period_start"] == findings["data"]["quality"]["first_day"]
    assert entry["data"]["period_end"] == findings["data"]["quality"]["last_day"]
    skill = next(f for f in findings["findings"] if f["id"] == "performance.baseline_skill")
    assert entry["model"]["performance"]["skill"] == skill["params"]["skill"]
    assert entry["model"]["performance"]["baseline_error"] == skill["params"]["baseline_error"]
    assert entry["risk"]["tier"] == decision["tier"]["tier"]
    assert entry["risk"]["decision"] == decision["decision"] == "escalate"
    assert len(entry["risk"]["conditions"]) == len(decision["conditions"])
    assert entry["review"]["date"] == manifest["created"][:10]
    fairness = [f for f in findings["findings"] if f["check"].startswith("fairness.disparity")]
    fairness += [f for f in findings["findings"] if f["check"] == "fairness.intersectional"]
    assert sum(entry["fairness"]["counts"].values()) == len(fairness)
    assert entry["fairness"]["counts"]["fail"] == sum(f["status"] == "fail" for f in fairness)
    assert entry["model"]["sha256"] == findings["explain"]["model"]["sha256"]
    # from the model card: the owner is written, the contact is still a placeholder
    assert entry["accountability"]["owner"] == "Gobierno de Guadalajara"
    assert entry["accountability"]["contact"] is None


def test_unknown_fields_are_missing_with_their_playbook_item(pilot: Path, repo_root: Path):
    """Every null field is listed with an existing playbook item; no filled field is listed."""
    entry = _entry(pilot, "es")
    playbook = yaml.safe_load((repo_root / "playbooks" / "city-pilot.yaml").read_text("utf-8"))
    ids = {item["id"] for item in playbook["items"]}
    listed = {m["field"]: m["item"] for m in entry["missing"]}
    for path, item in SUPPLIED_BY.items():
        section, key = path.split(".", 1)
        assert item in ids, path
        if entry[section][key] is None:
            assert listed.get(path) == item, path
        else:
            assert path not in listed, path
            assert path in entry["provenance"], path
    assert listed["accountability.contact"] == "GOV-01"
    assert listed["recourse.procedure"] == "HUM-03"
    assert listed["review.next_review"] == "EVA-03"


def test_same_inputs_same_bytes(pilot: Path):
    """Two runs over the same bundle write byte-identical files."""
    make_register(pilot / "audit", pilot.parent / "a", lang="pt")
    make_register(pilot / "audit", pilot.parent / "b", lang="pt")
    for name in ("register.json", "notice.html", "notice.md"):
        assert (pilot.parent / "a" / name).read_bytes() == (pilot.parent / "b" / name).read_bytes()


def test_without_the_pilots_documents_their_fields_are_missing(pilot: Path, tmp_path: Path):
    """A bundle alone still gives an entry; the model card's fields are missing (VAL-04...)."""
    bundle_only = tmp_path / "alone" / "audit"
    bundle_only.parent.mkdir()
    (pilot / "audit").rename(bundle_only)
    make_register(bundle_only, tmp_path / "out", lang="en")
    entry = json.loads((tmp_path / "out" / "register.json").read_text(encoding="utf-8"))
    listed = {m["field"]: m["item"] for m in entry["missing"]}
    assert listed["model.algorithm"] == "VAL-04"
    assert listed["purpose.intended_use"] == "PUR-01"
    assert entry["text_language"] is None
    assert entry["filled"] >= 25  # the bundle alone still says most of it


@pytest.mark.parametrize("standard", ["atrs", "nl", "aia"])
def test_export_uses_the_standards_field_names(pilot: Path, standard: str):
    """The export block carries the chosen standard's field names with the entry's values."""
    docs = read_pilot_docs(pilot)
    entry = build_entry(
        read_bundle(pilot / "audit"), docs, lang="en", standard=standard, generated="2026-12-01"
    ).document
    fields = entry["export"]["fields"]
    expected = {"atrs": "tier1.name", "nl": "name", "aia": "projectDetailsTitle"}[standard]
    assert fields[expected] == [{"from": "overview.name", "value": entry["overview"]["name"]}]


CARD_ES = """# Ficha
## Detalles del modelo
- **Responsable:** Gobierno de Zapopan — contacto: Dirección de Datos
- **Algoritmo:** `HistGradientBoostingRegressor` con pérdida Poisson; intervalo
  de predicción de 80 %.
## Uso previsto
- Planear cuadrillas, **como insumo** de una decisión humana.
- **Usos fuera de alcance:** **[completar]**
"""
CARD_PT = """## Detalhes do modelo
- **Responsável:** Prefeitura do Recife — contato: **[completar]**
## Distribuição e manutenção
- Responsável pela manutenção: Equipe de Dados
"""
CARD_EN = """## Motivation
- **Created by:** City of Montevideo. Funding: **[to complete]**
## Collection
- **Real source:** **[to complete: 311/WhatsApp/web system, period, coverage]**
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            CARD_ES,
            {
                "owner": "Gobierno de Zapopan",
                "contact": "Dirección de Datos",
                "algorithm": "HistGradientBoostingRegressor con pérdida Poisson; intervalo de "
                "predicción de 80 %.",
                "intended_use": "Planear cuadrillas, como insumo de una decisión humana.",
            },
        ),
        (CARD_PT, {"owner": "Prefeitura do Recife", "maintainer": "Equipe de Dados"}),
        (CARD_EN, {"data_creator": "City of Montevideo"}),
    ],
)
def test_model_card_fields_by_label_in_every_language(text: str, expected: dict):
    """Labels in es/pt/en are read; placeholders count as unknown, never as text."""
    assert parse_card(text) == expected


def test_docs_crosswalk_table_is_the_codes(repo_root: Path):
    """docs/register.md's crosswalk table lists exactly the rows of CROSSWALK."""
    from auditkit.register import CROSSWALK

    text = (repo_root / "docs" / "register.md").read_text(encoding="utf-8")
    table = text.split("<!-- crosswalk:start -->", 1)[1].split("<!-- crosswalk:end -->", 1)[0]
    rows = [line for line in table.strip().splitlines()[2:]]

    def cell(value: str | None) -> str:
        return f"`{value}`" if value else "—"

    expected = [
        f"| `{r.field}` | {cell(r.atrs)} | {cell(r.nl)} | {cell(r.aia)} |" for r in CROSSWALK
    ]
    assert rows == expected
    assert {r.field.split(".")[0] for r in CROSSWALK} >= {
        "overview",
        "accountability",
        "purpose",
        "decision_process",
        "data",
        "model",
        "fairness",
        "risk",
        "recourse",
        "review",
    }


def test_small_cells_are_withheld_from_the_entry_and_the_notice(pilot: Path):
    """A group the review suppressed as a small cell is named nowhere, nor is its ratio."""
    import copy
    import dataclasses

    from auditkit.register import build_notice, render_notice_markdown

    bundle = read_bundle(pilot / "audit")
    # the group the unsuppressed bundle names: the test would catch a leak of it
    plain = build_entry(
        bundle, read_pilot_docs(pilot), lang="en", standard="atrs", generated="2026-12-01"
    )
    named = [r for r in plain.document["fairness"]["results"] if r["worst_group"]]
    assert named, "the example names a group: nothing to withhold"
    attribute, group = named[0]["attribute"], named[0]["worst_group"]
    assert f'"{group}"' in json.dumps(plain.document, ensure_ascii=False)
    findings = copy.deepcopy(bundle.findings)
    for row in findings["metrics"]:
        if row["attribute"] == attribute and row["group"] == group:
            row["suppressed"] = True
    small = dataclasses.replace(bundle, findings=findings)
    entry = build_entry(
        small, read_pilot_docs(pilot), lang="en", standard="atrs", generated="2026-12-01"
    )
    results = entry.document["fairness"]["results"]
    hidden = [r for r in results if r["suppressed"]]
    assert hidden and all(r["attribute"] == attribute for r in hidden)
    assert all(r["worst_group"] is None and r["worst_ratio"] is None for r in hidden)
    assert f'"{group}"' not in json.dumps(entry.document, ensure_ascii=False)
    assert f"«{group}»" not in render_notice_markdown(build_notice(entry))
