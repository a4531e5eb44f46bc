"""What a column's name says about it, in Spanish, Portuguese and English.

Column names are split into lower-case, accent-free tokens (``FechaNacimiento`` →
``fecha nacimiento``, ``nome_do_solicitante`` → ``nome do solicitante``) and matched against
token sets per kind of personal data. A qualifier such as ``colonia`` or ``categoria`` turns a
``nombre`` column into a place or category name rather than a person's name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["column_hints", "tokens"]

_PERSON_NAME = {
    "nombre",
    "nombres",
    "apellido",
    "apellidos",
    "paterno",
    "materno",
    "nome",
    "nomes",
    "sobrenome",
    "sobrenomes",
    "name",
    "names",
    "firstname",
    "lastname",
    "surname",
    "fullname",
    "givenname",
    "nombrecompleto",
    "nomecompleto",
    "solicitante",
    "ciudadano",
    "ciudadana",
    "cidadao",
    "cidada",
    "denunciante",
    "reportante",
    "contribuyente",
    "titular",
    "beneficiario",
    "beneficiaria",
    "paciente",
    "requerente",
    "declarante",
    "usuario",
    "usuaria",
    "contato",
}
_NAME_WORDS = {"nombre", "nombres", "nome", "nomes", "name", "names", "apellido", "sobrenome"}
# A "name" column qualified by one of these names a place, a thing or a category, not a person.
_NOT_PERSON = {
    "colonia",
    "zona",
    "zone",
    "barrio",
    "bairro",
    "calle",
    "street",
    "rua",
    "avenida",
    "municipio",
    "ciudad",
    "cidade",
    "city",
    "estado",
    "state",
    "pais",
    "country",
    "categoria",
    "category",
    "servicio",
    "servico",
    "service",
    "dependencia",
    "area",
    "file",
    "archivo",
    "arquivo",
    "modelo",
    "model",
    "campo",
    "field",
    "variable",
    "columna",
    "column",
    "producto",
    "produto",
    "product",
    "empresa",
    "company",
    "sector",
    "setor",
    "distrito",
    "district",
    "localidad",
    "comuna",
    "departamento",
    "region",
    "canal",
    "channel",
    "tipo",
    "type",
    "grupo",
    "group",
    "estrato",
    "stratum",
    "alcaldia",
    "delegacion",
    "sucursal",
    "oficina",
    "escuela",
    "escola",
    "school",
    "hospital",
    "unidad",
    "unidade",
    "unit",
    "proyecto",
    "projeto",
    "project",
    "programa",
    "program",
    "evento",
    "event",
    "lugar",
    "place",
    "sitio",
    "site",
    "metric",
    "metrica",
    "indicador",
    "indicator",
    "subcategoria",
    "asunto",
    "assunto",
    "tema",
    "razon",
    "fantasia",
    "cuadrilla",
    "crew",
    "equipo",
    "equipe",
    "team",
    "dataset",
    "tabla",
    # bodies, facilities and places named like people in real exports (NYC 311, MyLA311)
    "agency",
    "agencia",
    "facility",
    "park",
    "parque",
    "bridge",
    "highway",
    "department",
    "borough",
    "council",
    "landmark",
    "precinct",
    "regional",
    "orgao",
    "organo",
    "secretaria",
    "station",
}
_ADDRESS = {
    "direccion",
    "domicilio",
    "endereco",
    "logradouro",
    "address",
    "addr",
    "residencia",
    "morada",
    "domicilioparticular",
    "calleynumero",
    "streetaddress",
    # a parcel identifier locates a home as precisely as its address (NYC's BBL, LA's APN)
    "bbl",
    "apn",
    "parcel",
}
_ADDRESS_JOINED = ("direccion", "domicilio", "endereco", "logradouro", "address")
_BIRTH = {
    "nacimiento",
    "nascimento",
    "birth",
    "birthdate",
    "birthday",
    "dob",
    "fnac",
    "nac",
    "nasc",
    "natalicio",
    "cumpleanos",
    "aniversario",
}
_BIRTH_JOINED = (
    "nacimiento",
    "nascimento",
    "dateofbirth",
    "birthdate",
    "fechanac",
    "fecnac",
    "dtnasc",
    "datanasc",
)
_PHONE = {
    "telefono",
    "telefonos",
    "tel",
    "telf",
    "telef",
    "fono",
    "fone",
    "telefone",
    "celular",
    "cel",
    "movil",
    "mobile",
    "phone",
    "cell",
    "cellphone",
    "whatsapp",
    "wa",
    "contacto",
    "contato",
    "msisdn",
    "lada",
}
_EMAIL = {"email", "mail", "correo", "correoelectronico", "emailaddress", "mails", "emails"}
_LAT = {"lat", "latitud", "latitude", "latitudine"}
_LON = {"lon", "lng", "long", "longitud", "longitude"}
_PROJECTED = {"utmx", "utmy", "este", "norte", "easting", "northing", "coordx", "coordy"}
_POINT = {
    "coordenadas",
    "coordenada",
    "coordinates",
    "coords",
    "geo",
    "geolocalizacion",
    "geolocalizacao",
    "ubicacion",
    "localizacao",
    "location",
    "latlon",
    "latlng",
    "punto",
    "point",
    "geom",
    "geometry",
    "gps",
    "posicion",
    "posicao",
}
_IDS = {
    "curp": "mx.curp",
    "rfc": "mx.rfc",
    "cpf": "br.cpf",
    "cnpj": "br.cnpj",
    "rut": None,
    "run": "cl.rut",
    "nit": "co.nit",
    "cuit": "ar.cuit",
    "cuil": "ar.cuit",
    "dni": "ar.dni",
    "cedula": None,
    "cc": "co.cedula",
    "ci": "uy.ci",
    "documento": None,
    "doc": None,
    "identificacion": None,
    "identidad": None,
    "rg": None,
    "nif": None,
    "nie": None,
    "pasaporte": None,
    "passaporte": None,
    "passport": None,
    "ine": None,
    "ife": None,
    "dui": None,
    "nss": None,
    "imss": None,
    "issste": None,
    "ssn": None,
    "nup": None,
}


_STREET = {"calle", "rua", "street", "vialidad", "avenida", "via", "logradouro", "carrera"}
_HOUSE_NUMBER = {
    "numext",
    "numeroexterior",
    "noext",
    "nroext",
    "numero",
    "nro",
    "num",
    "numerocasa",
    "housenumber",
    "numeropredio",
    "numerodomicilio",
    "numeroendereco",
    "numint",
    "nocasa",
}


@cache
def tokens(column: str) -> tuple[str, ...]:
    """Lower-case ASCII tokens of a column name.

    >>> tokens("FechaNacimiento")
    ('fecha', 'nacimiento')
    >>> tokens("nome_do_solicitante")
    ('nome', 'do', 'solicitante')
    >>> tokens("Teléfono (Celular)")
    ('telefono', 'celular')
    """
    text = unicodedata.normalize("NFKD", column)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return tuple(t for t in re.split(r"[^a-z0-9]+", text.lower()) if t)


@cache
def column_hints(column: str) -> frozenset[str]:
    """Kinds of personal data the column's name points to.

    Returns a set drawn from ``person_name``, ``address``, ``birth_date``, ``phone``, ``email``,
    ``latitude``, ``longitude``, ``projected``, ``point``, ``not_person`` and ``id:<scheme>``
    (``id:`` alone when the name says "identity document" without a scheme).

    >>> sorted(column_hints("nombre_solicitante"))
    ['person_name']
    >>> sorted(column_hints("nombre_colonia"))
    ['not_person']
    >>> sorted(column_hints("Data de Nascimento"))
    ['birth_date']
    """
    parts = tokens(column)
    joined = "".join(parts)
    found: set[str] = set()
    words = set(parts)
    if words & _NOT_PERSON:
        found.add("not_person")
    person = words & _PERSON_NAME or joined in {
        "firstname",
        "lastname",
        "fullname",
        "first",  # court and benefits tables: "first", "last", "middle"
        "last",
        "middle",
        "firstnm",
        "lastnm",
    }
    # "usuario_id" or "contato_telefone" name other things than a person's name
    other = words & (_PHONE | _EMAIL | set(_IDS) | {"id"}) and not words & _NAME_WORDS
    if person and not words & _NOT_PERSON and not other:
        found.add("person_name")
    if words & _ADDRESS or any(key in joined for key in _ADDRESS_JOINED):
        found.add("address")
    if words & _STREET and not words & {"tipo", "type", "id", "clave", "cross", "intersection"}:
        found.add("street")
    if joined in _HOUSE_NUMBER or {"num", "ext"} <= words or {"numero", "exterior"} <= words:
        found.add("house_number")
    if words & _BIRTH or any(key in joined for key in _BIRTH_JOINED):
        found.add("birth_date")
    if words & _PHONE or "whatsapp" in joined or "telefone" in joined or "telefono" in joined:
        found.add("phone")
    if words & _EMAIL or "email" in joined:
        found.add("email")
    if words & _LAT:
        found.add("latitude")
    if words & _LON:
        found.add("longitude")
    plane = words & {"x", "y"} and words & {"coordinate", "coordinates", "coord", "plane"}
    if words & _PROJECTED or joined in _PROJECTED or plane:
        found.add("projected")
    if words & _POINT:
        found.add("point")
    for word in parts:
        if word in _IDS:
            scheme = _IDS[word]
            found.add(f"id:{scheme}" if scheme else "id:")
    if "cedula" in words and "ciudadania" in words:
        found.add("id:co.cedula")
    return frozenset(found)
