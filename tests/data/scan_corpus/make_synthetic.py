"""Write the synthetic tables of the scan corpus (deterministic; run from this folder).

Real Spanish- and Portuguese-language service-request exports could not be obtained here, so these
tables follow published data dictionaries (see SOURCES.md) with made-up values. Each carries the
traps seen in real exports: request numbers shaped like phone numbers, S/N flags next to address
columns, place names that honour people, street and house number in separate columns.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def cdmx(rng: random.Random) -> None:
    alcaldias = {
        "BENITO JUAREZ": (19.37, -99.16, ["DEL VALLE CENTRO", "NARVARTE PONIENTE", "PORTALES SUR"]),
        "MIGUEL HIDALGO": (19.43, -99.20, ["POLANCO II SECCION", "TACUBA", "ANAHUAC I"]),
        "GUSTAVO A. MADERO": (19.48, -99.11, ["LINDAVISTA NORTE", "SAN FELIPE DE JESUS"]),
        "VENUSTIANO CARRANZA": (19.42, -99.10, ["MORELOS II", "JARDIN BALBUENA"]),
        "ALVARO OBREGON": (19.36, -99.22, ["OLIVAR DE LOS PADRES", "SAN ANGEL"]),
        "IZTAPALAPA": (19.35, -99.06, ["SANTA CRUZ MEYEHUALCO", "DESARROLLO URBANO QUETZALCOATL"]),
    }
    temas = [
        ("ALUMBRADO", "LUMINARIA APAGADA", "SOBSE"),
        ("BACHES", "BACHE EN VIALIDAD SECUNDARIA", "ALCALDIA"),
        ("AGUA", "FUGA DE AGUA POTABLE", "SACMEX"),
        ("LIMPIA", "RECOLECCION DE RESIDUOS", "ALCALDIA"),
        ("ARBOLADO", "PODA DE ARBOL", "ALCALDIA"),
    ]
    calles = [
        "AV. INSURGENTES SUR",
        "EJE 5 SUR",
        "CALZ. DE TLALPAN",
        "CALLE SONORA",
        "AV. REVOLUCION",
    ]
    header = [
        "folio",
        "fecha_ingreso",
        "hora_ingreso",
        "canal",
        "tema",
        "subtema",
        "dependencia",
        "alcaldia",
        "colonia",
        "calle",
        "numero_exterior",
        "codigo_postal",
        "latitud",
        "longitud",
        "ubicacion_verificada",
        "estatus",
        "dias_atencion",
    ]
    rows = []
    for _ in range(60):
        alcaldia = rng.choice(sorted(alcaldias))
        lat, lon, colonias = alcaldias[alcaldia]
        tema, subtema, dependencia = rng.choice(temas)
        rows.append(
            [
                f"{rng.randint(3300000000, 3399999999)}",  # a 10-digit folio: looks like a phone
                f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                rng.choice(["0311 TELEFONICO", "APP CDMX", "WEB", "REDES SOCIALES"]),
                tema,
                subtema,
                dependencia,
                alcaldia,
                rng.choice(colonias),
                rng.choice(calles),
                str(rng.randint(1, 2999)),
                f"0{rng.randint(1000, 9999)}",
                f"{lat + rng.uniform(-0.02, 0.02):.6f}",
                f"{lon + rng.uniform(-0.02, 0.02):.6f}",
                rng.choice(["S", "N"]),
                rng.choice(["ATENDIDO", "EN PROCESO", "TURNADO"]),
                str(rng.randint(0, 40)),
            ]
        )
    with (HERE / "cdmx_solicitudes_synthetic.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def curitiba(rng: random.Random) -> None:
    bairros = ["CENTRO", "BOQUEIRAO", "CAJURU", "SITIO CERCADO", "PORTAO", "BOA VISTA", "TATUQUARA"]
    regionais = [
        "MATRIZ",
        "BOQUEIRAO",
        "CAJURU",
        "BAIRRO NOVO",
        "PORTAO",
        "BOA VISTA",
        "PINHEIRINHO",
    ]
    logradouros = [
        "RUA XV DE NOVEMBRO",
        "AV. MARECHAL FLORIANO PEIXOTO",
        "RUA PADRE ANCHIETA",
        "AV. PRESIDENTE GETULIO VARGAS",
        "RUA DR. PEDROSA",
        "AV. SETE DE SETEMBRO",
    ]
    assuntos = [
        ("ILUMINACAO PUBLICA", "LAMPADA APAGADA", "SMOP"),
        ("LIMPEZA PUBLICA", "COLETA DE LIXO", "SMMA"),
        ("PAVIMENTACAO", "BURACO NA VIA", "SMOP"),
        ("ARVORES", "PODA DE ARVORE", "SMMA"),
        ("TRANSPORTE", "ONIBUS ATRASADO", "URBS"),
    ]
    header = [
        "SOLICITACAO",
        "TIPO",
        "ORGAO",
        "DATA",
        "HORARIO",
        "ASSUNTO",
        "SUBDIVISAO",
        "DESCRICAO",
        "LOGRADOURO_ASS",
        "BAIRRO_ASS",
        "REGIONAL_ASS",
        "MEIO_RESPOSTA",
        "OBSERVACAO",
        "SEXO",
        "BAIRRO_CIDADAO",
        "REGIONAL_CIDADAO",
        "DATA_NASC",
        "TIPO_CIDADAO",
        "ORGAO_RESP",
        "RESPOSTA_FINAL",
    ]
    rows = []
    for _ in range(60):
        assunto, subdivisao, orgao = rng.choice(assuntos)
        rows.append(
            [
                str(rng.randint(10000000, 99999999)),
                rng.choice(["SOLICITACAO", "RECLAMACAO", "ELOGIO", "INFORMACAO"]),
                orgao,
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2023",
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
                assunto,
                subdivisao,
                f"{subdivisao} NA REGIAO",
                rng.choice(logradouros),
                rng.choice(bairros),
                rng.choice(regionais),
                rng.choice(["CENTRAL 156", "E-MAIL", "NAO DESEJA RESPOSTA"]),
                rng.choice(["", "RECORRENTE", "URGENTE"]),
                rng.choice(["M", "F"]),
                rng.choice(bairros),
                rng.choice(regionais),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1940, 2004)}",
                rng.choice(["CIDADAO", "SERVIDOR", "EMPRESA"]),
                orgao,
                rng.choice(["ATENDIDA", "NAO ATENDIDA", "EM ANDAMENTO"]),
            ]
        )
    path = HERE / "curitiba_156_synthetic.csv"
    with path.open("w", newline="", encoding="latin-1") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def nyc_parks(rng: random.Random) -> None:
    """NYC 311's own header, rows of the Parks and bridge complaints (facility names)."""
    with (HERE / "nyc_311.csv").open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    parks = [
        "John Jay Park",
        "Marcus Garvey Park",
        "Thomas Jefferson Park",
        "Joseph Rodman Drake Park",
        "St. Mary's Park",
        "Martin Luther King Jr. Playground",
        "Frank D. O'Connor Playground",
        "Juniper Valley Park",
        "William F. Moore Park",
        "Jackie Robinson Park",
    ]
    bridges = [
        "George Washington Bridge",
        "Robert F. Kennedy Bridge",
        "Ed Koch Queensboro Bridge",
        "Henry Hudson Bridge",
        "Verrazzano-Narrows Bridge",
    ]
    rows = []
    for i in range(40):
        row = dict.fromkeys(header, "")
        park = i % 2 == 0
        row.update(
            {
                "Unique Key": str(rng.randint(40000000, 59999999)),
                "Created Date": f"0{rng.randint(1, 9)}/{rng.randint(10, 28)}/2021 10:00:00 AM",
                "Agency": "DPR" if park else "DOT",
                "Agency Name": "Department of Parks and Recreation"
                if park
                else "Department of Transportation",
                "Complaint Type": "Maintenance or Facility" if park else "Highway Condition",
                "Status": "Closed",
                "Borough": rng.choice(["MANHATTAN", "BRONX", "QUEENS"]),
                "Open Data Channel Type": rng.choice(["PHONE", "ONLINE", "MOBILE"]),
                "Park Facility Name": rng.choice(parks) if park else "Unspecified",
                "Park Borough": rng.choice(["MANHATTAN", "BRONX", "QUEENS"]),
                "Bridge Highway Name": "" if park else rng.choice(bridges),
                "Bridge Highway Direction": "" if park else rng.choice(["Eastbound", "Westbound"]),
            }
        )
        rows.append([row[h] for h in header])
    with (HERE / "nyc_311_parks_synthetic.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    cdmx(random.Random(11))
    curitiba(random.Random(156))
    nyc_parks(random.Random(311))
