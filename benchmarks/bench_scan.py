"""Benchmark: the personal-data scan on 10^6 rows x 20 columns, printing rows/s.

    python benchmarks/bench_scan.py [--rows 1000000] [--csv]

The table imitates a city's service-request export: ids, dates, categories, zone names, free text,
and personal columns (names, e-mails, phones, CURP-shaped ids, CPF-shaped ids, dates of birth,
addresses, coordinates). ``--csv`` also times the scan of the same table written to CSV (reading
included). The target is 200,000 rows/s or better on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from auditkit.privacy import scan_frame, scan_path

GIVEN = ["Juan", "María", "José", "Ana", "Luis", "Carmen", "Jorge", "Rosa", "Pedro", "Lucía"]
SURNAMES = [
    "García",
    "Hernández",
    "López",
    "Martínez",
    "González",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Torres",
    "Flores",
    "Rivera",
    "Gómez",
    "Díaz",
    "Cruz",
    "Morales",
    "Reyes",
]
ZONES = [
    f"Colonia {w} {i}"
    for i, w in enumerate(
        ["Centro", "Americana", "Moderna", "Jardines", "Providencia", "Oblatos", "Miravalle"] * 70
    )
]


# The bar for 10^6 x 20 on 2 cores.
TARGET = 200_000


def make_table(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def pick(values: list[str]) -> np.ndarray:
        return np.asarray(values, dtype=object)[rng.integers(0, len(values), rows)]

    ids = np.arange(rows)
    digits = rng.integers(0, 10, size=(rows, 11)).astype(str)
    cpf = [
        "".join(d[:3]) + "." + "".join(d[3:6]) + "." + "".join(d[6:9]) + "-" + "".join(d[9:])
        for d in digits[: min(rows, rows)]
    ]
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, rows), unit="D")
    birth = pd.Timestamp("1940-01-01") + pd.to_timedelta(rng.integers(0, 25000, rows), unit="D")
    letters = np.asarray(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    curp_l = letters[rng.integers(0, 26, size=(rows, 4))]
    curp = [
        "".join(a) + f"{n:06d}HJCR" + "XX09"
        for a, n in zip(curp_l, rng.integers(0, 999999, rows), strict=True)
    ]
    return pd.DataFrame(
        {
            "folio": ids.astype(str),
            "fecha_creacion": days.strftime("%Y-%m-%d"),
            "categoria": pick(["alumbrado", "basura", "grafiti", "baches"]),
            "canal": pick(["whatsapp", "telefono", "web", "app"]),
            "colonia": pick(ZONES),
            "estrato": pick(["1", "2", "3", "4", "5"]),
            "descripcion": pick(
                [
                    f"reporte de {w} numero {i}"
                    for w in ["bache", "lampara", "basura"]
                    for i in range(300)
                ]
            ),
            "nombre": pick([f"{g} {s} {t}" for g in GIVEN for s in SURNAMES for t in SURNAMES]),
            "correo": [f"user{i}@example.com" for i in ids],
            "telefono": (3300000000 + rng.integers(0, 99999999, rows)).astype(str),
            "curp": curp,
            "cpf": cpf,
            "fecha_nacimiento": birth.strftime("%d/%m/%Y"),
            "domicilio": [f"Av. Juárez {n}" for n in rng.integers(1, 5000, rows)],
            "latitud": np.round(20.6 + rng.random(rows) * 0.2, 6),
            "longitud": np.round(-103.4 + rng.random(rows) * 0.2, 6),
            "y_pred": rng.random(rows) * 40,
            "y_true": rng.poisson(20, rows),
            "horas_atencion": np.round(rng.gamma(2, 10, rows), 1),
            "estatus": pick(["abierto", "cerrado", "en proceso"]),
        }
    )


CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "scan_corpus"
CORPUS_COUNTRY = {
    "la_myla311_2017.csv": "US",
    "nyc_311.csv": "US",
    "nyc_311_parks_synthetic.csv": "US",
    "compas_broward.csv": "US",
    "cdmx_solicitudes_synthetic.csv": "MX",
    "curitiba_156_synthetic.csv": "BR",
}


def corpus_precision(copies: int) -> None:
    """Column-level misses and false alarms on the labelled corpus of real exports, and the scan
    speed on each table repeated ``copies`` times (the rows of real exports, their own headers)."""
    import csv

    truth: dict[str, dict[str, bool]] = {}
    with (CORPUS / "labels.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth.setdefault(row["file"], {})[row["column"]] = row["personal"] == "yes"
    columns = misses = alarms = 0
    rows_scanned, seconds = 0, 0.0
    for name, country in CORPUS_COUNTRY.items():
        labels = truth[name]
        found = {h.column for h in scan_path(CORPUS / name, country=country).hits}
        personal = {c for c, yes in labels.items() if yes}
        missed, false = personal - found, found - personal
        columns += len(labels)
        misses += len(missed)
        alarms += len(false)
        print(
            f"  {name:<32} {len(labels):>3} columns, {len(personal):>2} personal: "
            f"{len(missed)} missed {sorted(missed) or ''}, {len(false)} false alarms "
            f"{sorted(false) or ''}"
        )
        encoding = "latin-1" if "curitiba" in name else "utf-8"
        table = pd.read_csv(CORPUS / name, dtype=str, sep=None, engine="python", encoding=encoding)
        big = pd.concat([table] * copies, ignore_index=True)
        t0 = time.perf_counter()
        scan_frame(big, source=name, country=country)
        seconds += time.perf_counter() - t0
        rows_scanned += len(big)
    print(
        f"corpus: {columns} labelled columns, {misses} missed, {alarms} false alarms; "
        f"scan of the tables repeated to {rows_scanned:,} rows: {rows_scanned / seconds:,.0f} "
        f"rows/s ({rows_scanned / seconds / TARGET:.1f}x the target)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--csv", action="store_true", help="also time the scan of a CSV file")
    parser.add_argument(
        "--all-rows",
        action="store_true",
        help="also time the scan of every row (auditkit scan --all-rows) instead of the sample",
    )
    parser.add_argument(
        "--corpus-copies",
        type=int,
        default=5000,
        help="repeat each corpus table this many times to time the scan on real headers",
    )
    args = parser.parse_args()
    corpus_precision(args.corpus_copies)
    t0 = time.perf_counter()
    frame = make_table(args.rows)
    print(
        f"built {len(frame):,} rows x {frame.shape[1]} columns in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    hits = scan_frame(frame, source="bench")
    elapsed = time.perf_counter() - t0
    print(
        f"scan (in memory): {elapsed:.2f} s, {len(frame) / elapsed:,.0f} rows/s "
        f"({len(frame) / elapsed / TARGET:.1f}x the target of {TARGET:,} rows/s), "
        f"{len(hits)} hits in {len({h.column for h in hits})} columns"
    )
    for hit in hits:
        print(
            f"  {hit.column:<18} {hit.kind:<13} {hit.scheme or '':<9} rows={hit.rows:,}"
            f"{' (estimated)' if hit.estimated else ''}"
        )
    if args.all_rows:
        t0 = time.perf_counter()
        every = scan_frame(frame, source="bench", max_rows=None)
        elapsed = time.perf_counter() - t0
        print(
            f"scan (in memory, every row): {elapsed:.2f} s, {len(frame) / elapsed:,.0f} rows/s "
            f"({len(frame) / elapsed / TARGET:.1f}x the target), {len(every)} hits"
        )
    if args.csv:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.csv"
            frame.to_csv(path, index=False)
            t0 = time.perf_counter()
            result = scan_path(path)
            elapsed = time.perf_counter() - t0
            print(
                f"scan (CSV, reading included, {path.stat().st_size / 1e6:.0f} MB): "
                f"{elapsed:.2f} s, {result.rows / elapsed:,.0f} rows/s "
                f"({result.rows / elapsed / TARGET:.1f}x the target), {len(result.hits)} hits"
            )


if __name__ == "__main__":
    main()
