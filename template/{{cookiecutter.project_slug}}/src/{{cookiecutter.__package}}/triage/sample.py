{% if cookiecutter.language == "es" -%}
"""Mensajes sintéticos de residentes, con la variación y los datos personales de los reales.

Cada mensaje trata de un tema (el área que el personal le asignó) y varía como varían los reales:

- en las zonas más marginadas los mensajes son más cortos e informales (sin acentos, "q", "xfa"),
  llegan más por WhatsApp y como notas de voz transcritas (sin puntuación, con muletillas), y usan
  otro vocabulario ("foco" en vez de "luminaria", "hoyo" en vez de "bache");
- algunos mensajes mencionan dos temas, y algunos no nombran el problema ("ya vinieron?");
- en temporada de lluvias hay más baches.

Y llevan datos personales plantados, como los reales: nombres, teléfonos, correos, CURP (válidas
por su dígito verificador) y domicilios. Esos datos deben desaparecer antes de aprender
(``triage.redaction``); ``generate`` devuelve también la lista de lo plantado, para probarlo.
"""

{%- elif cookiecutter.language == "pt" -%}
"""Mensagens sintéticas de moradores, com a variação e os dados pessoais das reais.

Cada mensagem trata de um tema (a área que a equipe atribuiu) e varia como as reais variam:

- nas zonas mais vulneráveis as mensagens são mais curtas e informais (sem acentos, "q", "vc"),
  chegam mais por WhatsApp e como áudios transcritos (sem pontuação, com muletas), e usam outro
  vocabulário ("lâmpada" em vez de "luminária", "cratera" em vez de "buraco");
- algumas mensagens mencionam dois temas, e algumas não dizem o problema ("já vieram?");
- na estação de chuvas há mais buracos.

E levam dados pessoais plantados, como as reais: nomes, telefones, e-mails, CPF (válidos pelos
dígitos verificadores) e endereços. Esses dados devem sumir antes de aprender
(``triage.redaction``); ``generate`` devolve também a lista do que foi plantado, para testá-lo.
"""
{%- else -%}
"""Synthetic residents' messages, with the variation and the personal data of real ones.

Each message is about one topic (the department staff assigned) and varies as real ones do:

- in the most deprived zones messages are shorter and more informal (no accents, "u", "pls"),
  arrive more by WhatsApp and as transcribed voice notes (no punctuation, fillers), and use other
  words ("bulb" for "street light", "hole" for "pothole");
- some messages mention two topics, and some do not name the problem ("did anyone come?");
- the rainy season brings more potholes.

And they carry planted personal data, as real ones do: names, phone numbers, e-mail addresses,
national IDs (valid by their check digits, where the country has one in python-stdnum) and street
addresses. These must be gone before anything is learned (``triage.redaction``); ``generate`` also
returns what was planted, so that this can be tested.
"""
{%- endif %}

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

{% if cookiecutter.language == "es" -%}
STRATA = ("bajo", "medio", "alto", "muy_alto")  # de menos a más marginado
CHANNELS = ("whatsapp", "voz", "web", "app")
{%- elif cookiecutter.language == "pt" -%}
STRATA = ("baixo", "medio", "alto", "muito_alto")  # do menos ao mais vulnerável
CHANNELS = ("whatsapp", "voz", "web", "app")
{%- else -%}
STRATA = ("low", "medium", "high", "very_high")  # from least to most deprived
CHANNELS = ("whatsapp", "voice", "web", "app")
{%- endif %}

# By stratum (least to most deprived): share of informal writers, and channel mix.
INFORMAL = np.array([0.2, 0.35, 0.6, 0.8])
CHANNEL_MIX = np.array(
    [
        [0.30, 0.05, 0.30, 0.35],
        [0.40, 0.10, 0.25, 0.25],
        [0.50, 0.20, 0.12, 0.18],
        [0.55, 0.30, 0.05, 0.10],
    ]
)
PLANT = {"name": 0.3, "phone": 0.3, "email": 0.12, "national_id": 0.08, "address": 0.3}

