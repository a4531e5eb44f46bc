"""Qué zona es cada solicitud: etiquetas reconciliadas con la tabla de zonas, o coordenadas dentro de polígonos.

Una etiqueta de la exportación se busca, en este orden: en ``data.zone_labels`` (tal cual o
normalizada), igual a una zona, e igual a una zona tras normalizar las dos (mayúsculas, acentos,
espacios, puntuación, ceros a la izquierda en códigos y los afijos de ``data.zone_affixes``,
como "Col." o "NC"). Lo que no coincide se lista con las zonas más parecidas en un archivo
listo para pegar en ``data.zone_labels``. Con ``data.zone_polygons`` (GeoJSON) y latitud y
longitud, cada solicitud cae en el polígono que la contiene (shapely, STRtree).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from guadalajara_demanda_servicios.contract import ContractError

SUGGESTIONS = 3
MAX_SUGGESTED_LABELS = 300


def normalise(label: object, affixes: Iterable[str] = ()) -> str:
    """A label reduced for matching: no accents, case, punctuation, affixes or leading zeros.

    >>> normalise("  Col. Americana ", ["Col."])
    'americana'
    >>> normalise("ARLETA NC", ["NC"]), normalise("Mid-Town North Hollywood NC", ["NC"])
    ('arleta', 'mid town north hollywood')
    >>> normalise("011385"), normalise("São João")
    ('11385', 'sao joao')
    """
    words = _words(label)
    stripped = [_words(affix) for affix in affixes]
    changed = True
    while changed:
        changed = False
        for affix in stripped:
            size = len(affix)
            if not size or len(words) <= size:
                continue
            if words[:size] == affix:
                words, changed = words[size:], True
            elif words[-size:] == affix:
                words, changed = words[:-size], True
    return " ".join(w.lstrip("0") or "0" if w.isdigit() else w for w in words)


def _words(label: object) -> list[str]:
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\W_]+", " ", text.casefold()).split()


class ZoneMatcher:
    """Maps export labels to the zones table's names; remembers how each label matched."""

    def __init__(
        self, zones: Iterable[str], *, labels: Mapping[str, str], affixes: Iterable[str], source: Path
    ) -> None:
        self.zones = sorted({str(z) for z in zones})
        self.affixes = tuple(affixes)
        known = set(self.zones)
        wrong = sorted(v for v in labels.values() if str(v) not in known)
        if wrong:
            raise ContractError(
                f"{source}: data.zone_labels maps to zones that are not in the zones table: {wrong[:5]}. "
                f"Use the names of the zones table, e.g. {self.zones[:5]}."
            )
        self.labels = {str(k).strip(): str(v) for k, v in labels.items()}
        self.normal_labels = {normalise(k, self.affixes): v for k, v in self.labels.items()}
        self.normal_zones: dict[str, str] = {}
        clashes = []
        for zone in self.zones:
            key = normalise(zone, self.affixes)
            if key in self.normal_zones:
                clashes.append((self.normal_zones[key], zone))
            self.normal_zones[key] = zone
        self.ambiguous = {normalise(a, self.affixes) for pair in clashes for a in pair}
        self.clashes = clashes

    def match(self, label: str) -> tuple[str | None, str]:
        """The zone of one label and how it matched: mapping, exact, normalised or none."""
        if label in self.labels:
            return self.labels[label], "mapping"
        if label in set(self.zones):
            return label, "exact"
        key = normalise(label, self.affixes)
        if key in self.normal_labels:
            return self.normal_labels[key], "mapping"
        if key in self.normal_zones and key not in self.ambiguous:
            return self.normal_zones[key], "normalised"
        return None, "none"

    def map(self, values: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Zones and match kinds for a column of labels (each distinct label is looked up once)."""
        known = set(self.zones)
        zones: dict[object, str | None] = {}
        kinds: dict[object, str] = {}
        for label in values.dropna().unique():
            text = str(label)
            zones[label], kinds[label] = (text, "exact") if text in known else self.match(text)
        zone = values.map(zones).astype(object).where(values.notna(), None)
        how = values.map(kinds).astype(object).where(values.notna(), "none")
        return zone, how

    def closest(self, label: str) -> list[str]:
        """The zones whose normalised names are closest to the label's (difflib ratio ≥ 0.6)."""
        key = normalise(label, self.affixes)
        candidates = difflib.get_close_matches(key, list(self.normal_zones), n=SUGGESTIONS, cutoff=0.6)
        return [self.normal_zones[c] for c in candidates]


def suggestions_yaml(unmatched: Counter[str], matcher: ZoneMatcher) -> str:
    """A ``zone_labels`` snippet for the unmatched labels, most frequent first, to check and paste."""
    lines = [
        "# Labels of the export that match no zone, most frequent first, with the closest zones.",
        "# Check each line, fix or delete it, and paste the block under `data:` in config/pilot.yaml.",
        "zone_labels:",
    ]
    for label, rows in sorted(unmatched.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SUGGESTED_LABELS]:
        close = matcher.closest(label)
        key = json.dumps(label, ensure_ascii=False)
        if close:
            others = f"; also: {', '.join(close[1:])}" if len(close) > 1 else ""
            lines.append(f"  {key}: {json.dumps(close[0], ensure_ascii=False)}  # {rows} rows{others}")
        else:
            lines.append(f"  # {key}: ''  # {rows} rows; no close zone")
    return "\n".join(lines) + "\n"


def write_text(path: Path, text: str) -> Path:
    """Write a file whole (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return path


def read_polygons(path: Path, key: str) -> tuple[list[object], list[str]]:
    """Zone polygons and their names from a GeoJSON FeatureCollection (property ``key``)."""
    from shapely.geometry import shape

    if not path.exists():
        raise ContractError(f"{path}: file not found. Check data.zone_polygons.")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features = collection["features"]
    except (ValueError, KeyError, TypeError) as err:
        raise ContractError(f"{path}: not a GeoJSON FeatureCollection ({err}).") from err
    geometries, names = [], []
    for number, feature in enumerate(features):
        properties = feature.get("properties") or {}
        if key not in properties:
            raise ContractError(
                f"{path}: feature {number} has no property '{key}' (data.zone_polygon_key); "
                f"it has {sorted(properties)[:10]}."
            )
        try:
            geometries.append(shape(feature["geometry"]))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise ContractError(
                f"{path}: feature {number} ('{properties[key]}') has no valid geometry ({err})."
            ) from err
        names.append(str(properties[key]).strip())
    if not geometries:
        raise ContractError(f"{path}: no features.")
    return geometries, names


def zones_from_points(latitude: pd.Series, longitude: pd.Series, *, path: Path, key: str) -> pd.Series:
    """The polygon name that contains each point (the first polygon on overlaps); missing when none does."""
    import shapely
    from shapely import STRtree

    geometries, names = read_polygons(path, key)
    valid = latitude.notna() & longitude.notna() & latitude.between(-90, 90) & longitude.between(-180, 180)
    valid &= ~((latitude == 0) & (longitude == 0))  # "0, 0" stands for "no location" in many exports
    out = pd.Series(pd.NA, index=latitude.index, dtype="string")
    if not valid.any():
        return out
    points = shapely.points(longitude[valid].to_numpy(float), latitude[valid].to_numpy(float))
    point_index, polygon_index = STRtree(geometries).query(points, predicate="intersects")
    first = np.full(len(points), -1)
    order = np.lexsort((polygon_index, point_index))[::-1]  # lowest polygon wins: written last
    first[point_index[order]] = polygon_index[order]
    assigned = np.where(first >= 0, np.array(names, dtype=object)[np.maximum(first, 0)], None)
    out[valid] = pd.array(assigned, dtype="string")
    return out
