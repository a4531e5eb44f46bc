"""Public-sector-like tables with personal data, and what the scan must find in them."""

from __future__ import annotations

import random

import pandas as pd

from tests.privacy import oracles

GIVEN = ["María Guadalupe", "José Luis", "Juan", "Ana María", "Rosa", "Jorge", "Verónica", "Luis"]
SURNAMES = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Ramírez", "Núñez"]
ZONES = [
    "Centro",
    "Miguel Hidalgo",
    "Oblatos",
    "Providencia",
    "Benito Juárez",
    "Miravalle",
    "Santa Tere",
    "Las Águilas",
]


def requests_mx(rows: int = 60, seed: int = 0) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """A Guadalajara service-request export with reporter details (Spanish headers)."""
    rng = random.Random(seed)
    frame = pd.DataFrame(
        {
            "folio": [f"GDL-2024-{i:06d}" for i in range(rows)],
            "fecha_reporte": [
                f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(rows)
            ],
            "categoria": [
                rng.choice(["alumbrado", "bache", "basura", "grafiti"]) for _ in range(rows)
            ],
            "canal": [rng.choice(["WhatsApp", "teléfono", "web", "app"]) for _ in range(rows)],
            "colonia": [rng.choice(ZONES) for _ in range(rows)],
            "estrato_marginacion": [
                rng.choice(["muy alto", "alto", "medio", "bajo"]) for _ in range(rows)
            ],
            "Nombre del solicitante": [
                f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
                for _ in range(rows)
            ],
            "CURP": [oracles.curp(rng) for _ in range(rows)],
            "Teléfono (WhatsApp)": [
                f"+52 1 33 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}" for _ in range(rows)
            ],
            "correo_electronico": [f"vecino{i}@correo.mx" if i % 3 else None for i in range(rows)],
            "FechaNacimiento": [
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/19{rng.randint(40, 99)}"
                for _ in range(rows)
            ],
            "Domicilio": [
                f"Calle {rng.choice(ZONES)} {rng.randint(1, 2500)}, Col. {rng.choice(ZONES)}"
                for _ in range(rows)
            ],
            "latitud": [round(20.6 + rng.random() * 0.1, 6) for _ in range(rows)],
            "longitud": [round(-103.4 + rng.random() * 0.1, 6) for _ in range(rows)],
            "dias_atencion": [rng.randint(0, 40) for _ in range(rows)],
            "pronostico": [round(rng.random() * 30, 4) for _ in range(rows)],
            "lat_zona": [round(20.6 + rng.random() * 0.1, 2) for _ in range(rows)],
        }
    )
    expected = {
        ("Nombre del solicitante", "person_name"),
        ("CURP", "national_id"),
        ("Teléfono (WhatsApp)", "phone"),
        ("correo_electronico", "email"),
        ("FechaNacimiento", "birth_date"),
        ("Domicilio", "address"),
        ("latitud", "coordinates"),
        ("longitud", "coordinates"),
    }
    return frame, expected


def cadastro_br(rows: int = 60, seed: int = 1) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """A Recife social-programme register (Portuguese headers, formats of Brazil)."""
    rng = random.Random(seed)
    nomes = ["Maria", "João", "Ana", "Francisco", "Antônia", "Carlos", "Juliana", "Paulo"]
    sobrenomes = ["da Silva", "dos Santos", "Oliveira", "Souza", "Lima", "Pereira", "Ferreira"]
    bairros = ["Boa Viagem", "Casa Amarela", "Ibura", "Santo Amaro", "Várzea", "Afogados"]
    frame = pd.DataFrame(
        {
            "id_registro": list(range(1, rows + 1)),
            "nome": [f"{rng.choice(nomes)} {rng.choice(sobrenomes)}" for _ in range(rows)],
            "cpf": [oracles.cpf(rng, formatted=rng.random() < 0.5) for _ in range(rows)],
            "data_nascimento": [
                f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                for _ in range(rows)
            ],
            "endereco": [
                f"Rua {rng.choice(sobrenomes)}, {rng.randint(1, 999)}" for _ in range(rows)
            ],
            "bairro": [rng.choice(bairros) for _ in range(rows)],
            "celular": [
                f"(81) 9{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}" for _ in range(rows)
            ],
            "email": [f"pessoa{i}@exemplo.com.br" for i in range(rows)],
            "geo": [
                f"{-8.05 - rng.random() / 10:.6f}, {-34.9 + rng.random() / 10:.6f}"
                for _ in range(rows)
            ],
            "renda_familiar": [round(rng.random() * 3000, 2) for _ in range(rows)],
            "qtd_pessoas": [rng.randint(1, 8) for _ in range(rows)],
        }
    )
    expected = {
        ("nome", "person_name"),
        ("cpf", "national_id"),
        ("data_nascimento", "birth_date"),
        ("endereco", "address"),
        ("celular", "phone"),
        ("email", "email"),
        ("geo", "coordinates"),
    }
    return frame, expected


def padron_co(rows: int = 60, seed: int = 2) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """A Medellín beneficiaries list (Colombian addresses, cédula, NIT of providers)."""
    rng = random.Random(seed)
    frame = pd.DataFrame(
        {
            "tipo_documento": ["CC"] * rows,
            "numero_documento": [str(rng.randint(1_000_000, 1_299_999_999)) for _ in range(rows)],
            "nombres": [rng.choice(GIVEN) for _ in range(rows)],
            "apellidos": [f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}" for _ in range(rows)],
            "direccion_residencia": [
                f"Calle {rng.randint(1, 120)} # {rng.randint(1, 90)}-{rng.randint(1, 99)}"
                for _ in range(rows)
            ],
            "comuna": [
                rng.choice(["Popular", "Manrique", "Robledo", "Belén"]) for _ in range(rows)
            ],
            "telefono_contacto": [
                f"3{rng.randint(0, 2)}{rng.randint(10_000_000, 99_999_999)}" for _ in range(rows)
            ],
            "nit_proveedor": [oracles.co_nit(rng) for _ in range(rows)],
            "estrato": [rng.randint(1, 6) for _ in range(rows)],
        }
    )
    expected = {
        ("numero_documento", "national_id"),
        ("nombres", "person_name"),
        ("apellidos", "person_name"),
        ("direccion_residencia", "address"),
        ("telefono_contacto", "phone"),
        ("nit_proveedor", "national_id"),
    }
    return frame, expected