{% if cookiecutter.language == "es" -%}
# Temas, en el orden en que se asignan a las categorías del piloto (formal, informal).
THEMES = [
    (
        [
            "la luminaria está apagada",
            "no funciona el alumbrado público",
            "la lámpara del poste no enciende",
            "el alumbrado parpadea toda la noche",
        ],
        [
            "el foco de la calle no prende",
            "esta bien oscuro no hay luz en el poste",
            "se fundio el foco",
            "no hay luz en la calle",
        ],
    ),
    (
        [
            "no ha pasado el servicio de recolección de basura",
            "hay acumulación de residuos en la esquina",
            "el contenedor de basura está desbordado",
        ],
        [
            "no pasa el camion de la basura",
            "ya hay mucha basura tirada",
            "la basura ya huele bien feo",
            "el camion no vino otra vez",
        ],
    ),
    (
        ["hay un bache profundo en el pavimento", "el pavimento está hundido", "hay baches que dañan los autos"],
        [
            "hay un hoyo enorme en la calle",
            "el hoyo ya esta bien grande",
            "se hizo un pozo en el asfalto",
            "los carros caen en el hoyo",
        ],
    ),
    (
        ["pintaron grafiti en la fachada", "hay grafiti en el muro de la escuela", "vandalizaron la barda con pintura"],
        [
            "rayaron la pared",
            "pintaron toda la barda",
            "hay pintas en la pared de la tienda",
            "otra vez rayones en el muro",
        ],
    ),
    (
        ["hay una fuga de agua en la banqueta", "no llega el agua potable", "la tubería está rota"],
        ["se esta tirando el agua", "no hay agua desde ayer", "brota agua de la calle"],
    ),
]
GREETINGS = (
    ["Buenos días,", "Buenas tardes,", "Hola, buen día.", "Por medio de este mensaje reporto que"],
    ["hola", "oigan", "buenas", "q tal"],
)
VAGUE = ["ya vinieron a ver lo que reporte?", "siguen sin venir", "cuando vienen?", "otra vez lo mismo"]
CLOSINGS = (["Gracias por su atención.", "Quedo atento.", "Agradezco su apoyo."], ["xfa", "gracias", "ayuda", "urge"])
DURATION = (["desde hace {n} días", "desde la semana pasada"], ["ya tiene {n} dias", "desde hace rato"])
FILLERS = ["este", "o sea", "pues", "eh", "bueno"]
GIVEN = ["María", "José", "Guadalupe", "Juan", "Ana", "Luis", "Rosa", "Carlos", "Verónica", "Jorge"]
SURNAMES = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Flores",
]
STREETS = [
    "Calle Hidalgo",
    "Av. Juárez",
    "Calle Morelos",
    "Av. Independencia",
    "Calz. Independencia",
    "Calle Pino Suárez",
    "Av. Revolución",
]
NAME_CUES = ["Mi nombre es {name}.", "Atentamente, {name}.", "soy {name}"]
PHONE_CUES = ["Mi número es {phone}.", "tel {phone}", "llamar al {phone}"]
EMAIL_CUES = ["Mi correo es {email}.", "correo: {email}"]
ID_CUES = ["Mi CURP es {id}.", "CURP {id}"]
ADDRESS_CUES = ["Vivo en {address}.", "frente a {address}", "en {address}"]
{%- elif cookiecutter.language == "pt" -%}
# Temas, na ordem em que são atribuídos às categorias do piloto (formal, informal).
THEMES = [
    (
        [
            "a luminária está apagada",
            "a iluminação pública não funciona",
            "a lâmpada do poste não acende",
            "a luz do poste fica piscando",
        ],
        ["a lampada da rua queimou", "ta tudo escuro sem luz no poste", "o poste ta apagado", "sem luz na rua"],
    ),
    (
        ["a coleta de lixo não passou", "há acúmulo de resíduos na esquina", "a caçamba de lixo está transbordando"],
        [
            "o caminhao do lixo nao passou",
            "ta cheio de lixo jogado",
            "o lixo ja ta fedendo",
            "o caminhao nao veio de novo",
        ],
    ),
    (
        ["há um buraco profundo no asfalto", "o pavimento afundou", "há buracos que danificam os carros"],
        ["tem uma cratera na rua", "o buraco ta enorme", "abriu um buracao no asfalto", "os carro cai no buraco"],
    ),
    (
        ["picharam a fachada", "há pichação no muro da escola", "vandalizaram o muro com tinta"],
        ["picharam a parede", "rabiscaram o muro todo", "tem pichacao na parede da loja", "de novo rabisco no muro"],
    ),
    (
        ["há um vazamento de água na calçada", "a água não chega", "o cano está quebrado"],
        ["ta vazando agua", "sem agua desde ontem", "ta brotando agua da rua"],
    ),
]
GREETINGS = (
    ["Bom dia,", "Boa tarde,", "Olá, bom dia.", "Venho por meio desta informar que"],
    ["oi", "ola", "e ai", "gente"],
)
VAGUE = ["ja vieram ver o que eu falei?", "ate agora nada", "quando vem?", "de novo a mesma coisa"]
CLOSINGS = (["Agradeço a atenção.", "Fico no aguardo.", "Obrigado pelo apoio."], ["pfv", "obg", "ajuda ai", "urgente"])
DURATION = (["há {n} dias", "desde a semana passada"], ["ja faz {n} dias", "faz tempo"])
FILLERS = ["tipo", "ne", "entao", "ah", "assim"]
GIVEN = ["Maria", "José", "Ana", "João", "Francisca", "Antônio", "Adriana", "Carlos", "Juliana", "Paulo"]
SURNAMES = ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes"]
STREETS = [
    "Rua das Flores",
    "Avenida Sete de Setembro",
    "Rua São João",
    "Travessa Getúlio Vargas",
    "Rua Tiradentes",
    "Avenida Brasil",
]
NAME_CUES = ["Meu nome é {name}.", "Atenciosamente, {name}.", "sou {name}"]
PHONE_CUES = ["Meu telefone é {phone}.", "tel {phone}", "liga no {phone}"]
EMAIL_CUES = ["Meu e-mail é {email}.", "email: {email}"]
ID_CUES = ["Meu CPF é {id}.", "CPF {id}"]
ADDRESS_CUES = ["Moro na {address}.", "em frente à {address}", "na {address}"]
{%- else -%}
# Topics, in the order in which they are given to the pilot's categories (formal, informal).
THEMES = [
    (
        [
            "the street light is out",
            "the public lighting does not work",
            "the lamp on the pole does not turn on",
            "the street light flickers all night",
        ],
        ["bulb on the street is dead", "its dark no light on the pole", "the light went out", "no light on the street"],
    ),
    (
        [
            "the garbage collection has not come",
            "waste is piling up on the corner",
            "the trash container is overflowing",
        ],
        ["the garbage truck didnt come", "trash everywhere", "the trash stinks", "truck didnt come again"],
    ),
    (
        ["there is a deep pothole in the pavement", "the pavement has sunk", "potholes are damaging cars"],
        [
            "huge hole in the street",
            "the hole is getting bigger",
            "a hole opened in the asphalt",
            "cars keep falling in the hole",
        ],
    ),
    (
        [
            "someone painted graffiti on the facade",
            "there is graffiti on the school wall",
            "the wall was vandalised with paint",
        ],
        ["they tagged the wall", "paint all over the wall", "tags on the shop wall", "scribbles on the wall again"],
    ),
    (
        ["there is a water leak on the sidewalk", "there is no running water", "the pipe is broken"],
        ["water leaking everywhere", "no water since yesterday", "water coming up from the street"],
    ),
]
GREETINGS = (
    ["Good morning,", "Good afternoon,", "Hello.", "I am writing to report that"],
    ["hi", "hey", "yo", "hello"],
)
VAGUE = ["did anyone come to see it?", "still nothing", "when are you coming?", "same thing again"]
CLOSINGS = (
    ["Thank you for your attention.", "I look forward to your reply.", "Thanks for your help."],
    ["pls", "thx", "help", "urgent"],
)
DURATION = (["for {n} days now", "since last week"], ["been {n} days", "for a while"])
FILLERS = ["like", "um", "so", "uh", "you know"]
GIVEN = ["Maria", "Jose", "Ana", "Carlos", "Laura", "Daniel", "David", "Patricia", "Rosa", "Luis"]
SURNAMES = ["Lopez", "Garcia", "Martinez", "Smith", "Johnson", "Brown", "Rodriguez", "Nguyen", "Williams", "Davis"]
STREETS = ["Oak Street", "Main Street", "Maple Avenue", "Park Road", "Lincoln Boulevard", "Cedar Lane"]
NAME_CUES = ["My name is {name}.", "Regards, {name}.", "this is {name}"]
PHONE_CUES = ["My number is {phone}.", "tel {phone}", "call {phone}"]
EMAIL_CUES = ["My e-mail is {email}.", "email: {email}"]
ID_CUES = ["My ID is {id}.", "ID {id}"]
ADDRESS_CUES = ["I live at {address}.", "in front of {address}", "at {address}"]
{%- endif %}
DOMAINS = ["gmail.com", "hotmail.com", "yahoo.com", "outlook.com"]
RAINY_WEEKS = range(22, 40)  # ISO weeks of the rainy season: more potholes


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _phone(rng: np.random.Generator, country: str) -> str:
    """A phone number valid for ``country`` (checked with phonenumbers), written as residents do."""
    import phonenumbers

    region = country if country in phonenumbers.SUPPORTED_REGIONS else "MX"
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    base = str(example.national_number)
    for _ in range(50):
        digits = base[:-4] + "".join(str(d) for d in rng.integers(0, 10, 4))
        number = phonenumbers.parse(digits, region)
        if phonenumbers.is_valid_number(number):
            style = rng.integers(0, 3)
            if style == 0:
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            if style == 1:
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            return f"{digits[:2]} {digits[2:6]} {digits[6:]}"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _national_id(rng: np.random.Generator, country: str, given: str, surname: str) -> str | None:
    """A national identifier valid by its check digits (python-stdnum), or None for other countries."""
    digits = lambda n: "".join(str(d) for d in rng.integers(0, 10, n))  # noqa: E731
    if country == "MX":
        from stdnum.mx import curp

        letters = _fold(surname).upper()
        vowel = next((c for c in letters[1:] if c in "AEIOU"), "X")
        year, month, day = rng.integers(50, 99), rng.integers(1, 13), rng.integers(1, 29)
        consonants = "".join(c for c in letters[1:] if c not in "AEIOU")[:1] or "X"
        body = f"{letters[0]}{vowel}X{_fold(given)[0].upper()}{year:02d}{month:02d}{day:02d}{'HM'[rng.integers(0, 2)]}JC{consonants}XX0"
        value = body + curp.calc_check_digit(body)
        return value if curp.is_valid(value) else None
    if country == "BR":
        from stdnum.br import cpf

        body = digits(9)
        value = body + cpf._calc_check_digits(body)
        return cpf.format(value) if cpf.is_valid(value) else None
    if country == "AR":
        from stdnum.ar import cuit

        body = "20" + digits(8)
        value = body + cuit.calc_check_digit(body)
        return cuit.format(value) if cuit.is_valid(value) else None
    if country == "CL":
        from stdnum.cl import rut

        body = digits(8)
        return rut.format(body + rut.calc_check_digit(body))
    if country == "CO":
        from stdnum.co import nit

        body = digits(9)
        return nit.format(body + nit.calc_check_digit(body))
    return None


