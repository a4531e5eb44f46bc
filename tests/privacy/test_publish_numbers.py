"""Numbers in JSON artefacts: measurements are never identifiers; coordinates still are found."""

from __future__ import annotations

import json

from auditkit.privacy import scan_bytes


def test_float_metrics_are_not_identifiers():
    """Interval endpoints that happen to pass a check digit are not national ids."""
    values = [0.12345678, 0.4123456, 0.98765432, 0.3141592, 0.2718281, 0.5772156] * 20
    document = {"rows": [{"ci_low": v, "ci_high": v + 0.01} for v in values]}
    scan = scan_bytes("findings.json", json.dumps(document).encode(), as_="artefact", max_rows=None)
    assert scan.hits == ()


def test_json_coordinates_are_still_found():
    points = [{"latitud": 20.6736 + i / 1e4, "longitud": -103.344 - i / 1e4} for i in range(30)]
    scan = scan_bytes("export.json", json.dumps(points).encode(), max_rows=None)
    assert {hit.kind for hit in scan.hits} == {"coordinates"}
