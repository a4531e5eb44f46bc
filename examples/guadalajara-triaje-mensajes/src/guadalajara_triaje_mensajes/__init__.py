"""Triaje de mensajes Guadalajara: triaje de mensajes de residentes al área que corresponde.

Generado con la plantilla de piloto municipal de auditkit 0.7.2.
"""

__version__ = "0.1.0"

CITY = "Guadalajara"
COUNTRY = "MX"
LANGUAGE = "es"
PILOT_NAME = "guadalajara-triaje-mensajes"
PILOT_TYPE = "request-triage"
TASK = "classification"
TEMPLATE_VERSION = "0.7.2"
EQUITY_ATTRIBUTE = "estrato_marginacion"