_END_PUNCTUATION = re.compile(r"[.,?!:](?=\s|$)")


def _informal(text: str, rng: np.random.Generator) -> str:
    text = _fold(text).lower()
    return _END_PUNCTUATION.sub("", text) if rng.uniform() < 0.5 else text


def _voice(text: str, rng: np.random.Generator) -> str:
    """A voice note as a speech-to-text service writes it: lower case, no punctuation, fillers."""
    out = []
    for word in _END_PUNCTUATION.sub("", _fold(text).lower()).split():
        if rng.uniform() < 0.12:
            out.append(FILLERS[rng.integers(0, len(FILLERS))])
        out.append(word)
    return " ".join(out)


def _message(
    rng: np.random.Generator, theme: int, informal: bool, voice: bool, country: str
) -> tuple[str, list[tuple[str, str]]]:
    """One message and the personal values planted in it, exactly as they appear in the text."""
    casual = 1 if informal or voice else 0
    pick = lambda items: items[rng.integers(0, len(items))]  # noqa: E731
    parts: list[tuple[str, str | None]] = []  # (text, kind of personal value or None)

    def personal(cue: str, kind: str, value: str) -> None:
        before, after = cue.split("{}")
        parts.append((before.strip(), "cue"))
        parts.append((value, kind))
        if after.strip():
            parts.append((after.strip(), "cue"))

    if rng.uniform() < (0.4 if casual else 0.8):
        parts.append((pick(GREETINGS[casual]), None))
    if rng.uniform() < (0.08 if casual else 0.02):
        parts.append((pick(VAGUE), None))  # does not name the problem
    else:
        parts.append((pick(THEMES[theme][casual]), None))
        if rng.uniform() < 0.1:  # a second topic in passing
            other = (theme + 1 + rng.integers(0, len(THEMES) - 1)) % len(THEMES)
            parts.append((pick(THEMES[other][casual]), None))
    if rng.uniform() < (0.3 if casual else 0.6):
        parts.append((pick(DURATION[casual]).format(n=int(rng.integers(2, 15))), None))
    given, surname = pick(GIVEN), pick(SURNAMES)
    if rng.uniform() < PLANT["address"]:
        number, street = int(rng.integers(1, 3000)), pick(STREETS)
        english = "{{ cookiecutter.language }}" == "en"
        address = f"{number} {street}" if english else f"{street} {'#' if rng.uniform() < 0.5 else ''}{number}"
        personal(pick(ADDRESS_CUES).replace("{address}", "{}"), "address", address)
    if rng.uniform() < PLANT["name"]:
        name = f"{given} {surname}" if rng.uniform() < 0.6 else f"{given} {surname} {pick(SURNAMES)}"
        personal(pick(NAME_CUES).replace("{name}", "{}"), "person_name", name)
    if rng.uniform() < PLANT["phone"]:
        personal(pick(PHONE_CUES).replace("{phone}", "{}"), "phone", _phone(rng, country))
    if rng.uniform() < PLANT["email"] * (0.3 if casual else 1.0):
        email = f"{_fold(given).lower()}.{_fold(surname).lower()}{int(rng.integers(1, 99))}@{pick(DOMAINS)}"
        personal(pick(EMAIL_CUES).replace("{email}", "{}"), "email", email)
    if rng.uniform() < PLANT["national_id"]:
        value = _national_id(rng, country, given, surname)
        if value:
            personal(pick(ID_CUES).replace("{id}", "{}"), "national_id", value)
    if rng.uniform() < (0.3 if casual else 0.7):
        parts.append((pick(CLOSINGS[casual]), None))
    words: list[str] = []
    planted: list[tuple[str, str]] = []
    for text, kind in parts:
        if kind == "cue":  # "mi nombre es": said in one breath, no filler inside
            text = _END_PUNCTUATION.sub("", _fold(text).lower()) if casual else text
        elif kind is not None:
            if casual and kind in ("person_name", "address"):
                text = _fold(text).lower()
            planted.append((kind, text))
        elif voice:
            text = _voice(text, rng)
        elif informal:
            text = _informal(text, rng)
        if text:
            words.append(text)
    return re.sub(r" ([.,])", r"\1", " ".join(words)), planted


