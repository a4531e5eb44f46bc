"""Independent implementations of the check digits, to generate valid identifiers in tests.

Written from the published rules, not from python-stdnum or auditkit, so the scan is checked
against an oracle it does not share code with.
"""

from __future__ import annotations

import random

# RENAPO's list of four-letter words that a CURP or RFC never starts with.
INCONVENIENT_WORDS = set(
    [
        "BACA",
        "BAKA",
        "BUEI",
        "BUEY",
        "CACA",
        "CACO",
        "CAGA",
        "CAGO",
        "CAKA",
        "CAKO",
        "COGE",
        "COGI",
        "COJA",
        "COJE",
        "COJI",
        "COJO",
        "COLA",
        "CULO",
        "FALO",
        "FETO",
        "GETA",
        "GUEI",
        "GUEY",
        "JETA",
        "JOTO",
        "KACA",
        "KACO",
        "KAGA",
        "KAGO",
        "KAKA",
        "KAKO",
        "KOGE",
        "KOGI",
        "KOJA",
        "KOJE",
        "KOJI",
        "KOJO",
        "KOLA",
        "KULO",
        "LILO",
        "LOCA",
        "LOCO",
        "LOKA",
        "LOKO",
        "MAME",
        "MAMO",
        "MEAR",
        "MEAS",
        "MEON",
        "MIAR",
        "MION",
        "MOCO",
        "MOKO",
        "MULA",
        "MULO",
        "NACA",
        "NACO",
        "PEDA",
        "PEDO",
        "PENE",
        "PIPI",
        "PITO",
        "POPO",
        "PUTA",
        "PUTO",
        "QULO",
        "RATA",
        "ROBA",
        "ROBE",
        "ROBO",
        "RUIN",
        "SENO",
        "TETA",
        "VACA",
        "VAGA",
        "VAGO",
        "VAKA",
        "VUEI",
        "VUEY",
        "WUEI",
        "WUEY",
    ]
)
CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"


def curp(rng: random.Random) -> str:
    letters = "ABDEFGHIJLMNORSTUVWYZ"  # no C, K, P, Q: keeps clear of the words CURP replaces
    consonants = "BDFGHJLMNRSTVWXYZ"
    states = ["JC", "DF", "NL", "MC", "PL", "VZ", "YN", "SL"]
    year, month, day = rng.randint(40, 99), rng.randint(1, 12), rng.randint(1, 28)
    body = (
        rng.choice(consonants)
        + rng.choice("AEIOU")
        + rng.choice(consonants)
        + rng.choice(letters)
        + f"{year:02d}{month:02d}{day:02d}"
        + rng.choice("HM")
        + rng.choice(states)
        + rng.choice(consonants)
        + rng.choice(consonants)
        + rng.choice(consonants)
        + "0"
    )
    if body[:4] in INCONVENIENT_WORDS:
        return curp(rng)
    total = sum(CURP_ALPHABET.index(ch) * (18 - i) for i, ch in enumerate(body))
    return body + str((10 - total % 10) % 10)


def rfc_person(rng: random.Random) -> str:
    consonants = "BCDFGHJKLMNPQRSTVWXYZ"
    year, month, day = rng.randint(40, 99), rng.randint(1, 12), rng.randint(1, 28)
    body = (
        rng.choice(consonants)
        + rng.choice("AEIOU")
        + rng.choice(consonants)
        + rng.choice(consonants)
        + f"{year:02d}{month:02d}{day:02d}"
        + rng.choice("123456789ABCDEFGHJKLMNPRSTUV")
        + rng.choice("123456789")
    )
    if body[:4] in INCONVENIENT_WORDS:
        return rfc_person(rng)
    total = sum(RFC_ALPHABET.index(ch) * (13 - i) for i, ch in enumerate(body))
    check = 11 - total % 11
    digit = "0" if check == 11 else "A" if check == 10 else str(check)
    return body + digit


def cpf(rng: random.Random, *, formatted: bool = True) -> str:
    base = [rng.randint(0, 9) for _ in range(9)]
    while len(set(base)) == 1:
        base = [rng.randint(0, 9) for _ in range(9)]
    for n in (10, 11):
        total = sum(d * w for d, w in zip(base, range(n, 1, -1), strict=False))
        base.append(0 if total % 11 < 2 else 11 - total % 11)
    s = "".join(map(str, base))
    return f"{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}" if formatted else s


def cnpj(rng: random.Random, *, formatted: bool = True) -> str:
    base = [rng.randint(0, 9) for _ in range(8)] + [0, 0, 0, 1]
    for weights in ((5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)):
        total = sum(d * w for d, w in zip(base, weights, strict=True))
        base.append(0 if total % 11 < 2 else 11 - total % 11)
    s = "".join(map(str, base))
    return f"{s[:2]}.{s[2:5]}.{s[5:8]}/{s[8:12]}-{s[12:]}" if formatted else s


def cl_rut(rng: random.Random, *, formatted: bool = True) -> str:
    body = str(rng.randint(5_000_000, 25_000_000))
    total = sum(int(d) * w for d, w in zip(reversed(body), [2, 3, 4, 5, 6, 7] * 2, strict=False))
    check = 11 - total % 11
    digit = "0" if check == 11 else "K" if check == 10 else str(check)
    if formatted:
        return f"{int(body):,}".replace(",", ".") + "-" + digit
    return body + digit


def co_nit(rng: random.Random, *, formatted: bool = True) -> str:
    body = str(rng.randint(800_000_000, 999_999_999))
    weights = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)
    total = sum(int(d) * w for d, w in zip(reversed(body), weights, strict=False))
    check = total % 11
    digit = str(check if check < 2 else 11 - check)
    return f"{body[:3]}.{body[3:6]}.{body[6:]}-{digit}" if formatted else body + digit


def uy_ci(rng: random.Random, *, formatted: bool = True) -> str:
    body = f"{rng.randint(1_000_000, 6_999_999):07d}"
    total = sum(int(d) * w for d, w in zip(body, (2, 9, 8, 7, 6, 3, 4), strict=True))
    digit = str((10 - total % 10) % 10)
    return f"{body[0]}.{body[1:4]}.{body[4:]}-{digit}" if formatted else body + digit


def ar_cuit(rng: random.Random, *, formatted: bool = True) -> str:
    while True:
        body = rng.choice(["20", "23", "27"]) + f"{rng.randint(10_000_000, 45_000_000):08d}"
        weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
        check = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
        if check == 10:
            continue  # such numbers get another prefix in practice
        digit = "0" if check == 11 else str(check)
        return f"{body[:2]}-{body[2:]}-{digit}" if formatted else body + digit


def random_digits(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(length))