def generate(
    *,
    categories: tuple[str, ...],
    equity_attribute: str,
    country: str,
    zones: int = 16,
    weeks: int = 48,
    messages_per_week: int = 120,
    start: str = "2024-01-01",
    seed: int = 7,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (messages, zones, planted): the sample, and every personal value planted in it.

    Topics are given to the categories in order (the first category gets street lighting, the
    second trash, ...); a sixth category or more reuses them.
    """
    rng = np.random.default_rng(seed)
    stratum_idx = rng.permutation(np.arange(zones) % len(STRATA))
    zone_names = [f"Z{i + 1:02d}" for i in range(zones)]
    zone_table = pd.DataFrame(
        {
            "zone": zone_names,
            "population": rng.integers(8_000, 60_000, zones),
            equity_attribute: np.array(STRATA)[stratum_idx],
        }
    )
    n = weeks * messages_per_week
    first = pd.Timestamp(start)
    received = first + pd.to_timedelta(rng.uniform(0, weeks * 7 * 24 * 3600, n), unit="s")
    received = pd.Series(received).sort_values().dt.floor("min").reset_index(drop=True)
    # more messages from the least deprived zones (they report more), as in the forecast pilot
    weight = np.array([1.6, 1.3, 1.0, 0.8])[stratum_idx]
    zone_of = rng.choice(zones, size=n, p=weight / weight.sum())
    n_cat = len(categories)
    base = np.ones(n_cat)
    rows, planted_rows = [], []
    for i in range(n):
        s = stratum_idx[zone_of[i]]
        probs = base.copy()
        if received[i].isocalendar().week in RAINY_WEEKS and n_cat > 2:
            probs[2] *= 2.5  # potholes in the rainy season
        label = int(rng.choice(n_cat, p=probs / probs.sum()))
        channel = int(rng.choice(len(CHANNELS), p=CHANNEL_MIX[s]))
        voice = CHANNELS[channel] in ("voz", "voice")
        informal = voice or rng.uniform() < INFORMAL[s]
        text, planted = _message(rng, label % len(THEMES), informal, voice, country)
        message_id = f"M{i + 1:06d}"
        rows.append(
            (message_id, received[i].isoformat(), CHANNELS[channel], text, zone_names[zone_of[i]], categories[label])
        )
        planted_rows += [(message_id, kind, value) for kind, value in planted]
    messages = pd.DataFrame(rows, columns=["message_id", "received_at", "channel", "text", "zone", "category"])
    planted_frame = pd.DataFrame(planted_rows, columns=["message_id", "kind", "value"])
    return messages, zone_table, planted_frame


def write_sample(messages: pd.DataFrame, zones: pd.DataFrame, messages_path: Path, zones_path: Path) -> None:
    """Write the sample as CSV files (UTF-8)."""
    messages_path.parent.mkdir(parents=True, exist_ok=True)
    zones_path.parent.mkdir(parents=True, exist_ok=True)
    messages.to_csv(messages_path, index=False)
    zones.to_csv(zones_path, index=False)
